/*
 * Bulk-loads synthetic pledges into a read database as the projector would leave them, for the benchmarks that
 * query a large read model (read-bench part 4, dashboard-bench): summary documents built in memory from folded
 * histories (read-bench-data), the pledge index, the generation's checkpoints, the readers switched to it, and
 * the report snapshots compiled by the projector's own code.
 *
 * @ledger/read-models is imported inside the functions: it loads no configuration itself, but the benchmarks
 * import the apps' modules only once the servers are known, and this keeps that so.
 */
import { BSON, Collection, Db } from 'mongodb';
import type { PledgeSummaryDocument } from '@ledger/read-models/pledge-summary.document';
import { fmt } from '../bench-support';
import { PledgeGenerator } from '../read-bench-data';

const hr = () => process.hrtime.bigint();
const msSince = (t: bigint) => Number(hr() - t) / 1e6;

export interface SummaryLoadOptions {
  pledges: number;
  /** Mean progress reports per pledge (0..2× this). */
  reportsPerPledge: number;
  /** Partitions of the pledge index (as the live topic's). */
  partitions: number;
  insertBatch: number;
  /** Loading stops with an error after this long. */
  timeoutMs: number;
  /** Suffix of the generation's collection name. */
  stamp: string;
  log: (message: string) => void;
}

export interface SummaryLoadInfo {
  collection: string;
  documents: number;
  meanBsonBytes: number;
  withCountryKE: number;
  buildSeconds: number;
  insertSeconds: number;
  insertPerSecond: number;
  indexSeconds: number;
}

export interface SnapshotCompileInfo {
  seconds: number;
  pledges: number;
  scanAndReportMs: number;
  benchRssGrowthMiB: number;
  snapshotBsonBytes: number;
}

/**
 * Loads `options.pledges` summaries into a new generation of the summary read model in `readDb` (insertMany of
 * `insertBatch`), writes its pledge index and checkpoints and switches the readers to it.
 */
export async function loadPledgeSummaries(
  readDb: Db,
  options: SummaryLoadOptions,
): Promise<{
  name: string;
  collection: Collection<PledgeSummaryDocument>;
  generator: PledgeGenerator;
  load: SummaryLoadInfo;
}> {
  const { indexChange, PLEDGE_SUMMARIES, PledgeIndexWriter, ProjectionCheckpoints, ReadModelCatalog } =
    await import('@ledger/read-models');
  const { log } = options;
  const name = `${PLEDGE_SUMMARIES}_bench${options.stamp}`;
  const collection = readDb.collection<PledgeSummaryDocument>(name);
  const generator = new PledgeGenerator({
    reportsPerPledge: options.reportsPerPledge,
    varyReports: true,
    seed: 4,
    hashChain: false,
  });
  log(
    `loading ${options.pledges} summary documents into ${readDb.databaseName}.${name} (insertMany of ${options.insertBatch})`,
  );
  let insertMs = 0;
  const indexLists = new Map<number, Map<string, string[]>>();
  const indexWriter = new PledgeIndexWriter(readDb, name);
  let buildMs = 0;
  let bsonBytes = 0;
  let keCount = 0;
  const loadStarted = Date.now();
  let lastReport = Date.now();
  for (let done = 0; done < options.pledges;) {
    const t = hr();
    const docs: PledgeSummaryDocument[] = [];
    while (docs.length < options.insertBatch && done + docs.length < options.pledges) {
      const doc = PledgeGenerator.summaryOf(generator.next());
      if (doc.countries.includes('KE')) keCount += 1;
      bsonBytes += BSON.calculateObjectSize(doc);
      docs.push(doc);
    }
    buildMs += msSince(t);
    const i = hr();
    await collection.insertMany(docs, { ordered: false });
    insertMs += msSince(i);
    // The pledge index, as the projector keeps it: each pledge in the lists of its partition (written in
    // bulk once all are loaded; the projector's own writes are measured in read-bench part 1).
    for (const doc of docs) {
      const partition =
        [...doc._id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % options.partitions;
      const change = indexChange(null, doc)!;
      const lists = indexLists.get(partition) ?? new Map<string, string[]>();
      indexLists.set(partition, lists);
      for (const key of change.add) {
        const list = lists.get(key);
        if (list) list.push(change.entry);
        else lists.set(key, [change.entry]);
      }
    }
    done += docs.length;
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      log(`  loaded ${done} of ${options.pledges} (${fmt(done / (insertMs / 1000))} docs/s in insertMany)`);
    }
    if (Date.now() - loadStarted > options.timeoutMs)
      throw new Error(`loading the summaries: only ${done} documents in time`);
  }
  const indexStarted = hr();
  let indexDocuments = 0;
  for (const [partition, lists] of indexLists) indexDocuments += await indexWriter.load(partition, lists);
  indexLists.clear();
  const indexMs = msSince(indexStarted);
  // The generation's checkpoints name the partitions whose index lists readers merge.
  for (let partition = 0; partition < options.partitions; partition++)
    await new ProjectionCheckpoints(readDb).record(name, 'bench-bulk-load', partition, {
      nextOffset: 1,
      applied: 0,
      duplicates: 0,
      gapsFilled: 0,
      parked: 0,
    });
  await new ReadModelCatalog(readDb).switchTo(PLEDGE_SUMMARIES, name);
  const load: SummaryLoadInfo = {
    collection: name,
    documents: options.pledges,
    meanBsonBytes: bsonBytes / options.pledges,
    withCountryKE: keCount,
    buildSeconds: buildMs / 1000,
    insertSeconds: insertMs / 1000,
    insertPerSecond: options.pledges / (insertMs / 1000),
    indexSeconds: indexMs / 1000,
  };
  log(
    `loaded ${options.pledges} documents (~${fmt(load.meanBsonBytes, 0)} B BSON each) in` +
      ` ${fmt(load.insertSeconds, 1)} s of insertMany = ${fmt(load.insertPerSecond)} docs/s;` +
      ` pledge index ${fmt(load.indexSeconds, 1)} s (${indexDocuments} documents); readers switched to it`,
  );
  return { name, collection, generator, load };
}

/**
 * The report snapshots of generation `name`, as the projector's compiler makes them (same code, in this
 * process): one scan of the summaries, six reports, six documents.
 */
export async function compileReportSnapshots(
  readDb: Db,
  name: string,
  log: (message: string) => void,
  lapseAfterDays = 180,
) {
  const { ReportSnapshots } = await import('@ledger/read-models');
  const snapshots = new ReportSnapshots(readDb);
  const compileStarted = hr();
  const rssBeforeCompile = process.memoryUsage().rss;
  const compiled = await snapshots.compile(name, lapseAfterDays);
  const compile: SnapshotCompileInfo = {
    seconds: msSince(compileStarted) / 1000,
    pledges: compiled.pledges,
    scanAndReportMs: compiled.compileMs,
    benchRssGrowthMiB: (process.memoryUsage().rss - rssBeforeCompile) / 2 ** 20,
    snapshotBsonBytes: BSON.calculateObjectSize((await snapshots.get(name, 'country')) ?? {}),
  };
  log(
    `compiled the six report snapshots of ${compiled.pledges} pledges in ${fmt(compile.seconds, 1)} s` +
      ` (scan + report maths ${fmt(compiled.compileMs / 1000, 1)} s); by-country snapshot` +
      ` ${fmt(compile.snapshotBsonBytes / 1024)} KiB`,
  );
  return { snapshots, compile };
}
