import { Kafka } from 'kafkajs';
import { Db } from 'mongodb';
import { MongoEventStore, UpcasterRegistry } from '@ledger/event-store';
import { indexCollectionName } from './pledge-index';
import { ProjectionCheckpoints } from './projection-checkpoints';
import { ProjectionConsumer, ProjectionLogger } from './projection-consumer';
import { CATALOG_REFRESH_MS, PLEDGE_SUMMARIES, ReadModelCatalog } from './read-model-catalog';
import { ReportSnapshots } from './report-snapshots';

export interface RebuildOptions {
  topic: string;
  deadLetterTopic: string;
  maxAttempts: number;
  upcasters?: UpcasterRegistry;
  /** Leave the new generation beside the active one instead of switching readers to it (for comparison). */
  switchReaders?: boolean;
  timeoutMs?: number;
}

export interface RebuildResult {
  generation: string;
  previous?: string;
  eventsRead: number;
  durationMs: number;
  switched: boolean;
}

/**
 * A rebuild reads the topic in fetches of up to 8 MiB per partition (about 7,000 events) instead of 1 MiB:
 * most of a pledge's events then arrive in one batch and are applied with one write, where the live
 * projector's batches hold about one event per pledge. Costs the rebuild process some 100-200 MiB.
 */
const REBUILD_FETCH_BYTES_PER_PARTITION = 8 * 2 ** 20;

/** Waits until the generation's checkpoints reach the topic's end offsets as they were when called. */
async function catchUp(
  kafka: Kafka,
  checkpoints: ProjectionCheckpoints,
  topic: string,
  generation: string,
  deadline: number,
) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = (await admin.fetchTopicOffsets(topic)).filter((p) => Number(p.high) > Number(p.low));
    for (;;) {
      const watermark = await checkpoints.watermark(generation);
      const reached = ends.every((end) => {
        const done = watermark.partitions.find((p) => p.partition === end.partition);
        return done !== undefined && done.offset >= Number(end.high);
      });
      if (reached) return watermark;
      if (Date.now() > deadline)
        throw new Error(`rebuild of ${generation} did not catch up with ${topic} in time`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Replays the pledge-event topic from the beginning into a fresh generation of the summary read model (and its
 * pledge index) and switches readers to it in one write. It then keeps consuming to the end offsets seen once
 * every reader has moved over, so events the live projector applied to the old generation meanwhile are in the
 * new one too, while the live projector waits; then the live projector goes on from the new generation's
 * checkpoints (see ProjectionConsumer.mayApply).
 */
export async function rebuildPledgeSummaries(
  kafka: Kafka,
  db: Db,
  store: MongoEventStore,
  options: RebuildOptions,
  logger: ProjectionLogger,
): Promise<RebuildResult> {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 30 * 60_000);
  const generation = `${PLEDGE_SUMMARIES}_g${started}`;
  const checkpoints = new ProjectionCheckpoints(db);
  const catalog = new ReadModelCatalog(db);
  const consumer = new ProjectionConsumer(
    kafka,
    db,
    store,
    {
      topic: options.topic,
      deadLetterTopic: options.deadLetterTopic,
      groupId: `${generation}-rebuild`,
      maxAttempts: options.maxAttempts,
      generation,
      upcasters: options.upcasters,
      maxBytesPerPartition: REBUILD_FETCH_BYTES_PER_PARTITION,
    },
    logger,
  );
  await consumer.start();
  let previous: string | undefined;
  let switched = false;
  let stopped = false;
  try {
    await catchUp(kafka, checkpoints, options.topic, generation, deadline);
    if (options.switchReaders !== false) {
      // Readers move now; the live projector does not write the new generation until this rebuild is done
      // with it (or, should it die, until the deadline), so each partition has one writer at a time.
      previous = await catalog.switchTo(PLEDGE_SUMMARIES, generation, Math.max(1000, deadline - Date.now()));
      switched = true;
      // The live projector may write the old generation for up to CATALOG_REFRESH_MS more: what it writes there
      // until then is on the topic before the end offsets taken after this wait.
      await new Promise((r) => setTimeout(r, CATALOG_REFRESH_MS + 100));
      await catchUp(kafka, checkpoints, options.topic, generation, deadline);
      await consumer.stop();
      stopped = true;
    }
  } finally {
    if (!stopped) await consumer.stop();
    // The live projector takes over from the generation's checkpoints (even after a failure: it completes it).
    if (switched) await catalog.built(PLEDGE_SUMMARIES, generation);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([`${generation}-rebuild`]).catch(() => undefined);
    await admin.disconnect();
  }
  if (switched && previous && previous !== generation) {
    for (const name of [previous, indexCollectionName(previous)])
      await db
        .collection(name)
        .drop()
        .catch(() => undefined);
    await checkpoints.drop(previous);
    await new ReportSnapshots(db).drop(previous);
  }
  const watermark = await checkpoints.watermark(generation);
  logger.log(
    `rebuilt ${generation} from ${options.topic}: ${watermark.eventsApplied} events in ${Date.now() - started} ms`,
  );
  return {
    generation,
    previous,
    eventsRead: watermark.eventsApplied + watermark.duplicatesIgnored + watermark.gapsFilled,
    durationMs: Date.now() - started,
    switched,
  };
}
