import { Collection, Db } from 'mongodb';

interface CatalogEntry {
  _id: string;
  active: string;
  switchedAt: string;
  /** The rebuild that switched readers to `active` is still writing it, until at most this instant (should
   *  it die): the live projector does not write `active` before. */
  buildingUntil?: string;
}

export interface ActiveGeneration {
  name: string;
  building: boolean;
}

export const PLEDGE_SUMMARIES = 'pledge_summaries';

/**
 * How long the live projector and the API may go on using the generation they last read. A rebuild waits this
 * long after its switch before it takes the end offsets it catches up to (see rebuildPledgeSummaries), so what
 * the live projector still wrote to the old generation meanwhile is in the new one too.
 */
export const CATALOG_REFRESH_MS = 1000;

/**
 * Which physical collection holds each read model. A rebuild fills a new generation and then switches this one
 * document, so readers move over in one atomic write (renameCollection is not available on every server).
 */
export class ReadModelCatalog {
  private readonly entries: Collection<CatalogEntry>;
  private readonly remembered = new Map<string, { generation: ActiveGeneration; readAt: number }>();

  /**
   * @param refreshMs how long an answer is reused (0: every call reads the catalogue). The hot paths (each
   *   projector batch, each API read) use CATALOG_REFRESH_MS: one lookup fewer per batch or request.
   */
  constructor(
    private readonly db: Db,
    private readonly refreshMs = 0,
  ) {
    this.entries = db.collection<CatalogEntry>('read_model_catalog');
  }

  async activeCollectionName(model: string): Promise<string> {
    return (await this.active(model)).name;
  }

  async active(model: string): Promise<ActiveGeneration> {
    const remembered = this.remembered.get(model);
    if (remembered && Date.now() - remembered.readAt < this.refreshMs) return remembered.generation;
    const readAt = Date.now(); // before the read: the answer is at least this fresh
    const entry = await this.entries.findOne({ _id: model });
    const generation = {
      name: entry?.active ?? `${model}_g0`,
      building: entry?.buildingUntil !== undefined && Date.now() < Date.parse(entry.buildingUntil),
    };
    if (this.refreshMs > 0) this.remembered.set(model, { generation, readAt });
    return generation;
  }

  /**
   * Readers move to `collection`. With `buildingForMs`, the live projector does not write it until `built` (or
   * that time has passed): one writer per generation and partition at any time.
   */
  async switchTo(model: string, collection: string, buildingForMs = 0): Promise<string | undefined> {
    const previous = await this.entries.findOne({ _id: model });
    await this.entries.replaceOne(
      { _id: model },
      {
        active: collection,
        switchedAt: new Date().toISOString(),
        ...(buildingForMs > 0 ? { buildingUntil: new Date(Date.now() + buildingForMs).toISOString() } : {}),
      },
      { upsert: true },
    );
    return previous?.active ?? `${model}_g0`;
  }

  async built(model: string, collection: string): Promise<void> {
    const entry = await this.entries.findOne({ _id: model });
    if (entry?.active === collection && entry.buildingUntil !== undefined)
      await this.entries.replaceOne({ _id: model }, { active: collection, switchedAt: entry.switchedAt });
  }

  collection<T extends object>(name: string): Collection<T> {
    return this.db.collection<T>(name);
  }
}
