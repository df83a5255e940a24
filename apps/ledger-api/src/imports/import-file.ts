import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import { IMPORT_COLUMNS, type ImportRowError, type RawImportRow } from '@ledger/domain';

export type ImportFormat = 'csv' | 'jsonl';

/** A row of the file as read, or why it could not be read. */
export type FileRow = { row: number; raw: RawImportRow } | { row: number; error: ImportRowError };

/** Longest record (CSV) or line (JSON Lines) read: a pledge with long texts is a few kilobytes. */
const MAX_RECORD_BYTES = 1024 * 1024;
const KNOWN: ReadonlySet<string> = new Set(IMPORT_COLUMNS);

/** Decodes UTF-8 as it streams, refusing bytes that are not (a file in another encoding would import garbled). */
class StrictUtf8 extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  constructor() {
    super({ readableObjectMode: false, decodeStrings: true });
    this.setEncoding('utf8');
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      callback(null, this.decoder.decode(chunk, { stream: true }));
    } catch {
      callback(new NotUtf8Error());
    }
  }
  override _flush(callback: TransformCallback): void {
    try {
      callback(null, this.decoder.decode());
    } catch {
      callback(new NotUtf8Error());
    }
  }
}

class NotUtf8Error extends Error {
  constructor() {
    super('the file is not UTF-8 (save it as UTF-8, e.g. "CSV UTF-8" in a spreadsheet)');
  }
}

function fileError(row: number, reason: string): FileRow {
  return { row, error: { row, field: 'file', reason } };
}

/**
 * The rows of an import file, streamed (never the whole file in memory). CSV: RFC 4180, the first record is
 * the header (row 1), data from row 2; JSON Lines: one object per line, row = line. A problem that makes the
 * rest unreadable (bad encoding, broken quoting) ends the rows with an error at the row it was found.
 */
export async function* readImportFile(path: string, format: ImportFormat): AsyncGenerator<FileRow> {
  const text = createReadStream(path).pipe(new StrictUtf8());
  yield* format === 'csv' ? csvRows(text) : jsonLines(text);
}

async function* csvRows(text: Readable): AsyncGenerator<FileRow> {
  const parser = text.pipe(
    parse({
      bom: true,
      relax_column_count: false,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
    }),
  );
  text.once('error', (error) => parser.destroy(error));
  let header: string[] | undefined;
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      if (!header) {
        header = record.map((name) => name.trim());
        const problems: string[] = [];
        const unknown = header.filter((name) => !KNOWN.has(name));
        if (unknown.length)
          problems.push(`unknown column(s) ${unknown.map((n) => JSON.stringify(n)).join(', ')}`);
        const twice = header.filter((name, i) => header!.indexOf(name) !== i);
        if (twice.length) problems.push(`column(s) named twice: ${[...new Set(twice)].join(', ')}`);
        for (const needed of ['kind', 'pledgeId', 'occurredAt'])
          if (!header.includes(needed)) problems.push(`no "${needed}" column`);
        if (problems.length) {
          yield fileError(1, `the header ${problems.join('; ')} (columns: docs/import-template.md)`);
          return;
        }
        continue;
      }
      yield { row, raw: Object.fromEntries(header.map((name, i) => [name, record[i]])) };
    }
  } catch (error) {
    const reason =
      error instanceof NotUtf8Error
        ? error.message
        : `unreadable CSV after row ${row}: ${(error as Error).message} (RFC 4180: quote cells with commas, quotes or line breaks; double a quote inside one)`;
    yield fileError(row + 1, reason);
    return;
  }
  if (!header) yield fileError(1, 'the file is empty: a CSV starts with the header row');
}

async function* jsonLines(text: Readable): AsyncGenerator<FileRow> {
  const lines = createInterface({ input: text, crlfDelay: Infinity });
  let row = 0;
  let any = false;
  try {
    for await (const rawLine of lines) {
      row += 1;
      const line = row === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
      if (line.trim() === '') continue;
      any = true;
      if (line.length > MAX_RECORD_BYTES) {
        yield fileError(row, `the line is longer than ${MAX_RECORD_BYTES} bytes`);
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        yield fileError(row, `not JSON: ${(error as Error).message}`);
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        yield fileError(row, 'each line must be one JSON object');
        continue;
      }
      yield { row, raw: value as RawImportRow };
    }
  } catch (error) {
    yield fileError(row + 1, error instanceof NotUtf8Error ? error.message : (error as Error).message);
    return;
  }
  if (!any) yield fileError(1, 'the file has no rows');
}
