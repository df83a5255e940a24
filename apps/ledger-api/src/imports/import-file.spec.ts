import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FileRow, type ImportFormat, readImportFile } from './import-file';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'import-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function rowsOf(content: string | Buffer, format: ImportFormat): Promise<FileRow[]> {
  const path = join(dir, `f-${Math.random().toString(36).slice(2)}.${format}`);
  await writeFile(path, content);
  const rows: FileRow[] = [];
  for await (const row of readImportFile(path, format)) rows.push(row);
  return rows;
}

const errorsOf = (rows: FileRow[]) =>
  rows.flatMap((r) => ('error' in r ? [[r.row, r.error.field, r.error.reason]] : []));

/** File descriptors this process has open on files under `dir`. */
async function openUnder(): Promise<number> {
  const fds = await readdir('/proc/self/fd');
  const { readlink } = await import('node:fs/promises');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target.startsWith(dir)).length;
}

describe('readImportFile', () => {
  it('closes the file when the bytes are not UTF-8, and says so at the row', async () => {
    const before = await openUnder();
    const rows = await rowsOf(
      Buffer.concat([
        Buffer.from('kind,pledgeId,occurredAt\npledge,P,2016-01-01\n'),
        Buffer.from([0xff, 0xfe]),
      ]),
      'csv',
    );
    expect(errorsOf(rows)).toEqual([[expect.any(Number), 'file', expect.stringMatching(/not UTF-8/)]]);
    expect(await openUnder()).toBe(before);
  });

  it('closes the file when the reader stops early', async () => {
    const path = join(dir, 'early.jsonl');
    await writeFile(path, '{"kind":"pledge"}\n'.repeat(10_000));
    const before = await openUnder();
    for await (const row of readImportFile(path, 'jsonl')) {
      expect(row.row).toBe(1);
      break;
    }
    expect(await openUnder()).toBe(before);
  });

  it('reports a JSON line past 1 MiB by its line without keeping it, and reads on', async () => {
    const huge = `{"title":"${'x'.repeat(3 * 1024 * 1024)}"}`;
    const rows = await rowsOf(`{"kind":"pledge"}\r\n${huge}\n{"kind":"target"}\n${huge}`, 'jsonl');
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    expect(errorsOf(rows)).toEqual([
      [2, 'file', 'the line is longer than 1048576 characters'],
      [4, 'file', 'the line is longer than 1048576 characters'],
    ]);
    expect(rows[2]).toEqual({ row: 3, raw: { kind: 'target' } });
  });

  it('reports a CSV record with the wrong number of cells by its row, and reads on', async () => {
    const rows = await rowsOf(
      'kind,pledgeId,occurredAt\npledge,P,2016-01-01,extra\ntarget,P\npledge,Q,2017-01-01\n',
      'csv',
    );
    expect(errorsOf(rows)).toEqual([
      [2, 'file', expect.stringMatching(/^the record has 4 cell\(s\), the header 3/)],
      [3, 'file', expect.stringMatching(/^the record has 2 cell\(s\), the header 3/)],
    ]);
    expect(rows[2]).toEqual({ row: 4, raw: { kind: 'pledge', pledgeId: 'Q', occurredAt: '2017-01-01' } });
  });

  it('says a CSV of the header alone, like an empty JSON Lines file, has no rows', async () => {
    expect(errorsOf(await rowsOf('kind,pledgeId,occurredAt\r\n', 'csv'))).toEqual([
      [1, 'file', 'the file has the header row only: no rows to import'],
    ]);
    expect(errorsOf(await rowsOf('\n\n', 'jsonl'))).toEqual([[1, 'file', 'the file has no rows']]);
  });

  it('names an unknown header column in at most 80 characters', async () => {
    const rows = await rowsOf(`kind,pledgeId,occurredAt,${'z'.repeat(5000)}\n`, 'csv');
    const [[, , reason]] = errorsOf(rows) as [number, string, string][];
    expect(reason.length).toBeLessThan(200);
    expect(reason).toMatch(/^the header unknown column\(s\) "z+…/);
  });

  it('refuses a JSON line that names a key twice (JSON.parse would keep the last)', async () => {
    const rows = await rowsOf('{"kind":"pledge","title":"A","title":"B"}\n{"kind":"target"}\n', 'jsonl');
    expect(errorsOf(rows)).toEqual([
      [1, 'file', 'title: this key appears more than once in the same object'],
    ]);
    expect(rows[1]).toEqual({ row: 2, raw: { kind: 'target' } });
  });

  it('quotes little of a line that is not JSON', async () => {
    const rows = await rowsOf(`not json ${'y'.repeat(100_000)}\n`, 'jsonl');
    const [[row, field, reason]] = errorsOf(rows) as [number, string, string][];
    expect([row, field]).toEqual([1, 'file']);
    expect(reason.length).toBeLessThanOrEqual(210);
  });
});
