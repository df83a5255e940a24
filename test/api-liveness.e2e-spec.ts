import { randomBytes } from 'node:crypto';
import { Db, MongoClient } from 'mongodb';
import { eventually, testKafkaBrokers, testMongoClient, testMongoUri, uniqueName } from '@ledger/testing';
import { PledgeGenerator } from './bench/read-bench-data';
import { startApp, stopApp } from './support/app-process';
import { ContractRecorder } from './support/openapi-contract';

type App = ReturnType<typeof startApp>;

/** Events seeded for the restart: 100k as the issue measured (LEDGER_TEST_RESTART_EVENTS to change). */
const SEEDED_EVENTS = Number(process.env.LEDGER_TEST_RESTART_EVENTS ?? 100_000);
const EVENTS_PER_PLEDGE = 100;

/**
 * The API stays live: restarted by kill -9 over a store of 100k events it has never seen (every stream head
 * is cold), it writes at once; flooded with requests whose clients give up after a few milliseconds, it
 * stops their work and goes on serving. No timing is asserted: a route that ran past its deadline answers
 * 503, so "200" already says it answered in time.
 */
describe('API liveness after a restart and under a flood', () => {
  const dbName = uniqueName('liveness');
  const topic = uniqueName('liveness_events');
  const adminKey = randomBytes(24).toString('base64url');
  const env = {
    MONGODB_URI: testMongoUri(),
    MONGODB_DB: dbName,
    KAFKA_BROKERS: testKafkaBrokers(),
    PLEDGE_EVENTS_TOPIC: topic,
    DEAD_LETTER_TOPIC: `${topic}.dead-letter`,
    PLEDGE_EVENTS_PARTITIONS: '3',
    ADMIN_API_KEY: adminKey,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
    REQUEST_TIMEOUT_MS: '5000',
  };
  let client: MongoClient;
  let db: Db;
  let api: App | undefined;
  let url: string;
  /** Every answer `http` receives, checked against the served OpenAPI document after the tests. */
  const contract = new ContractRecorder(() => url);
  let orgKey: string;
  const pledgeIds: string[] = [];

  async function startApi(): Promise<App> {
    const app = startApp('ledger-api', env);
    url = await eventually(async () => /LEDGER_API_URL=(\S+)/.exec(app.output())?.[1], 60000).catch(
      (e: Error) => {
        throw new Error(`${e.message}\n${app.output()}`);
      },
    );
    return app;
  }

  async function http(method: string, path: string, body?: unknown, key?: string, timeoutMs = 60000) {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    contract.observe({ method, url: path, status: response.status, headers: response.headers, body: parsed });
    return { status: response.status, body: parsed };
  }

  beforeAll(async () => {
    client = await testMongoClient();
    db = client.db(dbName);
    api = await startApi();
    const org = await http(
      'POST',
      '/actors/organisations',
      { name: 'Ministry of ICT, Kenya', type: 'government', country: 'KE' },
      adminKey,
    );
    expect(org.status).toBe(201);
    orgKey = org.body.apiKey;
    const actor = { id: org.body.id, name: org.body.name, type: 'government' as const, country: 'KE' };
    const generator = new PledgeGenerator({
      reportsPerPledge: EVENTS_PER_PLEDGE - 1,
      closedShare: 0,
      principals: [{ id: org.body.id, role: 'organisation', name: org.body.name, actor }],
    });
    // Stored as if written long ago and published: the new API process has seen none of these streams.
    const started = Date.now();
    for (let seeded = 0; seeded < SEEDED_EVENTS; seeded += EVENTS_PER_PLEDGE) {
      const pledge = generator.next();
      pledgeIds.push(pledge.pledgeId);
      await db.collection('events').insertMany(
        pledge.events.map((e) => ({
          _id: `${e.streamId}:${String(e.version).padStart(10, '0')}`,
          ...e,
        })) as never[],
      );
    }
    process.stdout.write(`liveness: seeded ${SEEDED_EVENTS} events in ${Date.now() - started} ms\n`);
  }, 600_000);

  afterAll(async () => {
    if (api) await stopApp(api, 'SIGKILL');
    await db.dropDatabase();
    await client.close();
    await contract.verify();
  });

  it('restarted by kill -9 with a cold cache over 100k events, it writes at once', async () => {
    await stopApp(api!, 'SIGKILL');
    const restarted = Date.now();
    api = await startApi();
    const up = Date.now() - restarted;
    const targets = pledgeIds.filter((_, i) => i % Math.ceil(pledgeIds.length / 20) === 0);
    const writes = await Promise.all(
      targets.map(async (pledgeId) => {
        const began = Date.now();
        const result = await http(
          'POST',
          `/pledges/${pledgeId}/progress`,
          { targetId: 'women-online', value: 44, asOf: '2026-06-30' },
          orgKey,
        );
        return { ...result, ms: Date.now() - began };
      }),
    );
    const health = await http('GET', '/health');
    expect(writes.map((w) => w.status)).toEqual(targets.map(() => 201));
    expect(writes.map((w) => w.body.version)).toEqual(targets.map(() => EVENTS_PER_PLEDGE + 1));
    expect(health.status).toBe(200);
    const times = writes.map((w) => w.ms).sort((a, b) => a - b);
    process.stdout.write(
      `liveness: API up ${up} ms after kill -9; ${targets.length} first writes to cold pledges: median ${times[times.length >> 1]} ms, slowest ${times[times.length - 1]} ms\n`,
    );
  });

  it('a flood of requests whose clients give up at once leaves it serving, its chain intact (that their work stops: request-deadline.int-spec)', async () => {
    const flood = Array.from({ length: 600 }, async (_, i) => {
      const pledgeId = pledgeIds[i % pledgeIds.length];
      // The heaviest reads there are (a whole store's chain check, a 100-event history) and writes.
      const [method, path, body] =
        // A few whole-store chain checks: FerretDB may go on with a scan after its client left,
        // so hundreds would keep the server busy for the test files after this one.
        i % 50 === 0
          ? (['GET', '/integrity', undefined] as const)
          : i % 2 === 1
            ? (['GET', `/pledges/${pledgeId}/history`, undefined] as const)
            : ([
                'POST',
                `/pledges/${pledgeId}/progress`,
                { targetId: 'gender-gap', value: 9, asOf: '2026-06-30' },
              ] as const);
      try {
        return (await http(method, path, body, orgKey, 5 + (i % 20))).status;
      } catch {
        return 'gave up';
      }
    });
    const outcomes = await Promise.all(flood);
    const gaveUp = outcomes.filter((o) => o === 'gave up').length;
    // Right after the flood: health, a read and a write answer as usual.
    const health = await http('GET', '/health');
    expect(health.status).toBe(200);
    const pledgeId = pledgeIds[1];
    const before = await http('GET', `/pledges/${pledgeId}`);
    expect(before.status).toBe(200);
    const write = await http(
      'POST',
      `/pledges/${pledgeId}/progress`,
      { targetId: 'women-online', value: 47, asOf: '2026-07-31' },
      orgKey,
    );
    expect(write.status).toBe(201);
    // Writes the clients gave up on either stopped before their commit point or were recorded whole: the
    // pledge's chain is intact and every version is one event.
    const integrity = await http('GET', `/pledges/${pledgeId}/integrity`);
    expect(integrity.body).toMatchObject({ valid: true });
    process.stdout.write(
      `liveness: flood of ${outcomes.length} requests, ${gaveUp} abandoned by their clients; statuses of the rest: ${JSON.stringify(
        outcomes
          .filter((o) => o !== 'gave up')
          .reduce<Record<string, number>>((m, o) => ({ ...m, [o]: (m[o] ?? 0) + 1 }), {}),
      )}\n`,
    );
  });
});
