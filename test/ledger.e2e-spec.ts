import { randomBytes } from 'node:crypto';
import { ChildProcess } from 'node:child_process';
import { MongoClient } from 'mongodb';
import { encodeEvent } from '@ledger/messaging';
import {
  eventually,
  testKafka,
  testKafkaBrokers,
  testMongoClient,
  testMongoUri,
  uniqueName,
} from '@ledger/testing';
import { runCli, startApp, stopApp } from './support/app-process';
import { samplePledge } from './support/ledger-api.harness';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ContractRecorder } from './support/openapi-contract';

type App = ChildProcess & { output: () => string };

/** The ledger as an operator runs it: API, relay and projector as separate processes, driven over HTTP. */
describe('ledger end to end', () => {
  const dbName = uniqueName('e2e');
  const readDbName = uniqueName('e2e_read');
  const topic = uniqueName('e2e_events');
  const adminKey = randomBytes(24).toString('base64url');
  const env = {
    MONGODB_URI: testMongoUri(),
    MONGODB_DB: dbName,
    MONGODB_READ_DB: readDbName,
    KAFKA_BROKERS: testKafkaBrokers(),
    PLEDGE_EVENTS_TOPIC: topic,
    DEAD_LETTER_TOPIC: `${topic}.dead-letter`,
    PLEDGE_EVENTS_PARTITIONS: '3',
    PROJECTOR_GROUP_ID: `${topic}-projector`,
    ADMIN_API_KEY: adminKey,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_LEVEL: 'info',
  };
  let api: App;
  let relay: App;
  let projector: App;
  let url: string;
  let client: MongoClient;
  let orgKey: string;
  /** Every answer `http` receives, checked against the served OpenAPI document after the tests. */
  const contract = new ContractRecorder(() => url);

  const http = (method: string, path: string, body?: unknown, key?: string) =>
    contract.request(method, path, body, key);

  /**
   * Waits until a report reflects every write made so far, by its watermark: once the outbox is empty every
   * recorded event is on the topic, and the report covers them when its per-partition offsets reach the
   * topic's end offsets. No sleeps, no guessing.
   */
  async function reportCoveringAllWrites(path: string) {
    await eventually(
      async () => ((await http('GET', '/health')).body.info?.outbox?.unpublished === 0 ? true : undefined),
      60000,
    );
    const admin = testKafka().admin();
    await admin.connect();
    const ends = (await admin.fetchTopicOffsets(topic)).filter((p) => Number(p.high) > 0);
    await admin.disconnect();
    return eventually(async () => {
      const report = await http('GET', path);
      const reflected: { partition: number; offset: number }[] = report.body.watermark?.partitions ?? [];
      const covered = ends.every(
        (end) => (reflected.find((p) => p.partition === end.partition)?.offset ?? 0) >= Number(end.high),
      );
      return covered ? report.body : undefined;
    }, 60000);
  }

  const summaries = () =>
    client
      .db(readDbName)
      .collection<{ _id: string; active: string }>('read_model_catalog')
      .findOne({ _id: 'pledge_summaries' });

  beforeAll(async () => {
    client = await testMongoClient();
    api = startApp('ledger-api', env);
    url = await eventually(async () => /LEDGER_API_URL=(\S+)/.exec(api.output())?.[1], 60000).catch(
      (e: Error) => {
        throw new Error(`${e.message}\n${api.output()}`);
      },
    );
    relay = startApp('relay', env);
    projector = startApp('projector', env);
    await eventually(async () => ((await http('GET', '/health')).status === 200 ? true : undefined), 60000);
    const org = await http(
      'POST',
      '/actors/organisations',
      { name: 'Ministry of ICT, Kenya', type: 'government', country: 'KE' },
      adminKey,
    );
    orgKey = org.body.apiKey;
  });
  afterAll(async () => {
    await Promise.all([api, relay, projector].filter(Boolean).map((app) => stopApp(app)));
    await client.db(dbName).dropDatabase();
    await client.db(readDbName).dropDatabase();
    await client.close();
    await contract.verify();
  });

  it('serves a valid OpenAPI 3 document in which every operation describes its answers', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const document: any = await (await fetch(`${url}/docs/openapi.json`)).json();
    await SwaggerParser.validate(structuredClone(document));
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { responses: Record<string, { content?: object }> }>).map(
        ([method, op]) => ({ name: `${method} ${path}`, responses: op.responses }),
      ),
    );
    for (const { name, responses } of operations) {
      const statuses = Object.keys(responses);
      expect({ name, success: statuses.some((s) => /^2/.test(s)) }).toEqual({ name, success: true });
      for (const status of statuses.filter(
        (s) => /^[45]/.test(s) && !(name === 'get /health' && s === '503'),
      ))
        expect({ name, status, content: Object.keys(responses[status].content ?? {}) }).toEqual({
          name,
          status,
          content: ['application/problem+json'],
        });
    }
    const schemes = document.components.securitySchemes;
    expect(schemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(schemes.bearer.bearerFormat).toBeUndefined();
    expect(schemes['api-key']).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }),
    );
    expect(document.components.schemas.PledgeTermsDto).toMatchObject({ additionalProperties: false });
    expect(document.components.schemas.PledgeTermsDto.required).not.toContain('regions');
    const ifMatch = (method: string, path: string) =>
      document.paths[path][method].parameters.some((p: { name: string }) => p.name === 'If-Match');
    expect([ifMatch('post', '/pledges'), ifMatch('post', '/pledges/{pledgeId}/amendments')]).toEqual([
      false,
      true,
    ]);
  });

  it('reports Kafka and MongoDB up on /health', async () => {
    const health = await http('GET', '/health');
    expect(health.body).toMatchObject({
      status: 'ok',
      info: { kafka: { status: 'up' }, mongodb: { status: 'up' }, outbox: { status: 'up' } },
    });
  });

  it('submit, then progress: the report shows it once its watermark covers the event', async () => {
    const submitted = await http('POST', '/pledges', samplePledge(), orgKey);
    expect(submitted.status).toBe(201);
    const pledgeId = submitted.body.pledgeId;
    const progress = await http(
      'POST',
      `/pledges/${pledgeId}/progress`,
      { targetId: 'women-online', value: 40, asOf: '2026-06-30' },
      orgKey,
    );
    expect(progress.status).toBe(201);

    const report = await reportCoveringAllWrites('/reports/country?country=KE');
    const kenya = report.groups.find((g: { key: string }) => g.key === 'KE');
    expect(kenya.pledges).toBe(1);
    expect(kenya.targets).toMatchObject({ total: 2, noProgress: 1 });
    expect(kenya.financialCommitments).toEqual([{ currency: 'USD', amount: 25000000, pledges: 1 }]);
    const listed = await http('GET', `/pledges?country=KE&status=active`);
    expect(listed.body.items[0]).toMatchObject({ pledgeId, version: 2 });
  });

  it('a projector killed mid-stream and restarted ends equal to a full replay', async () => {
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 12; i++) {
      writes.push(
        http('POST', '/pledges', samplePledge({ countries: ['KE', 'UG'] }), orgKey).then((r) =>
          http(
            'POST',
            `/pledges/${r.body.pledgeId}/progress`,
            { targetId: 'gender-gap', value: 12, asOf: '2026-05-31' },
            orgKey,
          ),
        ),
      );
      if (i === 4) await stopApp(projector, 'SIGKILL');
    }
    const results = (await Promise.all(writes)) as { status: number }[];
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    projector = startApp('projector', env);
    const live = await reportCoveringAllWrites('/reports/country');
    expect(live.totals.pledges).toBe(13);

    const before = await summaries();
    const liveDocs = await client
      .db(readDbName)
      .collection(before?.active ?? 'pledge_summaries_g0')
      .find({})
      .sort({ _id: 1 })
      .toArray();
    const rebuild = await runCli(['rebuild'], env);
    expect(rebuild.code).toBe(0);
    const after = await summaries();
    expect(after?.active).not.toBe(before?.active ?? 'pledge_summaries_g0');
    const rebuiltDocs = await client
      .db(readDbName)
      .collection(after!.active)
      .find({})
      .sort({ _id: 1 })
      .toArray();
    expect(rebuiltDocs).toEqual(liveDocs);
    const rebuiltReport = (await http('GET', '/reports/country')).body;
    expect(rebuiltReport.groups).toEqual(live.groups);
  });

  it('does not double-count events that reach the topic twice', async () => {
    const before = (await http('GET', '/reports/actor')).body;
    const events = await client.db(dbName).collection('events').find({}).toArray();
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: events.map(({ _id: _key, claim: _claim, ...recorded }) => encodeEvent(recorded as never)),
    });
    await producer.disconnect();
    const status = await eventually(async () => {
      const projectorStatus = (await fetch(
        `${/projector listening on (http:\/\/[0-9.:]+)/.exec(projector.output())?.[1]}/status`,
      ).then((r) => r.json())) as {
        totalLag: number;
        deadLetters: number;
        thisProcess: { duplicates: number };
      };
      return projectorStatus.totalLag === 0 && projectorStatus.thisProcess.duplicates >= events.length
        ? projectorStatus
        : undefined;
    }, 60000);
    expect(status.deadLetters).toBe(0);
    const after = (await http('GET', '/reports/actor')).body;
    expect(after.groups).toEqual(before.groups);
    expect(after.totals).toEqual(before.totals);
  });

  it('keeps report snapshots compiled: an unfiltered report reads one, equal to the report computed on request', async () => {
    const snapshot = await eventually(async () => {
      const report = await reportCoveringAllWrites('/reports/action');
      return report.source === 'snapshot' ? report : undefined;
    }, 60000);
    const computed = (await http('GET', '/reports/action?fresh=true')).body;
    expect(computed.source).toBe('query');
    expect(snapshot.groups).toEqual(computed.groups);
    expect(snapshot.totals).toEqual(computed.totals);
    expect(snapshot.totals.pledges).toBeGreaterThan(0);
    const status = (await fetch(
      `${/projector listening on (http:\/\/[0-9.:]+)/.exec(projector.output())?.[1]}/status`,
    ).then((r) => r.json())) as { reportSnapshots: { pledges: number; generation: string } };
    expect(status.reportSnapshots.pledges).toBe(snapshot.totals.pledges);
  });

  it('loads the demo set through the API with one command, and the reports show it', async () => {
    const before = (await reportCoveringAllWrites('/reports/actor-type')).totals;
    const demo = await runCli(['demo'], { ...env, LEDGER_API_URL: url, ADMIN_API_KEY: adminKey });
    expect(demo.code).toBe(0);
    const summaryLine = demo.output.split('\n').filter((line) => line.startsWith('{"organisations"'));
    const loaded = JSON.parse(summaryLine.pop() ?? '{}') as Record<string, number>;
    expect(loaded).toMatchObject({ pledges: 120, withdrawals: expect.any(Number) });
    for (const count of ['organisations', 'verifiers', 'progressReports', 'corrections', 'amendments'])
      expect(loaded[count]).toBeGreaterThan(0);
    expect(loaded.wateringDowns).toBeGreaterThan(0);
    expect(loaded.withdrawals).toBeGreaterThan(0);
    expect(loaded.fulfilments).toBeGreaterThan(0);

    const report = await reportCoveringAllWrites('/reports/actor-type');
    expect(report.totals.pledges).toBe(before.pledges + loaded.pledges);
    expect(report.groups.length).toBeGreaterThanOrEqual(5);
    const { byStatus } = report.totals;
    expect(byStatus.withdrawn).toBe(before.byStatus.withdrawn + loaded.withdrawals);
    expect(byStatus.fulfilled).toBe(before.byStatus.fulfilled + loaded.fulfilments);
    expect(report.totals.wateredDownPledges).toBeGreaterThan(before.wateredDownPledges);
    expect(report.totals.verification.confirmed + report.totals.verification.disputed).toBeGreaterThan(0);
    const byAction = (await http('GET', '/reports/action')).body;
    expect(byAction.groups.map((g: { key: string }) => g.key.split('/')[0])).toEqual(
      expect.arrayContaining(['wsis10-gender-gap', 'gender-caucus']),
    );
  });

  it('never writes a key into a log, even one sent in the query string', async () => {
    const refused = await fetch(`${url}/pledges?apiKey=${orgKey}&country=KE`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(samplePledge()),
    });
    expect(refused.status).toBe(401);
    await fetch(`${url}/pledges?apiKey=${orgKey}`);
    await fetch(`${url}/nowhere?token=${orgKey}`);
    await eventually(async () => (api.output().includes('apiKey=[redacted]') ? true : undefined), 10000);
    for (const app of [api, relay, projector]) {
      expect(app.output()).not.toContain(orgKey);
      expect(app.output()).not.toContain(adminKey);
    }
  });

  it('ends with the store and the topic reconciled: nothing stored is missing from the topic', async () => {
    await eventually(
      async () => ((await http('GET', '/health')).body.info?.outbox?.unpublished === 0 ? true : undefined),
      60000,
    );
    const audit = await runCli(['audit-log'], env);
    expect(audit.output).toMatch(/^OK: \d+ stored/m);
    expect(audit.code).toBe(0);
    const viaApi = await http('GET', '/integrity/log');
    expect(viaApi.status).toBe(200);
    expect(viaApi.body).toMatchObject({ ok: true, missing: [], unknownOnTopic: [], orderViolations: [] });
    expect(viaApi.body.stored).toBeGreaterThan(120);
    // The test above sent every event a second time: counted as harmless duplicates.
    expect(viaApi.body.duplicates).toBeGreaterThan(0);
  });
});
