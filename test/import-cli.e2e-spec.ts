import { randomBytes, randomUUID } from 'node:crypto';
import { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { importedPledgeId } from '@ledger/domain';
import { eventually, testKafkaBrokers, testMongoClient, testMongoUri, uniqueName } from '@ledger/testing';
import { runCli, startApp, stopApp } from './support/app-process';

type App = ChildProcess & { output: () => string };

/**
 * `ledger-cli import` against the API as its own process, and an import whose server is killed while it
 * records: the import says it was interrupted, and the same file again records exactly the rest.
 */
describe('ledger-cli import', () => {
  const dbName = uniqueName('import_e2e');
  const topic = uniqueName('import_e2e_events');
  const adminKey = randomBytes(24).toString('base64url');
  const dir = mkdtempSync(join(tmpdir(), 'import-e2e-'));
  const env = {
    MONGODB_URI: testMongoUri(),
    MONGODB_DB: dbName,
    MONGODB_READ_DB: `${dbName}_read`,
    KAFKA_BROKERS: testKafkaBrokers(),
    PLEDGE_EVENTS_TOPIC: topic,
    DEAD_LETTER_TOPIC: `${topic}.dead-letter`,
    PLEDGE_EVENTS_PARTITIONS: '3',
    ADMIN_API_KEY: adminKey,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
    RELAY_IN_PROCESS: 'true',
    IMPORT_STALE_AFTER_MS: '1500',
    IMPORT_SPOOL_DIR: join(dir, 'spool'),
  };
  let api: App;
  let url: string;
  let client: MongoClient;
  let org: { id: string; apiKey: string };
  const SOURCE = 'Regional pledge tracker (e2e)';
  const PLEDGES = 400;

  async function startApi(): Promise<void> {
    api = startApp('ledger-api', env);
    url = await eventually(async () => /LEDGER_API_URL=(\S+)/.exec(api.output())?.[1], 60000);
  }

  async function http(method: string, path: string, key?: string, body?: unknown) {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // Answers are read as loosely typed JSON on purpose: the assertions check their shape.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const answer: any = await response.json().catch(() => null);
    return { status: response.status, body: answer };
  }

  /** PLEDGES pledges of three rows each (pledge, target, progress): 2 events per pledge. */
  function writeFile(path: string): void {
    const rows = [
      'kind,pledgeId,occurredAt,author,title,description,countries,actions,targetId,indicator,unit,baseline,targetValue,deadline,reportId,value,asOf',
    ];
    for (let i = 0; i < PLEDGES; i++) {
      const ref = `REG-${String(i).padStart(4, '0')}`;
      rows.push(
        `pledge,${ref},2017-0${1 + (i % 9)}-15,Desk ${i % 7},Pledge ${i},"Skills, access and jobs",KE,wsis10-gender-gap/access,,,,,,,,,`,
      );
      rows.push(`target,${ref},,,,,,,t1,Women trained,people,0,1000,2023-12-31,,,`);
      rows.push(`progress,${ref},2019-08-01,Desk ${i % 7},,,,,t1,,,,,,r-2019,${i % 900},2019-06-30`);
    }
    writeFileSync(path, `${rows.join('\r\n')}\r\n`);
  }

  beforeAll(async () => {
    client = await testMongoClient();
    await startApi();
    const registered = await http('POST', '/actors/organisations', adminKey, {
      name: uniqueName('Ministry'),
      type: 'government',
      country: 'KE',
    });
    org = { id: registered.body.id, apiKey: registered.body.apiKey };
  });

  afterAll(async () => {
    if (api) await stopApp(api);
    await client
      ?.db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client
      ?.db(`${dbName}_read`)
      .dropDatabase()
      .catch(() => undefined);
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names every bad row and exits 1; a dry run checks and records nothing', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      [
        'kind,pledgeId,occurredAt,title,description,countries,actions,targetId,indicator,unit,baseline,targetValue,deadline,reportId,value,asOf',
        'pledge,B-1,2018-01-01,T,D,KE,wsis10-gender-gap/access,,,,,,,,,',
        'target,B-1,,,,,,t1,I,people,0,10,2020-12-31,,,',
        'progress,B-1,2018-06-01,,,,,t1,,,,,,r1,3,2018-07-31',
      ].join('\n'),
    );
    const cliEnv = { ...env, LEDGER_API_URL: url, LEDGER_API_KEY: org.apiKey };
    const rejected = await runCli(['import', bad, '--source', SOURCE], cliEnv);
    expect(rejected.code).toBe(1);
    expect(rejected.output).toMatch(/row 4, asOf: asOf 2018-07-31 is after today \(2018-06-01/);
    expect((await http('GET', `/pledges/${importedPledgeId(SOURCE, 'B-1', org.id)}`)).status).toBe(404);

    const good = join(dir, 'small.csv');
    writeFileSync(good, readFileSync(bad, 'utf8').replace('2018-07-31', '2018-05-31'));
    const dry = await runCli(['import', good, '--source', SOURCE, '--dry-run'], cliEnv);
    expect(dry.code).toBe(0);
    expect(dry.output).toMatch(
      /checked \(dry run, nothing recorded\) small\.csv: 3 rows, 1 pledges, 0 events/,
    );
    expect((await http('GET', `/pledges/${importedPledgeId(SOURCE, 'B-1', org.id)}`)).status).toBe(404);
    const usage = await runCli(['import', good], cliEnv);
    expect(usage.code).toBe(2);
    expect(usage.output).toMatch(/--source NAME is required/);
  });

  it('resumes an import its server died in: the same file again records exactly the rest', async () => {
    const file = join(dir, 'history.csv');
    writeFile(file);
    const id = randomUUID();
    const posted = await fetch(
      `${url}/imports?id=${id}&source=${encodeURIComponent(SOURCE)}&retrievedOn=2026-11-30`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'text/csv' },
        body: readFileSync(file),
      },
    );
    expect(posted.status).toBe(202);
    // Kill the API (no shutdown of any kind) once part of the file is recorded.
    const partly = await eventually(async () => {
      const status = (await http('GET', `/imports/${id}`, org.apiKey)).body;
      return status.recorded >= 50 ? status : undefined;
    }, 60000);
    expect(partly.status).toBe('applying');
    await stopApp(api, 'SIGKILL');
    await startApi();
    const interrupted = await eventually(async () => {
      const status = (await http('GET', `/imports/${id}`, org.apiKey)).body;
      return status.status === 'interrupted' ? status : undefined;
    }, 20000);
    expect(interrupted.failure).toMatch(/send the same file again/);
    const before = await client.db(dbName).collection('events').countDocuments();
    // Claims the killed server made but had not stored yet: the relay stores them (their events count as there).
    const claimed = await client.db(dbName).collection('outbox').countDocuments();
    expect(before).toBeGreaterThanOrEqual(50);
    expect(before).toBeLessThan(2 * PLEDGES);

    // The CLI, as an operator would run it, finishes the job.
    const resumed = await runCli(['import', file, '--source', SOURCE], {
      ...env,
      LEDGER_API_URL: url,
      LEDGER_API_KEY: org.apiKey,
    });
    expect({ code: resumed.code, output: resumed.code === 0 ? '' : resumed.output }).toEqual({
      code: 0,
      output: '',
    });
    const line =
      /imported history\.csv: (\d+) rows, (\d+) pledges, (\d+) events recorded, (\d+) rows already/.exec(
        resumed.output,
      );
    expect(line).not.toBeNull();
    const [, rows, pledges, recorded, already] = line!.map(Number);
    expect(rows).toBe(3 * PLEDGES);
    expect(pledges).toBe(PLEDGES);
    expect(recorded).toBeLessThanOrEqual(2 * PLEDGES - before);
    expect(recorded).toBeGreaterThanOrEqual(2 * PLEDGES - before - claimed);
    expect(already).toBeGreaterThan(0);
    // Every pledge whole, each event once, every chain intact.
    expect(await client.db(dbName).collection('events').countDocuments()).toBe(2 * PLEDGES);
    const integrity = await http('GET', '/integrity');
    expect(integrity.body).toMatchObject({
      valid: true,
      streamsChecked: PLEDGES,
      eventsChecked: 2 * PLEDGES,
    });
    const sample = await http('GET', `/pledges/${importedPledgeId(SOURCE, 'REG-0399', org.id)}/history`);
    expect(sample.body.events.map((e: { type: string }) => e.type)).toEqual([
      'PledgeSubmitted',
      'ProgressReported',
    ]);
    // The interrupted import's spool file went with the restart.
    expect(readdirSafe(env.IMPORT_SPOOL_DIR).every((name) => name.startsWith(`${api.pid}-`))).toBe(true);
  });
});

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
