import { Db } from 'mongodb';

export type ServerFlavour = 'mongodb' | 'ferretdb';

const probes = new WeakMap<Db, Promise<ServerFlavour>>();

/**
 * Which MongoDB-wire server answers: FerretDB says so in `buildInfo.ferretdbVersion`. FerretDB v1 serves only a
 * lone `_id` equality filter from an index (any other filter decodes the whole collection), and it does not
 * serialise concurrent updates of one document, so a few hot paths choose their filters by flavour. Asked once
 * per database handle.
 */
export function serverFlavour(db: Db): Promise<ServerFlavour> {
  let probe = probes.get(db);
  if (!probe) {
    probe = db
      .admin()
      .command({ buildInfo: 1 })
      .then((info) => (info.ferretdbVersion !== undefined ? 'ferretdb' : 'mongodb') as ServerFlavour);
    // A failed probe (server down) is asked again next time rather than remembered.
    probe.catch(() => probes.delete(db));
    probes.set(db, probe);
  }
  return probe;
}
