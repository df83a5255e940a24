import { LedgerApiHarness, samplePledge } from './support/ledger-api.harness';

/** The write side over HTTP, against a real MongoDB-wire server and Kafka broker. */
describe('pledge writes over HTTP', () => {
  const api = new LedgerApiHarness();
  let orgA: { id: string; apiKey: string };
  let orgB: { id: string; apiKey: string };
  let verifier: { id: string; apiKey: string };

  beforeAll(async () => {
    await api.start();
    [orgA, orgB, verifier] = await Promise.all([
      api.registerOrganisation(),
      api.registerOrganisation(undefined, 'civil-society', 'UG'),
      api.registerVerifier(),
    ]);
  });
  afterAll(() => api.stop());

  async function submit(key = orgA.apiKey) {
    const result = await api.request('POST', '/pledges', { key, body: samplePledge() });
    expect(result.status).toBe(201);
    return result.body.pledgeId as string;
  }

  describe('authentication and ownership', () => {
    it('refuses a write without a key (401) or with an unknown key (401)', async () => {
      const none = await api.request('POST', '/pledges', { body: samplePledge() });
      const unknown = await api.request('POST', '/pledges', {
        key: 'plk_not-a-real-key',
        body: samplePledge(),
      });
      for (const result of [none, unknown]) {
        expect(result.status).toBe(401);
        expect(result.headers.get('content-type')).toContain('application/problem+json');
      }
      expect(unknown.body.detail).not.toContain('plk_not-a-real-key');
    });

    it('refuses a valid key of the wrong role (403), distinct from 401', async () => {
      const byVerifier = await api.request('POST', '/pledges', {
        key: verifier.apiKey,
        body: samplePledge(),
      });
      expect(byVerifier.status).toBe(403);
      const byOrgAsAdmin = await api.request('POST', '/actors/organisations', {
        key: orgA.apiKey,
        body: { name: 'Sneaky', type: 'government', country: 'KE' },
      });
      expect(byOrgAsAdmin.status).toBe(403);
    });

    it('records the pledge in the name of the key holder and the principal on the event', async () => {
      const pledgeId = await submit();
      const pledge = await api.request('GET', `/pledges/${pledgeId}`);
      expect(pledge.body.actor.id).toBe(orgA.id);
      const [event] = await api.db
        .collection('events')
        .find({ streamId: `pledge-${pledgeId}` })
        .toArray();
      expect(event.principal).toMatchObject({ id: orgA.id, role: 'organisation' });
      expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it("refuses a write to another organisation's pledge and stores nothing", async () => {
      const pledgeId = await submit(orgA.apiKey);
      const before = await api.eventCount();
      const result = await api.request('POST', `/pledges/${pledgeId}/progress`, {
        key: orgB.apiKey,
        body: { targetId: 'women-online', value: 35, asOf: '2026-01-31' },
      });
      expect(result.status).toBe(403);
      expect(result.body.code).toBe('not-pledge-owner');
      expect(await api.eventCount()).toBe(before);
    });

    it('stops accepting a rotated key at once and accepts its replacement', async () => {
      const org = await api.registerOrganisation();
      const rotated = await api.request('POST', `/actors/${org.id}/api-key`, { key: api.adminKey });
      expect(rotated.status).toBe(200);
      const withOld = await api.request('POST', '/pledges', { key: org.apiKey, body: samplePledge() });
      const withNew = await api.request('POST', '/pledges', {
        key: rotated.body.apiKey,
        body: samplePledge(),
      });
      expect(withOld.status).toBe(401);
      expect(withNew.status).toBe(201);
    });

    it('shows an API key once and stores only its hash', async () => {
      const org = await api.registerOrganisation();
      const stored = await api.db.collection('actors').findOne({ _id: org.id as never });
      expect(JSON.stringify(stored)).not.toContain(org.apiKey);
      const listed = await api.request('GET', `/actors/${org.id}`);
      expect(JSON.stringify(listed.body)).not.toContain('apiKey');
    });
  });

  describe('optimistic concurrency', () => {
    it('lets one of many concurrent writers at the same version win; the rest get 409 with the current version', async () => {
      const pledgeId = await submit();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          api.request('POST', `/pledges/${pledgeId}/progress`, {
            key: orgA.apiKey,
            headers: { 'if-match': '"1"' },
            body: { targetId: 'women-online', value: 31 + i, asOf: '2026-01-31' },
          }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      const conflicts = results.filter((r) => r.status === 409);
      expect(conflicts).toHaveLength(7);
      for (const conflict of conflicts)
        expect(conflict.body).toMatchObject({ code: 'version-conflict', currentVersion: 2 });
      expect(await api.eventCount({ streamId: `pledge-${pledgeId}` })).toBe(2);
      const pledge = await api.request('GET', `/pledges/${pledgeId}`);
      expect(pledge.headers.get('etag')).toBe('"2"');
    });

    it('without If-Match, concurrent reports on one pledge are all recorded, each at its own version', async () => {
      const pledgeId = await submit();
      const results = await Promise.all(
        Array.from({ length: 3 }, (_, i) =>
          api.request('POST', `/pledges/${pledgeId}/progress`, {
            key: orgA.apiKey,
            body: { targetId: 'women-online', value: 31 + i, asOf: '2026-01-31' },
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(results.map((r) => r.body.version).sort()).toEqual([2, 3, 4]);
    });
  });

  describe('idempotent retries', () => {
    it('answers a retry with the same key and body with the original response and records nothing new', async () => {
      const pledgeId = await submit();
      const request = {
        key: orgA.apiKey,
        headers: { 'idempotency-key': 'report-2026-01' },
        body: { targetId: 'women-online', value: 33, asOf: '2026-01-31', narrative: 'Q4 survey' },
      };
      const first = await api.request('POST', `/pledges/${pledgeId}/progress`, request);
      const retry = await api.request('POST', `/pledges/${pledgeId}/progress`, request);
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await api.eventCount({ streamId: `pledge-${pledgeId}` })).toBe(2);

      const reused = await api.request('POST', `/pledges/${pledgeId}/progress`, {
        ...request,
        body: { ...request.body, value: 34 },
      });
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('idempotency-key-reused');
      expect(await api.eventCount({ streamId: `pledge-${pledgeId}` })).toBe(2);
    });

    it('makes a retried submission create one pledge, not two', async () => {
      const before = await api.eventCount();
      const request = {
        key: orgA.apiKey,
        headers: { 'idempotency-key': 'submit-kenya-1' },
        body: samplePledge(),
      };
      const first = await api.request('POST', '/pledges', request);
      const retry = await api.request('POST', '/pledges', request);
      expect(retry.body.pledgeId).toBe(first.body.pledgeId);
      expect(retry.headers.get('location')).toBe(`/pledges/${first.body.pledgeId}`);
      expect(await api.eventCount()).toBe(before + 1);
    });

    it('refuses a key that is empty or not 1-200 visible ASCII characters, recording nothing', async () => {
      const before = await api.eventCount();
      for (const key of ['', ' \t ', 'has space', 'x'.repeat(201)]) {
        const refused = await api.request('POST', '/pledges', {
          key: orgA.apiKey,
          headers: { 'idempotency-key': key },
          body: samplePledge(),
        });
        expect(refused.status).toBe(400);
        expect(refused.body.code).toBe('invalid-idempotency-key');
      }
      expect(await api.eventCount()).toBe(before);
    });

    it('keys are per organisation: the same key from another organisation is a different request', async () => {
      const headers = { 'idempotency-key': 'shared-key' };
      const a = await api.request('POST', '/pledges', { key: orgA.apiKey, headers, body: samplePledge() });
      const b = await api.request('POST', '/pledges', { key: orgB.apiKey, headers, body: samplePledge() });
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(b.body.pledgeId).not.toBe(a.body.pledgeId);
    });
  });

  describe('bad input is refused with a specific problem and changes nothing', () => {
    let pledgeId: string;
    beforeAll(async () => {
      pledgeId = await submit();
    });

    type BadRequest = {
      method: string;
      path: string;
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
    };
    // [name, request, status, JSON pointer of the bad field]; the pointer is always given (Jest would take a
    // missing last argument for a done callback).
    const cases: [string, () => BadRequest, number, string | null][] = [
      [
        'unknown field',
        () => ({ method: 'POST', path: '/pledges', body: { ...samplePledge(), budgetNote: 'x' } }),
        400,
        '/budgetNote',
      ],
      [
        'missing title',
        () => ({ method: 'POST', path: '/pledges', body: { ...samplePledge(), title: undefined } }),
        400,
        '/title',
      ],
      [
        'number as string',
        () => ({
          method: 'POST',
          path: '/pledges',
          body: samplePledge({ targets: [{ ...samplePledge().targets[0], baseline: '30' }] }),
        }),
        400,
        '/targets/0/baseline',
      ],
      [
        'unknown field in a nested target',
        () => ({
          method: 'POST',
          path: '/pledges',
          body: samplePledge({ targets: [{ ...samplePledge().targets[0], weight: 2 }] }),
        }),
        400,
        '/targets/0/weight',
      ],
      [
        'no actions',
        () => ({ method: 'POST', path: '/pledges', body: samplePledge({ actions: [] }) }),
        400,
        '/actions',
      ],
      [
        'lower-case country',
        () => ({ method: 'POST', path: '/pledges', body: samplePledge({ countries: ['ke'] }) }),
        400,
        '/countries',
      ],
      [
        'not a country',
        () => ({ method: 'POST', path: '/pledges', body: samplePledge({ countries: ['ZZ'] }) }),
        422,
        '/countries/0',
      ],
      [
        'unknown framework',
        () => ({
          method: 'POST',
          path: '/pledges',
          body: samplePledge({ actions: [{ framework: 'sdg', action: 'access' }] }),
        }),
        422,
        '/actions/0/framework',
      ],
      [
        'unknown action',
        () => ({
          method: 'POST',
          path: '/pledges',
          body: samplePledge({ actions: [{ framework: 'gender-caucus', action: 'access' }] }),
        }),
        422,
        '/actions/0/action',
      ],
      [
        'not a currency',
        () => ({
          method: 'POST',
          path: '/pledges',
          body: samplePledge({ financialCommitment: { amount: 5, currency: 'XYZ' } }),
        }),
        422,
        '/financialCommitment/currency',
      ],
      [
        'impossible deadline',
        () => ({
          method: 'POST',
          path: '/pledges',
          body: samplePledge({ targets: [{ ...samplePledge().targets[0], deadline: '2030-02-30' }] }),
        }),
        422,
        '/targets/0/deadline',
      ],
      ['malformed JSON', () => ({ method: 'POST', path: '/pledges', rawBody: '{"title": "x",' }), 400, null],
      [
        'not JSON at all',
        () => ({
          method: 'POST',
          path: '/pledges',
          rawBody: 'title=x',
          headers: { 'content-type': 'text/plain' },
        }),
        415,
        null,
      ],
      [
        'oversized body',
        () => ({
          method: 'POST',
          path: '/pledges',
          body: samplePledge({ description: 'x'.repeat(70 * 1024) }),
        }),
        413,
        null,
      ],
      [
        'progress on an unknown target',
        () => ({
          method: 'POST',
          path: `/pledges/${pledgeId}/progress`,
          body: { targetId: 'nope', value: 1, asOf: '2026-01-01' },
        }),
        422,
        '/targetId',
      ],
      [
        'progress dated in the future',
        () => ({
          method: 'POST',
          path: `/pledges/${pledgeId}/progress`,
          body: { targetId: 'women-online', value: 1, asOf: '2999-01-01' },
        }),
        422,
        '/asOf',
      ],
      [
        'evidence that is not a URL',
        () => ({
          method: 'POST',
          path: `/pledges/${pledgeId}/progress`,
          body: { targetId: 'women-online', value: 1, asOf: '2026-01-01', evidence: ['see file'] },
        }),
        400,
        '/evidence',
      ],
      [
        'a pledge id that is not a UUID',
        () => ({
          method: 'POST',
          path: '/pledges/123/progress',
          body: { targetId: 'women-online', value: 1, asOf: '2026-01-01' },
        }),
        400,
        null,
      ],
      [
        'a pledge that does not exist',
        () => ({
          method: 'POST',
          path: '/pledges/8a5b3c1e-4f2d-4e6a-9b7c-1d2e3f4a5b6c/progress',
          body: { targetId: 'women-online', value: 1, asOf: '2026-01-01' },
        }),
        404,
        null,
      ],
      [
        'an If-Match that is not a version',
        () => ({
          method: 'POST',
          path: `/pledges/${pledgeId}/progress`,
          headers: { 'if-match': 'yesterday' },
          body: { targetId: 'women-online', value: 1, asOf: '2026-01-01' },
        }),
        400,
        null,
      ],
      [
        'an amendment without a reason',
        () => ({
          method: 'POST',
          path: `/pledges/${pledgeId}/amendments`,
          body: { changes: { title: 'New title here' } },
        }),
        400,
        '/reason',
      ],
      [
        'an amendment that changes nothing',
        () => ({
          method: 'POST',
          path: `/pledges/${pledgeId}/amendments`,
          body: { reason: 'no reason', changes: {} },
        }),
        422,
        null,
      ],
      [
        'a correction of an unknown report',
        () => ({
          method: 'POST',
          path: `/pledges/${pledgeId}/progress/nope/corrections`,
          body: { value: 1, asOf: '2026-01-01', reason: 'typo fixed' },
        }),
        422,
        null,
      ],
    ];

    it.each(cases)('%s', async (_name, build, status, pointer) => {
      const before = await api.eventCount();
      const { method, path, body, rawBody, headers } = build();
      const result = await api.request(method, path, { key: orgA.apiKey, body, rawBody, headers });
      expect(result.status).toBe(status);
      expect(result.headers.get('content-type')).toContain('application/problem+json');
      expect(result.body).toMatchObject({
        status,
        type: expect.any(String),
        title: expect.any(String),
        detail: expect.any(String),
      });
      if (pointer) {
        expect((result.body['invalid-params'] as { name: string }[]).map((p) => p.name)).toContain(pointer);
      }
      expect(await api.eventCount()).toBe(before);
    });
  });

  describe('the pledge lifecycle', () => {
    it('flags a watering-down amendment and keeps the earlier terms in history', async () => {
      const pledgeId = await submit();
      const targets = samplePledge().targets.map((t) =>
        t.id === 'women-online' ? { ...t, targetValue: 40, deadline: '2032-12-31' } : t,
      );
      const amended = await api.request('POST', `/pledges/${pledgeId}/amendments`, {
        key: orgA.apiKey,
        body: {
          reason: 'Budget cut by parliament',
          changes: { targets, financialCommitment: { amount: 10000000, currency: 'USD' } },
        },
      });
      expect(amended.status).toBe(201);
      expect(amended.body.pledge.wateredDown).toBe(true);
      expect(amended.body.pledge.wateringDown.map((f: { kind: string }) => f.kind).sort()).toEqual(
        ['deadline-postponed', 'financial-commitment-cut', 'target-lowered'].sort(),
      );
      const events = await api.db
        .collection('events')
        .find({ streamId: `pledge-${pledgeId}` })
        .sort({ version: 1 })
        .toArray();
      expect(events[0].payload.terms.targets[0].targetValue).toBe(50);
      expect(events[1].payload.previous.financialCommitment).toEqual({ amount: 25000000, currency: 'USD' });
    });

    it('records progress, a correction, a verification, and refuses progress after withdrawal', async () => {
      const pledgeId = await submit();
      const report = await api.request('POST', `/pledges/${pledgeId}/progress`, {
        key: orgA.apiKey,
        body: {
          targetId: 'women-online',
          value: 36,
          asOf: '2026-06-30',
          evidence: ['https://stats.example.org/ke/2026'],
        },
      });
      expect(report.status).toBe(201);
      // The answer names the new report (in the recorded event) and summarises the pledge, not its history.
      expect(report.body.recorded).toEqual([
        expect.objectContaining({
          type: 'ProgressReported',
          version: 2,
          payload: expect.objectContaining({ targetId: 'women-online', value: 36, asOf: '2026-06-30' }),
        }),
      ]);
      expect(report.body.pledge.progressReports).toBeUndefined();
      const reportId = report.body.recorded[0].payload.reportId;
      expect(
        report.body.pledge.targets.find((t: { targetId: string }) => t.targetId === 'women-online')
          .latestReportId,
      ).toBe(reportId);
      const correction = await api.request('POST', `/pledges/${pledgeId}/progress/${reportId}/corrections`, {
        key: orgA.apiKey,
        body: { value: 34, asOf: '2026-06-30', reason: 'Survey weights revised' },
      });
      expect(correction.status).toBe(201);
      expect(
        correction.body.pledge.targets.find((t: { targetId: string }) => t.targetId === 'women-online')
          .latestValue,
      ).toBe(34);
      const verification = await api.request('POST', `/pledges/${pledgeId}/verifications`, {
        key: verifier.apiKey,
        body: { outcome: 'disputed', note: 'Survey sample excludes rural counties' },
      });
      expect(verification.status).toBe(201);
      expect(verification.body.pledge.verification).toBe('disputed');
      const withdrawn = await api.request('POST', `/pledges/${pledgeId}/withdrawal`, {
        key: orgA.apiKey,
        body: { reason: 'Programme cancelled' },
      });
      expect(withdrawn.body.pledge.status).toBe('withdrawn');
      const late = await api.request('POST', `/pledges/${pledgeId}/progress`, {
        key: orgA.apiKey,
        body: { targetId: 'women-online', value: 40, asOf: '2026-07-31' },
      });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('pledge-closed');
      expect(await api.eventCount({ streamId: `pledge-${pledgeId}` })).toBe(5);
    });
  });
});
