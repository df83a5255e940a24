import { Db, MongoClient } from 'mongodb';
import { Kafka } from 'kafkajs';
import { eventKey, MongoEventStore } from '@ledger/event-store';
import { ensureTopic, logIndexOf, OutboxRelay } from '@ledger/messaging';
import {
  generateNoteSigner,
  InMemoryMerkleTree,
  openCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '@ledger/transparency';
import { logProofs, LogSequencer, MongoLogStore } from '@ledger/transparency-log';
import { eventually, testKafka, testMongoClient, uniqueName } from '@ledger/testing';

const meta = { principal: { id: 'org-1', role: 'organisation', name: 'Org One' }, correlationId: 'tlog' };
const quiet = { log: () => undefined, error: () => undefined };
const origin = 'tlog.test/log';

/**
 * The transparency log on the real servers: the relay sequences every event it publishes into one RFC 9162
 * tree, persists it (positions, tiles, state, checkpoints) and another relay continues the same tree; two
 * sequencers that both believe they hold the lease never give a position two events.
 */
describe('transparency log (real Kafka, real MongoDB-wire server)', () => {
  let client: MongoClient;
  let db: Db;
  let kafka: Kafka;
  let store: MongoEventStore;
  let log: MongoLogStore;
  const signer = generateNoteSigner(origin);
  const topic = uniqueName('tlog_events');

  const relay = () =>
    new OutboxRelay(store, db, kafka, { topic, batchSize: 50, pollIntervalMs: 5, leaseTtlMs: 1000 }, quiet, {
      store: log,
      origin,
      signer,
      checkpointIntervalMs: 200,
    });

  beforeAll(async () => {
    client = await testMongoClient();
    db = client.db(uniqueName('tlog'));
    kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopic(admin, { topic, numPartitions: 3, replicationFactor: 1, retainForever: true });
    await admin.disconnect();
    store = new MongoEventStore(db);
    await store.ensureIndexes();
    log = new MongoLogStore(db);
  });
  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  async function append(streams: string[], rounds: number): Promise<string[]> {
    const keys: string[] = [];
    for (let round = 0; round < rounds; round++)
      for (const stream of streams) {
        const head = await store.head(stream, { fresh: true });
        const event = await store.append(
          stream,
          head.version,
          { type: 'Progress', payload: { round } },
          meta,
        );
        keys.push(eventKey(stream, event.version));
      }
    return keys;
  }

  async function drained(): Promise<void> {
    await eventually(
      async () => ((await store.outbox.countDocuments({})) === 0 ? true : undefined),
      60000,
      20,
    );
  }

  /** Reads every message of the topic: the log position each carries, by event key. */
  async function topicPositions(expected: number): Promise<Map<string, number[]>> {
    const consumer = kafka.consumer({ groupId: uniqueName('tlog_reader') });
    const positions = new Map<string, number[]>();
    let seen = 0;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value!.toString()) as { streamId: string; version: number };
        const key = eventKey(event.streamId, event.version);
        positions.set(key, [...(positions.get(key) ?? []), logIndexOf(message)!]);
        seen += 1;
      },
    });
    await eventually(async () => (seen >= expected ? true : undefined), 60000, 50);
    await consumer.disconnect();
    return positions;
  }

  it('gives every published event one position of one tree, across a relay restart and a takeover, with signed checkpoints and proofs from the stored tiles', async () => {
    const streams = Array.from({ length: 7 }, () => `pledge-${uniqueName('p')}`);
    const first = relay();
    await first.start();
    const keysA = await append(streams, 40); // 280 events: tiles fill past 256
    await drained();
    await first.stop();
    // A second relay (another process) takes over and continues the same tree.
    const second = relay();
    await second.start();
    const keysB = await append(streams, 20);
    await drained();
    await eventually(
      async () => ((await log.latestCheckpoint())?.size === 420 ? true : undefined),
      10000,
      50,
    );
    await second.stop();

    const keys = [...keysA, ...keysB];
    const entries = await Promise.all(keys.map((_, i) => log.entryAt(i)));
    // Dense positions 0..n-1, each holding a different event, each event once.
    expect(entries.every((e) => e !== null)).toBe(true);
    expect(new Set(entries.map((e) => e!.key)).size).toBe(keys.length);
    expect(new Set(entries.map((e) => e!.key))).toEqual(new Set(keys));
    expect(await log.entryAt(keys.length)).toBeNull();
    // Each event's position is on its topic messages (a header) and in the reverse lookups.
    const onTopic = await topicPositions(keys.length);
    for (const entry of entries) {
      expect(new Set(onTopic.get(entry!.key))).toEqual(new Set([entry!.index]));
      expect(await log.indexOfKey(entry!.key)).toBe(entry!.index);
      expect(await log.indexOfEventId(entry!.eventId)).toBe(entry!.index);
    }
    // Positions follow each pledge's versions.
    for (const stream of streams) {
      const mine = entries.filter((e) => e!.key.startsWith(`${stream}:`)).map((e) => e!.key);
      expect(mine).toEqual([...mine].sort());
    }
    // The tree the tiles hold is the RFC 9162 tree of the events' hashes in log order.
    const tree = InMemoryMerkleTree.fromLeaves(entries.map((e) => Buffer.from(e!.hash, 'hex')));
    const proofs = logProofs(log);
    expect((await proofs.rootHash(420)).equals(tree.rootHash(420))).toBe(true);
    const note = (await log.latestCheckpoint())!.note;
    const { checkpoint } = openCheckpoint(note, [signer], { origin });
    expect(checkpoint.treeSize).toBe(420);
    expect(checkpoint.rootHash.equals(tree.rootHash())).toBe(true);
    for (const index of [0, 1, 255, 256, 257, 300, 419]) {
      const proof = await proofs.inclusion(index, 420);
      expect(proof).toEqual(tree.inclusionProof(index, 420));
      expect(
        verifyInclusion({
          index,
          treeSize: 420,
          leafHash: tree.leafHash(index),
          proof,
          rootHash: checkpoint.rootHash,
        }),
      ).toBe(true);
    }
    for (const older of [1, 100, 256, 280, 419]) {
      const proof = await proofs.consistency(older, 420);
      expect(proof).toEqual(tree.consistencyProof(older, 420));
      expect(
        verifyConsistency({
          firstSize: older,
          secondSize: 420,
          firstRootHash: tree.rootHash(older),
          secondRootHash: checkpoint.rootHash,
          proof,
        }),
      ).toBe(true);
    }
  });

  it('a sequencer that crashed after claiming positions: its successor publishes those events at the positions claimed', async () => {
    const before = (await log.readState())?.frontier.size ?? 0;
    const stream = `pledge-${uniqueName('crash')}`;
    const keys = await append([stream], 5);
    const crashed = new LogSequencer(log, {
      origin,
      signer,
      checkpointIntervalMs: 200,
      isPending: (key) => store.isPending(key),
      partitionOf: () => 0,
    });
    const pending = await store.nextToPublish(100);
    const claimed = await crashed.assign(
      pending.map((p) => ({ key: p.key, eventId: p.event.eventId, hash: p.event.hash })),
    );
    expect(claimed).toEqual([0, 1, 2, 3, 4].map((i) => before + i));
    // ... and died before publishing. The next relay keeps those positions.
    const next = relay();
    await next.start();
    await drained();
    await next.stop();
    for (const [i, key] of keys.entries()) expect(await log.indexOfKey(key)).toBe(before + i);
    expect((await log.readState())!.frontier.size).toBe(before + 5);
  });

  it('two sequencers that both believe they hold the lease: no position holds two events and no event gets two positions', async () => {
    const streams = Array.from({ length: 20 }, () => `pledge-${uniqueName('race')}`);
    await append(streams, 3);
    const sequencer = () =>
      new LogSequencer(log, {
        origin,
        signer,
        checkpointIntervalMs: 200,
        isPending: (key) => store.isPending(key),
        partitionOf: () => 0,
      });
    const [a, b] = [sequencer(), sequencer()];
    let conflicts = 0;
    // Each takes overlapping slices of the outbox and retries after a conflict, as a relay would.
    const work = async (s: LogSequencer, offset: number) => {
      for (let round = 0; round < 30; round++) {
        const pending = (await store.nextToPublish(60)).slice(offset % 7, (offset % 7) + 10);
        if (pending.length === 0) return;
        try {
          await s.assign(pending.map((p) => ({ key: p.key, eventId: p.event.eventId, hash: p.event.hash })));
        } catch {
          conflicts += 1;
        }
        offset += 3;
      }
    };
    await Promise.all([work(a, 0), work(b, 1)]);
    const all: { key: string; index: number }[] = [];
    for (let i = 0; ; i++) {
      const entry = await log.entryAt(i);
      if (!entry) break;
      all.push(entry);
    }
    expect(new Set(all.map((e) => e.key)).size).toBe(all.length);
    expect(all.map((e) => e.index)).toEqual(all.map((_, i) => i));
    process.stdout.write(`two sequencers: ${all.length} positions, ${conflicts} conflicts, no duplicates\n`);
    // Publishing the rest: every event in the outbox ends with exactly one position.
    const relayNow = relay();
    await relayNow.start();
    await drained();
    await relayNow.stop();
    const keys = new Set<string>();
    for (let i = 0; ; i++) {
      const entry = await log.entryAt(i);
      if (!entry) break;
      expect(keys.has(entry.key)).toBe(false);
      keys.add(entry.key);
    }
  });
});
