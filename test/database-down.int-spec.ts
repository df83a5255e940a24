import { createServer, connect, Server, Socket } from 'node:net';
import { eventually, testMongoUri } from '@ledger/testing';
import { LedgerApiHarness, samplePledge } from './support/ledger-api.harness';

/**
 * A TCP pass-through in front of the real MongoDB-wire server: cutting it is the database going away for the
 * API (every connection dropped, new ones refused), restoring it is the database coming back.
 */
class CuttableLink {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    if (this.server?.listening) return;
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    if (!this.server?.listening) return;
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

describe('the database goes away and comes back (real MongoDB-wire server behind a cuttable link)', () => {
  const real = new URL(testMongoUri());
  const link = new CuttableLink({ host: real.hostname, port: Number(real.port || 27017) });
  const harness = new LedgerApiHarness();
  let orgKey: string;
  let pledgeId: string;

  beforeAll(async () => {
    await link.open();
    const viaLink = new URL(testMongoUri());
    viaLink.host = `127.0.0.1:${link.port}`;
    await harness.start({ MONGODB_URI: viaLink.toString() });
    orgKey = (await harness.registerOrganisation()).apiKey;
    pledgeId = (await harness.request('POST', '/pledges', { key: orgKey, body: samplePledge() })).body
      .pledgeId;
  });
  afterAll(async () => {
    await link.open();
    await harness.stop();
    await link.cut();
  });

  it('answers 503 problem+json with Retry-After while it is gone, stores nothing twice, and recovers by itself', async () => {
    const before = await harness.eventCount();
    await link.cut();
    const report = { targetId: 'women-online', value: 42, asOf: '2026-06-30' };
    const started = Date.now();
    const write = await harness.request('POST', `/pledges/${pledgeId}/progress`, {
      key: orgKey,
      body: report,
      headers: { 'idempotency-key': 'while-down' },
    });
    const writeMs = Date.now() - started;
    const read = await harness.request('GET', `/pledges/${pledgeId}`);
    const list = await harness.request('GET', '/pledges?limit=5');
    const health = await harness.request('GET', '/health');
    for (const answer of [write, read, list]) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(['store-unavailable', 'deadline-exceeded']).toContain(answer.body.code);
    }
    expect(health.status).toBe(503);
    expect(health.body.info ?? health.body.error).toBeDefined();

    await link.open();
    // Recovery needs nobody: the same request with the same Idempotency-Key now records exactly once.
    const retried = await eventually(
      async () => {
        const answer = await harness.request('POST', `/pledges/${pledgeId}/progress`, {
          key: orgKey,
          body: report,
          headers: { 'idempotency-key': 'while-down' },
        });
        return answer.status === 201 ? answer : undefined;
      },
      30000,
      200,
    );
    expect(retried.body.version).toBe(2);
    const again = await harness.request('POST', `/pledges/${pledgeId}/progress`, {
      key: orgKey,
      body: report,
      headers: { 'idempotency-key': 'while-down' },
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await harness.eventCount()).toBe(before + 1);
    let lastHealth: unknown;
    await eventually(
      async () => {
        const answer = await harness.request('GET', '/health');
        lastHealth = answer.body;
        return answer.status === 200 ? true : undefined;
      },
      30000,
      200,
    ).catch((error: Error) => {
      throw new Error(`${error.message}: /health said ${JSON.stringify(lastHealth)}`);
    });
    process.stdout.write(`database down: a write answered 503 in ${writeMs} ms\n`);
  });
});
