import { randomBytes } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Db, MongoClient } from 'mongodb';
import { testKafkaBrokers, testMongoClient, testMongoUri, uniqueName } from '@ledger/testing';
import { ContractRecorder } from './openapi-contract';

// Test responses are read as loosely typed JSON on purpose: the assertions check their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A ledger API booted in this test process on its own database and topics, against the real servers. */
export class LedgerApiHarness {
  readonly adminKey = `admin_${randomBytes(24).toString('base64url')}`;
  readonly dbName = uniqueName('ledger');
  /** The read models' database (MONGODB_READ_DB's default). */
  readonly readDbName = `${this.dbName}_read`;
  readonly topic = uniqueName('pledge_events');
  app!: NestFastifyApplication;
  url!: string;
  client!: MongoClient;
  db!: Db;
  readDb!: Db;
  /** Every answer `request` receives, checked against the API's OpenAPI document when the harness stops. */
  readonly contract = new ContractRecorder(() => this.url);

  async start(env: Record<string, string> = {}): Promise<this> {
    Object.assign(process.env, {
      NODE_ENV: 'test',
      MONGODB_URI: testMongoUri(),
      KAFKA_BROKERS: testKafkaBrokers(),
      MONGODB_DB: this.dbName,
      PLEDGE_EVENTS_TOPIC: this.topic,
      DEAD_LETTER_TOPIC: `${this.topic}.dead-letter`,
      PLEDGE_EVENTS_PARTITIONS: '3',
      ADMIN_API_KEY: this.adminKey,
      LOG_LEVEL: 'warn',
      BODY_LIMIT_BYTES: '65536',
      ...env,
    });
    // Imported only now: modules read LOG_LEVEL and RELAY_IN_PROCESS when they load.
    const { createLedgerApi } = await import('../../apps/ledger-api/src/ledger-api.setup');
    this.app = await createLedgerApi();
    await this.app.listen(0, '127.0.0.1');
    this.url = (await this.app.getUrl()).replace('[::1]', '127.0.0.1');
    this.client = await testMongoClient();
    this.db = this.client.db(this.dbName);
    this.readDb = this.client.db(this.readDbName);
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.db?.dropDatabase().catch(() => undefined);
    await this.readDb?.dropDatabase().catch(() => undefined);
    await this.client?.close();
    await this.contract.verify();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async request<T = any>(
    method: string,
    path: string,
    options: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    this.contract.observe({
      method,
      url: path,
      status: response.status,
      headers: response.headers,
      body: parsed,
    });
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  async registerOrganisation(name = uniqueName('org'), type = 'government', country = 'KE') {
    const result = await this.request('POST', '/actors/organisations', {
      key: this.adminKey,
      body: { name, type, country },
    });
    if (result.status !== 201)
      throw new Error(`registering ${name}: ${result.status} ${JSON.stringify(result.body)}`);
    return result.body as { id: string; name: string; apiKey: string };
  }

  async registerVerifier(name = uniqueName('verifier')) {
    const result = await this.request('POST', '/actors/verifiers', { key: this.adminKey, body: { name } });
    if (result.status !== 201)
      throw new Error(`registering ${name}: ${result.status} ${JSON.stringify(result.body)}`);
    return result.body as { id: string; name: string; apiKey: string };
  }

  eventCount(filter: Record<string, unknown> = {}): Promise<number> {
    return this.db.collection('events').countDocuments(filter);
  }
}

/** A well-formed pledge body over both built-in frameworks. */
export function samplePledge(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Connect one million women in rural Kenya',
    description: 'Affordable smartphones and data bundles with digital skills training in 20 counties.',
    countries: ['KE'],
    regions: ['africa'],
    global: false,
    actions: [
      { framework: 'wsis10-gender-gap', action: 'access' },
      { framework: 'gender-caucus', action: 'capacity-building' },
    ],
    targets: [
      {
        id: 'women-online',
        indicator: 'Women using the internet',
        unit: '% of women 15+',
        baseline: 30,
        targetValue: 50,
        deadline: '2030-12-31',
      },
      {
        id: 'gender-gap',
        indicator: 'Gender gap in mobile internet use',
        unit: 'percentage points',
        baseline: 18,
        targetValue: 5,
        deadline: '2029-12-31',
      },
    ],
    financialCommitment: { amount: 25000000, currency: 'USD' },
    ...overrides,
  };
}
