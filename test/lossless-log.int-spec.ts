import { Db, MongoClient } from 'mongodb';
import { Kafka } from 'kafkajs';
import { ExpectedVersionConflictError, MongoEventStore, OutboxClaim } from '@ledger/event-store';
import { ensureTopic, OutboxRelay, reconcileLog } from '@ledger/messaging';
import { generateNoteSigner } from '@ledger/transparency';
import { MongoLogStore } from '@ledger/transparency-log';
import { eventually, testKafka, testMongoClient, uniqueName } from '@ledger/testing';

const meta = { principal: { id: 'org-1', role: 'organisation', name: 'Org One' }, correlationId: 'race' };
const quiet = { log: () => undefined, error: () => undefined };

/**
 * The promise "every stored event is published to the topic, in per-pledge order, at least once", tried
 * with a live relay and a real broker against the interleavings that broke it: writers whose clocks read the
 * same millisecond, and writers stalled between claiming a version and storing its event. Each test ends
 * with the store-versus-topic reconciliation that operators run (`ledger-cli audit-log`).
 */
describe('lossless log under races (real Kafka, real MongoDB-wire server)', () => {
  let client: MongoClient;
  let db: Db;
  let kafka: Kafka;
  let relay: OutboxRelay;
  let relayStore: MongoEventStore;
  const topic = uniqueName('lossless_events');

  beforeAll(async () => {
    client = await testMongoClient();
    db = client.db(uniqueName('lossless'));
    kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopic(admin, { topic, numPartitions: 3, replicationFactor: 1, retainForever: true });
    await admin.disconnect();
    // The relay completes a claim 30 ms after it was made if its writer has not stored the event by then.
    relayStore = new MongoEventStore(db, undefined, { completeClaimsAfterMs: 30 });
    await relayStore.ensureIndexes();
    relay = new OutboxRelay(relayStore, db, kafka, { topic, batchSize: 200, pollIntervalMs: 5 }, quiet, {
      store: new MongoLogStore(db),
      origin: 'lossless.test/log',
      signer: generateNoteSigner('lossless.test/log'),
      checkpointIntervalMs: 500,
    });
    await relay.start();
  });
  afterAll(async () => {
    await relay?.stop();
    await db.dropDatabase();
    await client.close();
  });

  async function reconciled() {
    await eventually(
      async () => ((await relayStore.outbox.countDocuments({})) === 0 ? true : undefined),
      60000,
      20,
    );
    return reconcileLog(relayStore, kafka, topic);
  }

  it('32 writers on one pledge, clocks frozen on one millisecond, 50 rounds, relay running: nothing stored is missing from the topic', async () => {
    const frozen = new Date('2026-12-01T12:00:00.000Z');
    const writers = Array.from(
      { length: 4 },
      () => new MongoEventStore(db, undefined, { clock: () => frozen }),
    );
    const stream = `pledge-${uniqueName('race')}`;
    await writers[0].append(stream, 0, { type: 'Submitted', payload: {} }, meta);
    let accepted = 1;
    for (let round = 0; round < 50; round++) {
      const results = await Promise.allSettled(
        Array.from({ length: 32 }, async (_, i) => {
          const writer = writers[i % writers.length];
          const head = await writer.head(stream, { fresh: i % 3 === 0 });
          return writer.append(stream, head.version, { type: 'Progress', payload: { round, i } }, meta);
        }),
      );
      for (const r of results) {
        if (r.status === 'fulfilled') accepted += 1;
        else expect(r.reason).toBeInstanceOf(ExpectedVersionConflictError);
      }
    }
    const report = await reconciled();
    expect(report.missing).toEqual([]);
    expect(report.unknownOnTopic).toEqual([]);
    expect(report.mismatched).toEqual([]);
    expect(report.orderViolations).toEqual([]);
    expect(report.stored).toBe(accepted);
    expect(report.ok).toBe(true);
    process.stdout.write(
      `same-millisecond race: ${accepted} accepted of ${1 + 50 * 32} tried, ${report.onTopic} messages, ${report.duplicates} duplicates\n`,
    );
  });

  it('writers stalled between claim and insert past the completion time, 50 rounds: each either fails unacknowledged or its event reaches the topic', async () => {
    const stream = `pledge-${uniqueName('stall')}`;
    const acknowledged: string[] = [];
    let stalls = 0;
    const stalling = new MongoEventStore(db, undefined, {
      afterClaim: async (claim: OutboxClaim) => {
        if (claim.version % 2 === 0) return;
        stalls += 1;
        // Past the relay's completion time: the relay stores and publishes the event meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 60 + Math.random() * 60));
      },
    });
    const prompt = new MongoEventStore(db);
    acknowledged.push((await prompt.append(stream, 0, { type: 'Submitted', payload: {} }, meta)).eventId);
    let failed = 0;
    for (let round = 0; round < 50; round++) {
      // A stalled writer and a prompt one race for the same next version.
      const version = (await prompt.head(stream, { fresh: true })).version;
      const results = await Promise.allSettled([
        stalling.append(stream, version, { type: 'Progress', payload: { round, who: 'stalled' } }, meta),
        new Promise((resolve) => setTimeout(resolve, Math.random() * 40)).then(() =>
          prompt.append(stream, version, { type: 'Progress', payload: { round, who: 'prompt' } }, meta),
        ),
      ]);
      for (const r of results) {
        if (r.status === 'fulfilled') acknowledged.push(r.value.eventId);
        else {
          expect(r.reason).toBeInstanceOf(ExpectedVersionConflictError);
          failed += 1;
        }
      }
    }
    expect(stalls).toBeGreaterThan(0);
    const stored = await relayStore.readStream(stream, { raw: true });
    // Every acknowledged event is the stored one at its version, and nothing unacknowledged was stored.
    expect(stored.map((e) => e.eventId).sort()).toEqual([...acknowledged].sort());
    const report = await reconciled();
    expect(report.missing).toEqual([]);
    expect(report.ok).toBe(true);
    process.stdout.write(
      `stalled writers: ${stalls} stalls, ${acknowledged.length} acknowledged, ${failed} refused, ${report.duplicates} duplicates on the topic\n`,
    );
  });
});
