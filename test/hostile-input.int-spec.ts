import { connect } from 'node:net';
import { LedgerApiHarness, samplePledge } from './support/ledger-api.harness';

/**
 * A hostile-input corpus against the API on the real servers: every answer is a 4xx problem+json that
 * names what is wrong, within the request deadline, and nothing is stored.
 */
describe('hostile input (real MongoDB-wire server)', () => {
  const harness = new LedgerApiHarness();
  let orgKey: string;
  let pledgeId: string;
  let events: number;

  beforeAll(async () => {
    await harness.start({ REQUEST_TIMEOUT_MS: '1500' });
    orgKey = (await harness.registerOrganisation()).apiKey;
    pledgeId = (await harness.request('POST', '/pledges', { key: orgKey, body: samplePledge() })).body
      .pledgeId;
    events = await harness.eventCount();
  });
  afterAll(() => harness.stop());

  async function send(path: string, raw: string | Buffer, headers: Record<string, string> = {}) {
    const response = await fetch(`${harness.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${orgKey}`, 'content-type': 'application/json', ...headers },
      body: raw,
    });
    const text = await response.text();
    harness.contract.observe({
      method: 'POST',
      url: path,
      status: response.status,
      headers: response.headers,
      body: JSON.parse(text),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      retryAfter: response.headers.get('retry-after'),
      replayed: response.headers.get('idempotent-replayed') === 'true',
      body: JSON.parse(text),
    };
  }

  const progress = (narrative: string) =>
    JSON.stringify({ targetId: 'women-online', value: 40, asOf: '2026-06-30', narrative });
  const writes = () => [
    ['/pledges', JSON.stringify(samplePledge())],
    [`/pledges/${pledgeId}/progress`, progress('fine')],
    [`/pledges/${pledgeId}/amendments`, JSON.stringify({ reason: 'r', changes: { title: 'x' } })],
    [`/pledges/${pledgeId}/withdrawal`, JSON.stringify({ reason: 'r' })],
  ];

  const cases: [name: string, make: () => [string, string | Buffer][], code: string][] = [
    [
      'a body nested 5,000 levels deep, on every write endpoint',
      () => writes().map(([path]) => [path, '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)]),
      'too-deep',
    ],
    [
      'an array nested 10,000 levels deep',
      () => writes().map(([path]) => [path, '['.repeat(10000) + ']'.repeat(10000)]),
      'too-deep',
    ],
    [
      'a lone surrogate in a narrative',
      () => [[`/pledges/${pledgeId}/progress`, progress('\ud800')]],
      'invalid-text',
    ],
    ['a NUL character', () => [[`/pledges/${pledgeId}/progress`, progress('a\u0000b')]], 'invalid-text'],
    [
      'a body that is null, an array or a bare value, not an object (schemathesis: null fulfilled a pledge)',
      () =>
        ['null', '[]', '42', '"text"', 'true'].map((body): [string, string] => [
          `/pledges/${pledgeId}/fulfilment`,
          body,
        ]),
      'invalid-body',
    ],
    [
      'bytes that are not UTF-8',
      () => [
        [
          `/pledges/${pledgeId}/progress`,
          Buffer.concat([
            Buffer.from(progress('x').slice(0, -3)),
            Buffer.from([0xff, 0xfe]),
            Buffer.from('"}'),
          ]),
        ],
      ],
      'invalid-text',
    ],
    [
      'a number beyond any double (1e400)',
      () => [
        [`/pledges/${pledgeId}/progress`, '{"targetId":"women-online","value":1e400,"asOf":"2026-06-30"}'],
      ],
      'invalid-number',
    ],
    [
      'a key twice in one object',
      () => [
        [
          `/pledges/${pledgeId}/progress`,
          '{"targetId":"women-online","value":1,"value":2,"asOf":"2026-06-30"}',
        ],
      ],
      'duplicate-key',
    ],
    [
      'a key starting with $',
      () => [[`/pledges/${pledgeId}/withdrawal`, '{"reason":"r","$where":"1"}']],
      'invalid-key',
    ],
    [
      'a key with a dot',
      () => [[`/pledges/${pledgeId}/withdrawal`, '{"reason":"r","a.b":1}']],
      'invalid-key',
    ],
    [
      'a __proto__ key',
      () => [[`/pledges/${pledgeId}/withdrawal`, '{"reason":"r","__proto__":{"x":1}}']],
      'invalid-key',
    ],
    [
      'a huge array (10,000 countries)',
      () => [['/pledges', JSON.stringify(samplePledge({ countries: Array(10000).fill('KE') }))]],
      'invalid-request',
    ],
    [
      'null for a field that may only be left out',
      () => [
        [`/pledges/${pledgeId}/amendments`, JSON.stringify({ reason: 'r', changes: { title: null } })],
        [`/pledges/${pledgeId}/amendments`, JSON.stringify({ reason: 'r', changes: { countries: null } })],
        ['/pledges', JSON.stringify(samplePledge({ financialCommitment: null }))],
      ],
      'invalid-request',
    ],
    [
      'a negative target value',
      () => [
        [
          '/pledges',
          JSON.stringify(samplePledge({ targets: [{ ...samplePledge().targets[0], targetValue: -10000 }] })),
        ],
      ],
      'invalid-terms',
    ],
    [
      'an absurd amount (1e308)',
      () => [
        [
          '/pledges',
          JSON.stringify(samplePledge({ financialCommitment: { amount: 1e308, currency: 'USD' } })),
        ],
      ],
      'invalid-terms',
    ],
  ];

  it.each(cases)('%s: 4xx problem+json naming it, nothing stored', async (_name, make, code) => {
    for (const [path, raw] of make()) {
      const answer = await send(path, raw);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.type).toContain('application/problem+json');
      expect(answer.body.code).toBe(code);
    }
    expect(await harness.eventCount()).toBe(events);
  });

  it.each([
    ['application/x-www-form-urlencoded', 'reason=r'],
    ['text/plain', 'reason'],
    ['application/xml', '<reason>r</reason>'],
    ['multipart/form-data; boundary=x', '--x--'],
  ])('%s: 415 problem+json', async (type, raw) => {
    const answer = await send(`/pledges/${pledgeId}/withdrawal`, raw, { 'content-type': type });
    expect(answer.status).toBe(415);
    expect(answer.type).toContain('application/problem+json');
    expect(await harness.eventCount()).toBe(events);
  });

  it('a malformed Authorization header beside a valid X-Api-Key is refused (401)', async () => {
    const answer = await send(`/pledges/${pledgeId}/progress`, progress('x'), {
      authorization: 'Bearer',
      'x-api-key': orgKey,
    });
    expect(answer.status).toBe(401);
    expect(answer.body['invalid-params'][0]).toMatchObject({ name: 'Authorization' });
    expect(await harness.eventCount()).toBe(events);
  });

  it('TRACE and other unused methods: 405 with Allow', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const response = await fetch(`${harness.url}/pledges`, {
        method: method === 'TRACE' ? 'PATCH' : method,
      });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    // A path names its own methods.
    const onRegions = await fetch(`${harness.url}/regions`, { method: 'POST' });
    expect([onRegions.status, onRegions.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    // fetch will not send TRACE: over a socket.
    const raw = await rawRequest(`TRACE /pledges HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 405/);
  });

  it('a 100 KB path: 431 problem+json', async () => {
    const raw = await rawRequest(
      `GET /pledges/${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    expect(raw).toMatch(/^HTTP\/1\.1 431/);
    expect(raw).toContain('application/problem+json');
    expect(raw).toContain('"headers-too-large"');
  });

  it('a body that trickles in is cut off at the deadline with 408 problem+json, nothing stored', async () => {
    const body = progress('slow');
    const answer = await rawRequest(
      `POST /pledges/${pledgeId}/progress HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${orgKey}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body.slice(0, 5),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('"request-timeout"');
    expect(await harness.eventCount()).toBe(events);
  });

  it('parallel retries with one Idempotency-Key: one runs, the others get 409 with Retry-After', async () => {
    const headers = { 'idempotency-key': `parallel-${Date.now()}` };
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        send(`/pledges/${pledgeId}/progress`, progress('once'), headers).then((a) => a),
      ),
    );
    // One ran; the others were either still waiting for it (409) or got its answer replayed.
    expect(answers.filter((a) => a.status === 201 && !a.replayed)).toHaveLength(1);
    expect(answers.every((a) => a.status === 409 || a.status === 201)).toBe(true);
    const busy = await Promise.all(
      Array.from({ length: 3 }, () =>
        fetch(`${harness.url}/pledges/${pledgeId}/progress`, {
          method: 'POST',
          headers: { authorization: `Bearer ${orgKey}`, 'content-type': 'application/json', ...headers },
          body: progress('once'),
        }),
      ),
    );
    // Afterwards every retry is the original answer, replayed.
    for (const response of busy) expect([200, 201]).toContain(response.status);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body.code).toBe('request-in-progress');
      expect(a.retryAfter).toBe('1');
    }
    expect(await harness.eventCount()).toBe(events + 1);
    events += 1;
  });

  /** Writes the request (and an optional start of a body, never finished) and returns what came back. */
  function rawRequest(head: string, partialBody?: string): Promise<string> {
    const { port } = new URL(harness.url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => resolve(answer));
      socket.on('error', (error) => (answer ? resolve(answer) : reject(error)));
      socket.write(head);
      if (partialBody !== undefined) socket.write(partialBody);
      setTimeout(() => socket.destroy(), 10_000).unref();
    });
  }
});
