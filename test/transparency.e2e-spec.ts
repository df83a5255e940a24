import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcess } from 'node:child_process';
import { MongoClient } from 'mongodb';
import { eventually, testKafkaBrokers, testMongoClient, testMongoUri, uniqueName } from '@ledger/testing';
import { parseCheckpoint, parseNote } from '@ledger/transparency';
import { runCli, startApp, stopApp } from './support/app-process';
import { samplePledge } from './support/ledger-api.harness';
import { ContractRecorder } from './support/openapi-contract';

type App = ChildProcess & { output: () => string };

/** Runs the offline verifier as a watchdog would: its own process, no database, no Kafka in its environment. */
async function ledgerVerify(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = startApp('ledger-verify', { MONGODB_URI: '', KAFKA_BROKERS: '' }, args);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  return { code, output: child.output() };
}

/**
 * The transparency log as a watchdog and a witness meet it: the apps started as an operator would, a pledge
 * written over HTTP, then `ledger-verify` and `ledger-cli witness` against the running API. A rewritten or a
 * dropped event, a forked and a rewritten log are each caught and named.
 */
describe('transparency log end to end', () => {
  const dbName = uniqueName('tlog_e2e');
  const readDbName = uniqueName('tlog_e2e_read');
  const topic = uniqueName('tlog_e2e_events');
  const dir = mkdtempSync(join(tmpdir(), 'ledger-tlog-'));
  const adminKey = randomBytes(24).toString('base64url');
  const witnessKeyFile = join(dir, 'witness.key');
  const logKeyFile = join(dir, 'log.vkey');
  const env: Record<string, string> = {
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
    LOG_ORIGIN: 'ledger.e2e.test/log',
    LOG_SIGNING_KEY_FILE: join(dir, 'log-signing.key'),
    LOG_CHECKPOINT_INTERVAL_MS: '300',
  };
  let apps: App[] = [];
  let url: string;
  let client: MongoClient;
  let pledgeId: string;
  let events = 0;
  const contract = new ContractRecorder(() => url);

  const http = (method: string, path: string, body?: unknown, key?: string) =>
    contract.request(method, path, body, key);

  const checkpointSize = async () =>
    parseCheckpoint(parseNote((await http('GET', '/log/checkpoint')).body).text).treeSize;

  beforeAll(async () => {
    client = await testMongoClient();
    const printed = await runCli(
      ['witness', '--print-key', '--key-file', witnessKeyFile, '--name', 'witness.e2e.test/w1'],
      env,
    );
    expect(printed.code).toBe(0);
    env.LOG_WITNESS_KEYS = printed.output.trim().split('\n').at(-1)!;
    const api = startApp('ledger-api', env);
    apps = [api, startApp('relay', env), startApp('projector', env)];
    url = await eventually(async () => /LEDGER_API_URL=(\S+)/.exec(api.output())?.[1], 60000);
    await eventually(async () => ((await http('GET', '/health')).status === 200 ? true : undefined), 60000);
    const org = await http(
      'POST',
      '/actors/organisations',
      { name: 'Ministry of ICT, Kenya', type: 'government', country: 'KE' },
      adminKey,
    );
    const submitted = await http('POST', '/pledges', samplePledge(), org.body.apiKey);
    pledgeId = submitted.body.pledgeId;
    for (const [i, value] of [10, 20, 35].entries()) {
      const progress = await http(
        'POST',
        `/pledges/${pledgeId}/progress`,
        { targetId: 'women-online', value, asOf: `2026-0${i + 3}-30` },
        org.body.apiKey,
      );
      expect(progress.status).toBe(201);
    }
    events = 4;
    await eventually(async () => ((await checkpointSize()) >= events ? true : undefined), 30000, 100);
    writeFileSync(logKeyFile, (await http('GET', '/.well-known/pledge-ledger/log-key')).body);
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => stopApp(app)));
    await client.db(dbName).dropDatabase();
    await client.db(readDbName).dropDatabase();
    await client.close();
    rmSync(dir, { recursive: true, force: true });
    await contract.verify();
  });

  it('every event has a log position in its history, and lists and reports state the tree size they reflect', async () => {
    const history = await http('GET', `/pledges/${pledgeId}/history`);
    expect(history.body.logIndexes).toHaveLength(events);
    expect(history.body.logIndexes.every((i: number | null) => typeof i === 'number')).toBe(true);
    const size = await checkpointSize();
    const list = await eventually(async () => {
      const answer = await http('GET', '/pledges?limit=5');
      return answer.body.log?.treeSize === size ? answer : undefined;
    }, 30000);
    expect(list.body.log.checkpoint.treeSize).toBeGreaterThanOrEqual(size);
    const report = await eventually(async () => {
      const answer = await http('GET', '/reports/country?fresh=true');
      return answer.body.log?.treeSize >= events ? answer : undefined;
    }, 30000);
    expect(report.body.log.checkpoint.note).toContain('ledger.e2e.test/log\n');
    // Proof endpoints answer what the verifier would compute itself.
    const inclusion = await http('GET', `/log/proof/inclusion?index=${history.body.logIndexes[0]}`);
    expect(inclusion.status).toBe(200);
    expect(inclusion.body.eventHash).toBe(history.body.events[0].hash);
    const byId = await http(
      'GET',
      `/log/proof/inclusion?eventId=${history.body.events[1].eventId}&treeSize=${size}`,
    );
    expect(byId.body.logIndex).toBe(history.body.logIndexes[1]);
    expect((await http('GET', `/log/proof/consistency?from=1&to=${size}`)).status).toBe(200);
    expect((await http('GET', `/log/proof/inclusion?index=${size + 10}`)).status).toBe(404);
    const [first, second] = history.body.logIndexes;
    const pair = (index: number) =>
      `/log/proof/inclusion?index=${index}&eventId=${history.body.events[1].eventId}`;
    expect((await http('GET', pair(second))).status).toBe(200);
    expect((await http('GET', pair(first))).status).toBe(404);
    expect((await http('GET', '/log/proof/inclusion')).status).toBe(422);
    const tile = await fetch(`${url}/log/tile/0/000.p/${size}`);
    expect(tile.status).toBe(200);
    expect(tile.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await tile.arrayBuffer())).toHaveLength(32 * size);
    expect((await fetch(`${url}/log/tile/0/0001`)).status).toBe(400);
    const badBundle = await fetch(`${url}/log/tile/entries/000.p/abc`);
    expect(badBundle.status).toBe(400);
    expect(((await badBundle.json()) as { detail: string }).detail).toBe(
      '"tile/entries/000.p/abc" is not tile/entries/<N>[.p/<W>]',
    );
  });

  it('ledger-verify: the checkpoint and the pledge bundle verify; a rewritten or dropped event is named', async () => {
    const state = join(dir, 'verify-state.json');
    const checkpoint = await ledgerVerify([
      'checkpoint',
      '--log-url',
      url,
      '--key-file',
      logKeyFile,
      '--state',
      state,
    ]);
    expect(checkpoint).toMatchObject({
      code: 0,
      output: expect.stringMatching(/^OK: checkpoint of ledger\.e2e\.test\/log/),
    });
    const bundle = await ledgerVerify([
      'bundle',
      '--log-url',
      url,
      '--pledge',
      pledgeId,
      '--key-file',
      logKeyFile,
      '--state',
      state,
    ]);
    expect(bundle.code).toBe(0);
    expect(bundle.output).toMatch(new RegExp(`OK: pledge ${pledgeId}: ${events} event\\(s\\) unaltered`));

    const served = (await http('GET', `/pledges/${pledgeId}/proof-bundle`)).body;
    const rewritten = structuredClone(served);
    rewritten.events[2].event.payload.value = 99;
    writeFileSync(join(dir, 'rewritten.json'), JSON.stringify(rewritten));
    const altered = await ledgerVerify(['bundle', join(dir, 'rewritten.json'), '--key-file', logKeyFile]);
    expect(altered.code).toBe(1);
    expect(altered.output).toMatch(/EVENT-ALTERED: version 3 .* was altered/);

    const dropped = structuredClone(served);
    dropped.events.splice(1, 1);
    writeFileSync(join(dir, 'dropped.json'), JSON.stringify(dropped));
    const missing = await ledgerVerify(['bundle', join(dir, 'dropped.json'), '--key-file', logKeyFile]);
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/EVENT-MISSING: version 2 missing before version 3/);
  });

  it('ledger-verify remembers checkpoints: a forked log and a rewritten log are each named', async () => {
    const size = await checkpointSize();
    const seen = (treeSize: number) => ({
      checkpoints: [
        {
          origin: 'ledger.e2e.test/log',
          treeSize,
          rootHash: Buffer.alloc(32, 7).toString('base64'),
          seenAt: '2026-12-01T00:00:00.000Z',
          source: 'an earlier visit',
        },
      ],
    });
    // Another view of the log of the same size was shown before (to this watchdog, from a mirror, ...).
    writeFileSync(join(dir, 'forked.json'), JSON.stringify(seen(size)));
    const forked = await ledgerVerify([
      'checkpoint',
      '--log-url',
      url,
      '--key-file',
      logKeyFile,
      '--state',
      join(dir, 'forked.json'),
    ]);
    expect(forked.code).toBe(1);
    expect(forked.output).toMatch(new RegExp(`FORKED: two checkpoints of size ${size} with different roots`));
    // A smaller tree seen before whose root the current log does not extend: entries were changed.
    writeFileSync(join(dir, 'rewritten.json'), JSON.stringify(seen(2)));
    const rewritten = await ledgerVerify([
      'checkpoint',
      '--log-url',
      url,
      '--key-file',
      logKeyFile,
      '--state',
      join(dir, 'rewritten.json'),
    ]);
    expect(rewritten.code).toBe(1);
    expect(rewritten.output).toMatch(/REWRITTEN: the first 2 entries/);
  });

  it('a witness cosigns the checkpoint; the API serves it and the verifier can demand it', async () => {
    const witnessArgs = [
      'witness',
      '--once',
      '--log-url',
      url,
      '--log-key-file',
      logKeyFile,
      '--key-file',
      witnessKeyFile,
    ];
    const round = await runCli(witnessArgs, env);
    expect(round).toMatchObject({
      code: 0,
      output: expect.stringMatching(
        /cosigned the checkpoint of \d+ entries as witness\.e2e\.test\/w1; the log answered 200/,
      ),
    });
    const witnessed = await http('GET', '/log/checkpoint/witnessed');
    expect(witnessed.status).toBe(200);
    expect(witnessed.body).toContain('\u2014 witness.e2e.test/w1 ');
    const demanded = await ledgerVerify([
      'checkpoint',
      '--log-url',
      url,
      '--key-file',
      logKeyFile,
      '--state',
      join(dir, 'w-state.json'),
      '--witness-key',
      env.LOG_WITNESS_KEYS,
      '--require-witnesses',
      '1',
    ]);
    expect(demanded).toMatchObject({
      code: 0,
      output: expect.stringMatching(/cosigned by witness\.e2e\.test\/w1/),
    });
    // A cosignature the log did not ask for, by an unknown key, over a checkpoint it never signed: refused.
    const forged = await http('POST', '/log/cosignatures', {
      note: 'ledger.e2e.test/log\n999\n' + Buffer.alloc(32).toString('base64') + '\n\n\u2014 x AAAA\n',
    });
    expect(forged.status).toBe(422);
    expect(readFileSync(witnessKeyFile, 'utf8')).toMatch(/^PRIVATE\+KEY\+witness\.e2e\.test\/w1\+/);
  });
});
