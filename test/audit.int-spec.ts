import { testKafkaBrokers, testMongoUri } from '@ledger/testing';
import { runCli } from './support/app-process';
import { LedgerApiHarness, samplePledge } from './support/ledger-api.harness';

/** The watchdog's audit trail, read from the real event store. */
describe('watchdog audit', () => {
  const api = new LedgerApiHarness();
  let org: { id: string; apiKey: string };
  let pledgeId: string;

  beforeAll(async () => {
    await api.start();
    org = await api.registerOrganisation();
    pledgeId = (await api.request('POST', '/pledges', { key: org.apiKey, body: samplePledge() })).body
      .pledgeId;
    const targets = samplePledge().targets.map((t) =>
      t.id === 'women-online' ? { ...t, targetValue: 45 } : t,
    );
    await api.request('POST', `/pledges/${pledgeId}/amendments`, {
      key: org.apiKey,
      body: { reason: 'Budget cut', changes: { targets } },
    });
    await api.request('POST', `/pledges/${pledgeId}/progress`, {
      key: org.apiKey,
      body: { targetId: 'women-online', value: 33, asOf: '2026-02-28' },
    });
  });
  afterAll(() => api.stop());

  it('shows the full history with envelope, principal and chained hashes', async () => {
    const history = await api.request('GET', `/pledges/${pledgeId}/history`);
    expect(history.status).toBe(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual([
      'PledgeSubmitted',
      'PledgeAmended',
      'ProgressReported',
    ]);
    const [first, second] = history.body.events;
    expect(first).toMatchObject({
      version: 1,
      schemaVersion: 1,
      principal: { id: org.id, role: 'organisation' },
      prevHash: '0'.repeat(64),
    });
    expect(second.prevHash).toBe(first.hash);
    expect(first.correlationId).toEqual(expect.any(String));
  });

  it('shows the pledge as it stood at an earlier version and time, and the diff between versions', async () => {
    const v1 = await api.request('GET', `/pledges/${pledgeId}/state?version=1`);
    expect(v1.body.state.terms.targets[0].targetValue).toBe(50);
    const history = await api.request('GET', `/pledges/${pledgeId}/history`);
    const atSubmission = await api.request(
      'GET',
      `/pledges/${pledgeId}/state?at=${encodeURIComponent(history.body.events[0].recordedAt)}`,
    );
    expect(atSubmission.body.version).toBe(1);
    const diff = await api.request('GET', `/pledges/${pledgeId}/diff?from=1&to=2`);
    expect(diff.body.changes).toEqual(
      expect.arrayContaining([{ path: '/terms/targets/0/targetValue', before: 50, after: 45 }]),
    );
    expect(diff.body.events).toEqual([expect.objectContaining({ version: 2, type: 'PledgeAmended' })]);
    const bad = await api.request('GET', `/pledges/${pledgeId}/state?version=zero`);
    expect(bad.status).toBe(400);
  });

  it('keeps effective and recorded time apart: ?asOf= (what was pledged and reported by then) and ?recordedAt=', async () => {
    const history = (await api.request('GET', `/pledges/${pledgeId}/history`)).body;
    const submittedAt = history.events[0].recordedAt as string;
    const today = new Date().toISOString().slice(0, 10);
    // As of today, as known now: the amendment and the report (as of 2026-02-28, sent today) both count.
    const now = await api.request('GET', `/pledges/${pledgeId}/state?asOf=${today}`);
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ asOf: today, eventsIncluded: 3, version: 3 });
    expect(now.body.state.progressReports).toEqual([
      expect.objectContaining({ value: 33, asOf: '2026-02-28' }),
    ]);
    // The pledge itself was made today: as of an earlier date it had not been made, whatever came since.
    const before = await api.request('GET', `/pledges/${pledgeId}/state?asOf=2026-03-01`);
    expect(before.status).toBe(404);
    expect(before.body.detail).toContain('had not been made as of 2026-03-01');
    // As recorded at the submission: only the submission; both times at once: as of today, known then.
    const recorded = await api.request(
      'GET',
      `/pledges/${pledgeId}/state?recordedAt=${encodeURIComponent(submittedAt)}`,
    );
    expect(recorded.body).toMatchObject({ recordedAt: submittedAt, version: 1 });
    expect(recorded.body.state.progressReports).toEqual([]);
    const knownThen = await api.request(
      'GET',
      `/pledges/${pledgeId}/state?asOf=${today}&recordedAt=${encodeURIComponent(submittedAt)}`,
    );
    expect(knownThen.body).toMatchObject({ eventsIncluded: 1, version: 1 });
    for (const bad of ['2026-02-30', 'soon', '2026-3-1']) {
      const refused = await api.request('GET', `/pledges/${pledgeId}/state?asOf=${bad}`);
      expect(refused.status).toBe(400);
      expect(refused.body['invalid-params']).toEqual([expect.objectContaining({ name: 'asOf' })]);
    }
    // `at` is the older name of recordedAt, which decides when both are given.
    const both = await api.request(
      'GET',
      `/pledges/${pledgeId}/state?at=2020-01-01T00:00:00Z&recordedAt=${encodeURIComponent(submittedAt)}`,
    );
    expect(both.body).toMatchObject({ recordedAt: submittedAt, version: 1 });
  });

  it('answers a version past the last with 404 at once, without reading up to it', async () => {
    const started = Date.now();
    const beyond = await api.request('GET', `/pledges/${pledgeId}/state?version=999999999`);
    expect(beyond.status).toBe(404);
    expect(beyond.body).toMatchObject({ code: 'unknown-version' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('catches an event edited directly in MongoDB, by endpoint and by CLI, naming the first broken link', async () => {
    const clean = await api.request('GET', `/pledges/${pledgeId}/integrity`);
    expect(clean.body).toMatchObject({ valid: true, eventsChecked: 3 });
    const env = {
      MONGODB_URI: testMongoUri(),
      MONGODB_DB: api.dbName,
      KAFKA_BROKERS: testKafkaBrokers(),
      LOG_LEVEL: 'warn',
    };
    expect((await runCli(['verify'], env)).code).toBe(0);

    // A quiet rewrite of history: the original target raised back in the stored submission.
    await api.db
      .collection('events')
      .updateOne(
        { streamId: `pledge-${pledgeId}`, version: 1 },
        { $set: { 'payload.terms.targets.0.targetValue': 80 } },
      );

    const one = await api.request('GET', `/pledges/${pledgeId}/integrity`);
    expect(one.body).toMatchObject({ valid: false, firstBreak: { kind: 'hash-mismatch', version: 1 } });
    const all = await api.request('GET', '/integrity');
    expect(all.body.valid).toBe(false);
    expect(all.body.broken.map((b: { streamId: string }) => b.streamId)).toEqual([`pledge-${pledgeId}`]);
    const cli = await runCli(['verify'], env);
    expect(cli.code).toBe(1);
    expect(cli.output).toContain(`BROKEN pledge-${pledgeId} v1`);
    const cliOne = await runCli(['verify', pledgeId], env);
    expect(cliOne.code).toBe(1);
  });
});
