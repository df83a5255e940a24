import { ChildProcess } from 'node:child_process';
import { Db, MongoClient } from 'mongodb';
import { Kafka } from 'kafkajs';
import { MongoEventStore, RecordedEvent } from '@ledger/event-store';
import { decodeEvent, ensureTopic, reconcileLog } from '@ledger/messaging';
import {
  eventually,
  testKafka,
  testKafkaBrokers,
  testMongoClient,
  testMongoUri,
  uniqueName,
} from '@ledger/testing';
import { startApp, stopApp } from './support/app-process';

const STREAMS = 20;
const EVENTS_PER_STREAM = 20;
const TOTAL = STREAMS * EVENTS_PER_STREAM;

/** The relay as its own process, killed with SIGKILL in the middle of its work and started again. */
describe('outbox relay crash', () => {
  let client: MongoClient;
  let db: Db;
  let kafka: Kafka;
  const dbName = uniqueName('relay');
  const topic = uniqueName('relay_events');

  beforeAll(async () => {
    client = await testMongoClient();
    db = client.db(dbName);
    kafka = testKafka();
  });
  const children: ChildProcess[] = [];
  afterAll(async () => {
    // A failed run must not leave a relay behind.
    await Promise.all(children.map((child) => stopApp(child, 'SIGKILL')));
    await db.dropDatabase();
    await client.close();
  });

  it('loses nothing and keeps each pledge in order when killed mid-batch and restarted', async () => {
    const store = new MongoEventStore(db);
    await store.ensureIndexes();
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopic(admin, { topic, numPartitions: 3, replicationFactor: 1, retainForever: true });
    await admin.disconnect();
    const principal = {
      principal: { id: 'org-1', role: 'organisation', name: 'Org' },
      correlationId: 'seed',
    };
    // Interleave streams so every batch carries many pledges.
    for (let version = 0; version < EVENTS_PER_STREAM; version++) {
      await Promise.all(
        Array.from({ length: STREAMS }, (_, s) =>
          store.append(
            `pledge-00000000-0000-4000-8000-${String(s).padStart(12, '0')}`,
            version,
            { type: 'ProgressReported', payload: { n: version + 1 } },
            principal,
          ),
        ),
      );
    }
    const env = {
      MONGODB_URI: testMongoUri(),
      MONGODB_DB: dbName,
      KAFKA_BROKERS: testKafkaBrokers(),
      PLEDGE_EVENTS_TOPIC: topic,
      DEAD_LETTER_TOPIC: `${topic}.dead-letter`,
      PLEDGE_EVENTS_PARTITIONS: '3',
      RELAY_BATCH_SIZE: '10',
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
    };
    const outbox = db.collection('outbox');

    const first = startApp('relay', env);
    children.push(first);
    await eventually(
      async () => (TOTAL - (await outbox.countDocuments({})) >= 100 ? true : undefined),
      90000,
      20,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${first.output()}`);
    });
    await stopApp(first, 'SIGKILL');
    const publishedAtKill = TOTAL - (await outbox.countDocuments({}));
    expect(publishedAtKill).toBeLessThan(TOTAL);

    const second = startApp('relay', env);
    children.push(second);
    await eventually(
      async () => ((await outbox.countDocuments({})) === 0 ? true : undefined),
      90000,
      50,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${second.output()}`);
    });
    expect(await stopApp(second, 'SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    expect(second.output()).toContain('outbox relay stopped');

    const received: RecordedEvent[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('relay_check') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(decodeEvent(message)) });
    await eventually(
      async () => (new Set(received.map((e) => e.eventId)).size === TOTAL ? true : undefined),
      60000,
    );
    await consumer.disconnect();

    // Every event arrived (duplicates allowed: at least once), and per pledge no version before its predecessor.
    const byStream = new Map<string, number[]>();
    for (const event of received)
      byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event.version]);
    expect(byStream.size).toBe(STREAMS);
    for (const versions of byStream.values()) {
      let highest = 0;
      for (const version of versions) {
        expect(version).toBeLessThanOrEqual(highest + 1);
        highest = Math.max(highest, version);
      }
      expect(highest).toBe(EVENTS_PER_STREAM);
    }
    // The operators' reconciliation agrees: every stored event is on the topic, in order.
    const report = await reconcileLog(store, kafka, topic);
    expect(report).toMatchObject({ stored: TOTAL, pending: 0, missing: [], orderViolations: [], ok: true });
    process.stdout.write(
      `relay crash test: ${publishedAtKill} of ${TOTAL} published before SIGKILL, ${received.length - TOTAL} duplicates after restart\n`,
    );
  });
});
