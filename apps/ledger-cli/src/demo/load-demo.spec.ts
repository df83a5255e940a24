import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ImportFileOptions } from '../import/import-client';
import type { ImportStatus } from '../import/import-types';
import { replayDemoRows, type DemoDirectory, type DemoImportRow } from './demo-import';
import { DemoAlreadyLoadedError, DemoImportError, loadDemo, parseDemoArgs } from './load-demo';

// The loader's wiring without a ledger: registrations answered by a fake fetch, the import by a fake
// importFile that checks the file offline with the ledger's rules (demo-import.ts) as POST /imports would.
jest.mock('../import/import-client', () => {
  class ImportRejectedError extends Error {
    constructor(
      message: string,
      readonly httpStatus: number,
      readonly problem: unknown,
      readonly status?: unknown,
    ) {
      super(message);
    }
  }
  return { ImportRejectedError, importFile: jest.fn() };
});
const client = jest.requireMock<{
  importFile: jest.Mock<Promise<ImportStatus>, [ImportFileOptions]>;
  ImportRejectedError: new (message: string, httpStatus: number, problem: unknown) => Error;
}>('../import/import-client');

const NOW = new Date('2026-11-25T15:00:00.000Z');

/** A ledger that registers actors by name (409 for a name it has) and takes imports its rules accept. */
function fakeLedger() {
  const directory = {
    organisations: new Map<string, { id: string; name: string; type: never; country: string }>(),
    verifiers: new Map<string, { id: string; name: string }>(),
  };
  const names = new Set<string>();
  const imported: { options: ImportFileOptions; rows: DemoImportRow[] }[] = [];
  let n = 0;
  jest.spyOn(global, 'fetch').mockImplementation(async (input, init) => {
    const path = new URL(String(input)).pathname;
    const body = JSON.parse(String(init!.body)) as { name: string; type: never; country: string };
    expect(new Headers(init!.headers).get('authorization')).toBe('Bearer admin-key');
    expect(new Headers(init!.headers).get('idempotency-key')).toMatch(/^demo-/);
    if (names.has(body.name))
      return new Response(JSON.stringify({ code: 'actor-already-registered' }), { status: 409 });
    names.add(body.name);
    const id = `${path.endsWith('verifiers') ? 'ver' : 'org'}-${++n}`;
    if (path.endsWith('verifiers')) directory.verifiers.set(id, { id, name: body.name });
    else directory.organisations.set(id, { id, ...body });
    return new Response(JSON.stringify({ id, apiKey: 'plk_x' }), { status: 201 });
  });
  client.importFile.mockImplementation(async (options) => {
    const rows = readFileSync(options.file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as DemoImportRow);
    imported.push({ options, rows });
    const { errors } = replayDemoRows(rows, {
      now: NOW,
      sourceName: options.source.name,
      directory: directory as unknown as DemoDirectory,
    });
    if (errors.length) throw new client.ImportRejectedError(`422: ${JSON.stringify(errors[0])}`, 422, {});
    return {
      id: `import-${imported.length}`,
      status: 'completed',
      recorded: rows.filter((r) => r.kind !== 'target').length,
      alreadyRecorded: 0,
    } as ImportStatus;
  });
  return { imported };
}

afterEach(() => jest.restoreAllMocks());

describe('loadDemo', () => {
  const options = { apiUrl: 'http://ledger.test/', adminKey: 'admin-key', now: NOW };

  it('registers the actors, imports the history with the admin key, and refuses a second load clearly', async () => {
    const { imported } = fakeLedger();
    const lines: string[] = [];
    const summary = await loadDemo({ ...options, log: (line) => lines.push(line) });
    expect(summary).toMatchObject({
      organisations: 42,
      verifiers: 4,
      pledges: 120,
      firstYear: 2015,
      lastYear: 2025,
      importId: 'import-1',
      alreadyRecorded: 0,
    });
    expect(Object.keys(summary)[0]).toBe('organisations');
    expect(summary.lapsed).toBeGreaterThan(0);
    expect(summary.overdueTargets).toBeGreaterThan(0);
    expect(summary.rows).toBe(imported[0].rows.length);
    expect(imported[0].options).toMatchObject({
      apiUrl: 'http://ledger.test',
      apiKey: 'admin-key',
      format: 'jsonl',
      source: {
        name: 'WSIS+10 demo registry (fictional)',
        url: 'https://example.org/wsis-demo-registry',
        retrievedOn: '2026-11-25',
      },
    });
    expect(lines.some((line) => line.startsWith('demo: done'))).toBe(true);

    const again = loadDemo(options);
    await expect(again).rejects.toThrow(DemoAlreadyLoadedError);
    await expect(loadDemo(options)).rejects.toThrow(/already loaded.*npm run demo -- --tag <name>/s);
    expect(imported).toHaveLength(1);

    const second = await loadDemo({ ...options, tag: 'second' });
    expect(second.pledges).toBe(120);
    expect(imported[1].options.source.name).toBe('WSIS+10 demo registry (fictional) [second]');
    expect(imported[1].rows.every((r) => String(r.pledgeId).startsWith('DEMO-second-'))).toBe(true);
  });

  it('names the refused rows and keeps the file when the ledger refuses the import', async () => {
    fakeLedger();
    client.importFile.mockRejectedValueOnce(
      Object.assign(new client.ImportRejectedError('POST /imports answered 422: 1 bad row', 422, {}), {
        status: { errors: [{ row: 2, field: 'deadline', reason: 'is not a date' }], errorsTotal: 1 },
      }),
    );
    const failure = await loadDemo({ ...options, tag: 'refused' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DemoImportError);
    const { message, file } = failure as DemoImportError;
    expect(message).toMatch(/row 2 \(target DEMO-refused-p001, 2015-\d\d-\d\d\) deadline: is not a date/);
    expect(message).toContain(`The file is kept at ${file}`);
    expect(existsSync(file)).toBe(true);
    rmSync(dirname(file), { recursive: true, force: true });
  });
});

describe('parseDemoArgs', () => {
  it('reads --tag NAME and --tag=NAME, and refuses anything else', () => {
    expect(parseDemoArgs([])).toEqual({});
    expect(parseDemoArgs(['--tag', 'second'])).toEqual({ tag: 'second' });
    expect(parseDemoArgs(['--tag=run-2'])).toEqual({ tag: 'run-2' });
    expect(() => parseDemoArgs(['--tag'])).toThrow(/--tag takes a name/);
    expect(() => parseDemoArgs(['--tag', 'two words'])).toThrow(/--tag takes a name/);
    expect(() => parseDemoArgs(['--seed', '1'])).toThrow(/unknown argument/);
  });
});
