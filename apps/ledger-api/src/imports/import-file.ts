import { createReadStream } from 'node:fs';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import { clipped, IMPORT_COLUMNS, type ImportRowError, quoted, type RawImportRow } from '@ledger/domain';
import { ProblemException } from '../problem/problem';
import { scan } from '../problem/json-body';

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
  const file = createReadStream(path);
  const text = file.pipe(new StrictUtf8());
  file.once('error', (error) => text.destroy(error));
  try {
    yield* format === 'csv' ? csvRows(text) : jsonLines(text);
  } finally {
    // Whether the rows ran out, broke off at an error or the reader stopped early: the file is closed.
    text.destroy();
    file.destroy();
  }
}

async function* csvRows(text: Readable): AsyncGenerator<FileRow> {
  const parser = text.pipe(
    parse({
      bom: true,
      // A record with more or fewer cells than the header is reported (by row) and the file read on.
      relax_column_count: true,
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
        if (unknown.length) problems.push(`unknown column(s) ${unknown.slice(0, 10).map(quoted).join(', ')}`);
        const twice = header.filter((name, i) => header!.indexOf(name) !== i);
        if (twice.length)
          problems.push(`column(s) named twice: ${[...new Set(twice)].slice(0, 10).map(quoted).join(', ')}`);
        for (const needed of ['kind', 'pledgeId', 'occurredAt'])
          if (!header.includes(needed)) problems.push(`no "${needed}" column`);
        if (problems.length) {
          yield fileError(1, `the header ${problems.join('; ')} (columns: docs/import-template.md)`);
          return;
        }
        continue;
      }
      if (record.length !== header.length) {
        yield fileError(
          row,
          `the record has ${record.length} cell(s), the header ${header.length} (a cell with a comma must be quoted)`,
        );
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
  else if (row === 1) yield fileError(1, 'the file has the header row only: no rows to import');
}

/**
 * The lines of a text, each at most MAX_RECORD_BYTES characters: a longer one is not kept (nor its rest, up to
 * the next line break) but reported as `tooLong`, so one huge line costs no more memory than a long one.
 */
async function* linesOf(text: Readable): AsyncGenerator<{ line: string } | { tooLong: true }> {
  let pending = '';
  let skipping = false;
  for await (const chunk of text as AsyncIterable<string>) {
    let from = 0;
    for (let at = chunk.indexOf('\n'); at !== -1; at = chunk.indexOf('\n', from)) {
      const piece = chunk.slice(from, at);
      from = at + 1;
      if (skipping || pending.length + piece.length > MAX_RECORD_BYTES) {
        skipping = false;
        pending = '';
        yield { tooLong: true };
        continue;
      }
      const line = pending + piece;
      pending = '';
      yield { line: line.endsWith('\r') ? line.slice(0, -1) : line };
    }
    if (skipping) continue;
    pending += chunk.slice(from);
    if (pending.length > MAX_RECORD_BYTES) {
      skipping = true;
      pending = '';
    }
  }
  if (skipping) yield { tooLong: true };
  else if (pending !== '') yield { line: pending.endsWith('\r') ? pending.slice(0, -1) : pending };
}

async function* jsonLines(text: Readable): AsyncGenerator<FileRow> {
  let row = 0;
  let any = false;
  try {
    for await (const next of linesOf(text)) {
      row += 1;
      if ('tooLong' in next) {
        any = true;
        yield fileError(row, `the line is longer than ${MAX_RECORD_BYTES} characters`);
        continue;
      }
      const line = row === 1 ? next.line.replace(/^\uFEFF/, '') : next.line;
      if (line.trim() === '') continue;
      any = true;
      let value: unknown;
      try {
        // As strict as a JSON body: a key twice in one object is refused (JSON.parse would keep the last).
        scan(line);
        value = JSON.parse(line);
      } catch (error) {
        if (error instanceof ProblemException) {
          yield fileError(row, clipped(error.message, 200));
          continue;
        }
        yield fileError(row, `not JSON: ${clipped((error as Error).message, 200)}`);
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
