import { currentDeadline } from '@ledger/database';
import { MongoEventStore } from '@ledger/event-store';
import { eventually } from '@ledger/testing';
import { LedgerApiHarness, samplePledge } from './support/ledger-api.harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The server-side deadline (REQUEST_TIMEOUT_MS, here 400 ms): the handler's work runs with the request's
 * AbortSignal in async context, which fires at the deadline or when the client leaves; the client gets 503
 * deadline-exceeded, and a write stopped before its commit point records nothing. The store is slowed by a
 * spy where a slow database would be slow; the database itself is real.
 */
describe('request deadlines (real MongoDB-wire server)', () => {
  const harness = new LedgerApiHarness();
  let orgKey: string;
  let pledgeId: string;
  const signals: (AbortSignal | undefined)[] = [];
  let delayMs = 0;

  beforeAll(async () => {
    await harness.start({ REQUEST_TIMEOUT_MS: '1500' });
    orgKey = (await harness.registerOrganisation()).apiKey;
    pledgeId = (await harness.request('POST', '/pledges', { key: orgKey, body: samplePledge() })).body
      .pledgeId;
    const head = MongoEventStore.prototype.head;
    jest.spyOn(MongoEventStore.prototype, 'head').mockImplementation(async function (
      this: MongoEventStore,
      ...args
    ) {
      signals.push(currentDeadline());
      if (delayMs) await sleep(delayMs);
      return head.apply(this, args);
    });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await harness.stop();
  });
  beforeEach(() => {
    signals.length = 0;
    delayMs = 0;
  });

  it("carries the request's signal into the store, live until the answer", async () => {
    const read = await harness.request('GET', `/pledges/${pledgeId}/history`);
    expect(read.status).toBe(200);
    expect(signals.length).toBeGreaterThan(0);
    expect(signals.every((s) => s instanceof AbortSignal && !s.aborted)).toBe(true);
  });

  it('a read past its deadline answers 503 deadline-exceeded with Retry-After, and its work is told to stop', async () => {
    delayMs = 3000;
    const read = await harness.request('GET', `/pledges/${pledgeId}/history`);
    expect(read.status).toBe(503);
    expect(read.headers.get('content-type')).toContain('application/problem+json');
    expect(read.headers.get('retry-after')).toBe('1');
    expect(read.body).toMatchObject({ code: 'deadline-exceeded', status: 503 });
    expect(signals[0]?.aborted).toBe(true);
  });

  it('a write held up past its deadline before its commit point records nothing', async () => {
    const before = await harness.eventCount();
    delayMs = 3000;
    const write = await harness.request('POST', `/pledges/${pledgeId}/progress`, {
      key: orgKey,
      body: { targetId: 'women-online', value: 41, asOf: '2026-06-30' },
    });
    expect(write.status).toBe(503);
    expect(write.body.code).toBe('deadline-exceeded');
    await sleep(3500); // the handler's own delay is over: it would have appended by now
    expect(await harness.eventCount()).toBe(before);
    delayMs = 0;
    const retry = await harness.request('POST', `/pledges/${pledgeId}/progress`, {
      key: orgKey,
      body: { targetId: 'women-online', value: 41, asOf: '2026-06-30' },
    });
    expect(retry.status).toBe(201);
    expect(await harness.eventCount()).toBe(before + 1);
  });

  it('a client that goes away aborts the work done for it', async () => {
    delayMs = 300;
    await expect(
      fetch(`${harness.url}/pledges/${pledgeId}/history`, { signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow();
    const signal = await eventually(async () => signals[0]);
    await eventually(async () => (signal.aborted ? true : undefined), 5000, 10);
    expect(String((signal.reason as Error).message)).toContain('client closed');
  });
});
