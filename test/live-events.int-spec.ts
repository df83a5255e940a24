import { eventually } from '@ledger/testing';
import { LedgerApiHarness, samplePledge } from './support/ledger-api.harness';
import { parseSse, SseBlock, SseClient } from './support/sse-client';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REPLAY_LIMIT = 8;
const MAX_STREAMS = 4;
const REQUEST_TIMEOUT_MS = 3000;

/**
 * GET /events/live on the real servers: the API with its relay in process sequences each event into the
 * transparency log, and the one tailer of the API hands it to every open stream. The replay limit, the
 * stream limit and the intervals are set small so that the test needs few events and little time.
 */
describe('live ledger events (Server-Sent Events, real Kafka and MongoDB-wire server)', () => {
  const api = new LedgerApiHarness();
  let org: { id: string; name: string; apiKey: string };
  const open: SseClient[] = [];
  let stopped = false;
  let asOfDay = 1;

  const live = async (query = '', headers: Record<string, string> = {}) => {
    const client = await SseClient.open(`${api.url}/events/live${query}`, headers);
    open.push(client);
    return client;
  };

  /** The backlog as `follow=false` answers it (through the harness: checked against the OpenAPI document). */
  async function backlog(query: string, headers: Record<string, string> = {}): Promise<SseBlock[]> {
    const answer = await api.request('GET', `/events/live?follow=false${query ? `&${query}` : ''}`, {
      headers,
    });
    expect(answer.status).toBe(200);
    return parseSse(answer.body as string).blocks;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const events = (blocks: SseBlock[]): { id: string; data: any }[] =>
    blocks.filter((b) => b.event === 'ledger-event').map((b) => ({ id: b.id!, data: JSON.parse(b.data!) }));

  /** The log's size: a backlog without `after` is empty and ends with the position it stands at. */
  async function logHead(): Promise<number> {
    const blocks = await backlog('');
    expect(events(blocks)).toEqual([]);
    return Number(blocks.at(-1)!.id) + 1;
  }

  async function submit(): Promise<string> {
    const answer = await api.request('POST', '/pledges', { key: org.apiKey, body: samplePledge() });
    expect(answer.status).toBe(201);
    return answer.body.pledgeId as string;
  }

  async function reportProgress(pledgeId: string): Promise<void> {
    const day = String(asOfDay++).padStart(2, '0');
    const answer = await api.request('POST', `/pledges/${pledgeId}/progress`, {
      key: org.apiKey,
      body: { targetId: 'women-online', value: 30 + asOfDay, asOf: `2025-01-${day}` },
    });
    expect(answer.status).toBe(201);
  }

  async function amend(pledgeId: string): Promise<void> {
    const targets = samplePledge().targets.map((t) =>
      t.id === 'women-online' ? { ...t, targetValue: 45 } : t,
    );
    const answer = await api.request('POST', `/pledges/${pledgeId}/amendments`, {
      key: org.apiKey,
      body: { reason: 'Budget cut', changes: { targets } },
    });
    expect(answer.status).toBe(201);
  }

  /** Waits until the log holds `count` positions from `from` on; the ledger events there. */
  async function sequenced(from: number, count: number) {
    return eventually(async () => {
      const found = events(await backlog(`after=${from - 1}`));
      return found.length >= count ? found : undefined;
    }, 30000);
  }

  beforeAll(async () => {
    await api.start({
      RELAY_IN_PROCESS: 'true',
      RELAY_POLL_INTERVAL_MS: '20',
      LOG_CHECKPOINT_INTERVAL_MS: '200',
      LIVE_EVENTS_POLL_INTERVAL_MS: '100',
      LIVE_EVENTS_REPLAY_LIMIT: String(REPLAY_LIMIT),
      LIVE_EVENTS_MAX_STREAMS: String(MAX_STREAMS),
      LIVE_EVENTS_HEARTBEAT_MS: '500',
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      MAX_IN_FLIGHT_REQUESTS: '3',
    });
    org = await api.registerOrganisation();
  });
  afterEach(async () => {
    for (const client of open.splice(0)) client.close();
    jest.restoreAllMocks();
    await sleep(50); // the server sees the closed connections go
  });
  afterAll(async () => {
    if (!stopped) await api.stop();
  });

  it('sends a following client the events written after it connected, in log order, past the request deadline', async () => {
    const stream = await live();
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers.get('cache-control')).toBe('no-cache');
    expect(stream.response.headers.get('x-accel-buffering')).toBe('no');
    await stream.until((s) => s.blocks.length >= 2);
    expect(stream.blocks[0]).toEqual({ retry: 3000, comments: [] });
    // Where it starts, as an id without data (an EventSource records it, dispatches nothing).
    const start = stream.blocks[1];
    expect(start.data).toBeUndefined();
    // Open longer than any request may take: the stream is not cut, and heartbeats keep it busy.
    await sleep(REQUEST_TIMEOUT_MS + 500);
    expect(stream.ended).toBe(false);
    expect(stream.blocks.some((b) => b.comments.includes('keep-alive'))).toBe(true);

    const pledgeId = await submit();
    await reportProgress(pledgeId);
    await amend(pledgeId);
    await stream.until((s) => s.messages().length >= 3);
    const received = stream.messages();
    expect(received.map((m) => [m.data.type, m.data.pledgeId, m.data.version])).toEqual([
      ['PledgeSubmitted', pledgeId, 1],
      ['ProgressReported', pledgeId, 2],
      ['PledgeAmended', pledgeId, 3],
    ]);
    // Ids are the log positions, consecutive from where the stream started: nothing was missed.
    const ids = received.map((m) => Number(m.id));
    expect(ids).toEqual(received.map((m) => m.data.logIndex));
    expect(ids).toEqual([1, 2, 3].map((i) => Number(start.id) + i));
    expect(received[0].data).toEqual({
      logIndex: ids[0],
      eventId: expect.any(String),
      streamId: `pledge-${pledgeId}`,
      pledgeId,
      version: 1,
      type: 'PledgeSubmitted',
      occurredAt: expect.any(String),
      recordedAt: expect.any(String),
      principal: { id: org.id, role: 'organisation', name: org.name },
    });
  });

  it('resumes after Last-Event-ID with exactly the events after it, then live; the header wins over after', async () => {
    const head = await logHead();
    const pledgeId = await submit();
    await reportProgress(pledgeId);
    await reportProgress(pledgeId);
    const written = await sequenced(head, 3);
    const lastSeen = written[0].id;

    const resumed = await live('?after=-1', { 'last-event-id': lastSeen });
    await resumed.until((s) => s.messages().length >= 2);
    await amend(pledgeId);
    await resumed.until((s) => s.messages().length >= 3);
    await sleep(300); // nothing else, nothing twice
    const received = resumed.messages();
    expect(received.map((m) => Number(m.id))).toEqual([head + 1, head + 2, head + 3]);
    expect(received.map((m) => m.data.version)).toEqual([2, 3, 4]);
  });

  it('replays after= and follow=false ends with the backlog and the position it reached', async () => {
    const head = await logHead();
    const pledgeId = await submit();
    await reportProgress(pledgeId);
    await sequenced(head, 2);

    const blocks = await backlog(`after=${head}`);
    expect(blocks[0].retry).toBe(3000);
    expect(events(blocks).map((m) => [Number(m.id), m.data.type])).toEqual([[head + 1, 'ProgressReported']]);
    // It ends at the position it reached (here the last event's; else an id-only block says it).
    expect(blocks.at(-1)!.id).toBe(String(head + 1));
    expect(events(await backlog(`after=${head + 1}`))).toEqual([]);
    expect((await backlog(`after=${head + 1}`)).at(-1)).toEqual({ id: String(head + 1), comments: [] });
    // Past the head: nothing yet, and it says so.
    expect(events(await backlog(`after=${head + 100}`))).toEqual([]);
    // after= on a following stream: the backlog, then live.
    const stream = await live(`?after=${head - 1}`);
    await stream.until((s) => s.messages().length >= 2);
    await reportProgress(pledgeId);
    await stream.until((s) => s.messages().length >= 3);
    expect(stream.messages().map((m) => Number(m.id))).toEqual([head, head + 1, head + 2]);
  });

  it("keeps one pledge's events with pledgeId, ids still log positions", async () => {
    const head = await logHead();
    const mine = await submit();
    const other = await submit();
    await reportProgress(other);
    await reportProgress(mine);
    const all = await sequenced(head, 4);
    const expected = all.filter((m) => m.data.pledgeId === mine).map((m) => m.id);
    expect(expected).toHaveLength(2);
    const filtered = events(await backlog(`after=${head - 1}&pledgeId=${mine}`));
    expect(filtered.map((m) => m.id)).toEqual(expected);

    const stream = await live(`?pledgeId=${mine}`);
    await stream.until((s) => s.blocks.length >= 2);
    await reportProgress(other);
    await reportProgress(mine);
    await stream.until((s) => s.messages().length >= 1);
    const [received] = stream.messages();
    expect(received.data).toMatchObject({ pledgeId: mine, version: 3, type: 'ProgressReported' });
    expect(Number(received.id)).toBe(head + 5);
  });

  it(`sends reset instead of replaying more than ${REPLAY_LIMIT} events, and continues from the head`, async () => {
    const start = await logHead();
    const pledgeId = await submit();
    const reports = Math.max(0, REPLAY_LIMIT + 2 - (start + 1));
    for (let i = 0; i < reports; i++) await reportProgress(pledgeId);
    const head = start + 1 + reports;
    await eventually(async () => ((await logHead()) === head ? true : undefined));
    const blocks = await backlog('after=-1');
    expect(events(blocks)).toEqual([]);
    const reset = blocks.find((b) => b.event === 'reset')!;
    expect(reset.id).toBe(String(head - 1));
    expect(JSON.parse(reset.data!)).toEqual({ after: -1, head });

    // A following stream resets to the head of the process's tailer (at most one poll behind the log's).
    const stream = await live('', { 'last-event-id': '0' });
    await stream.until((s) => s.messages('reset').length === 1);
    const [{ id: resetId, data: resetTo }] = stream.messages('reset');
    expect(resetTo).toEqual({ after: 0, head: expect.any(Number) });
    expect(resetTo.head).toBeLessThanOrEqual(head);
    expect(Number(resetId)).toBe(resetTo.head - 1);
    await reportProgress(pledgeId);
    await stream.until((s) => s.messages().some((m) => Number(m.id) === head));
    const ids = stream.messages().map((m) => Number(m.id));
    expect(ids).toEqual(Array.from({ length: head - resetTo.head + 1 }, (_, i) => resetTo.head + i));
    // Just within the limit (the log is one longer now): replayed.
    expect(events(await backlog(`after=${head + 1 - REPLAY_LIMIT - 1}`))).toHaveLength(REPLAY_LIMIT);
  });

  it('refuses a bad after, follow, pledgeId, Last-Event-ID or an unknown parameter with 400 naming it', async () => {
    const cases: [string, Record<string, string>, string][] = [
      ['?after=abc', {}, '/after'],
      ['?after=-2', {}, '/after'],
      ['?after=1.5', {}, '/after'],
      ['?follow=yes', {}, '/follow'],
      ['?pledgeId=not-a-uuid', {}, '/pledgeId'],
      ['?since=3', {}, '/since'],
      ['', { 'last-event-id': 'x7' }, 'Last-Event-ID'],
      ['', { 'last-event-id': '-2' }, 'Last-Event-ID'],
    ];
    for (const [query, headers, name] of cases) {
      const answer = await api.request('GET', `/events/live${query}`, { headers });
      expect({ query, headers, status: answer.status }).toEqual({ query, headers, status: 400 });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body['invalid-params']).toEqual(
        expect.arrayContaining([expect.objectContaining({ name })]),
      );
    }
  });

  it(`carries at most ${MAX_STREAMS} streams (503 past it), which do not count as requests in progress`, async () => {
    for (let i = 0; i < MAX_STREAMS; i++) expect((await live()).response.status).toBe(200);
    const refused = await api.request('GET', '/events/live');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body.code).toBe('too-many-streams');
    // More streams than MAX_IN_FLIGHT_REQUESTS are open, and requests are still answered.
    expect((await api.request('GET', `/pledges?limit=1`)).status).toBe(200);
    // A client that goes away frees its place.
    open.shift()!.close();
    await eventually(async () => {
      const client = await SseClient.open(`${api.url}/events/live`);
      if (client.response.status === 200) open.push(client);
      else client.close();
      return client.response.status === 200 ? true : undefined;
    }, 5000);
  });

  it('polls the log with one tailer for every stream, and not at all when none is open', async () => {
    // Imported only now, like the app (its modules read the environment when they load).
    const { LedgerLogReader } = await import('../apps/ledger-api/src/live/ledger-log.reader');
    const reads = jest.spyOn(LedgerLogReader.prototype, 'read');
    await Promise.all([live(), live(), live()]);
    await sleep(200);
    reads.mockClear();
    await sleep(1000);
    // Every 100 ms: about 10 reads for three streams (three pollers would make about 30).
    expect(reads.mock.calls.length).toBeLessThanOrEqual(14);
    expect(reads.mock.calls.length).toBeGreaterThanOrEqual(3);
    for (const client of open.splice(0)) client.close();
    await sleep(300);
    reads.mockClear();
    await sleep(500);
    expect(reads.mock.calls.length).toBe(0);
  });

  it('ends open streams cleanly when the app closes, without waiting for them', async () => {
    const stream = await live();
    await stream.until((s) => s.blocks.length >= 2);
    const started = Date.now();
    stopped = true;
    await api.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    await stream.until(() => false, 2000, true);
    expect(stream.ended).toBe(true);
    expect(stream.error).toBeUndefined();
  });
});
