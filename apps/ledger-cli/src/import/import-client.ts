// Sends an import file to a running ledger API (POST /imports) and follows it to its end (GET /imports/{id}),
// as any client would: the file is streamed (never read into memory) and the import's id is chosen here, so
// its progress can be followed while the file is still being sent and checked.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ImportSource, ImportStatus } from './import-types';

export interface ImportFileOptions {
  /** Base URL of the ledger API, e.g. http://127.0.0.1:8080 */
  apiUrl: string;
  /** An organisation's key (its own pledges) or the admin key (a registry migrating). */
  apiKey: string;
  /** Path of a .csv or .jsonl file (docs/import-template.md). */
  file: string;
  /** Default: from the file's extension (.csv → csv; .jsonl, .ndjson → jsonl). */
  format?: 'csv' | 'jsonl';
  source: ImportSource;
  /** Check the file and answer what it would record, recording nothing. */
  dryRun?: boolean;
  /** Called with the bytes sent while uploading, and with the import's status as it goes on. */
  onProgress?: (progress: ImportProgress) => void;
  /** How often the status is asked for; default 500 ms. */
  pollMs?: number;
}

export interface ImportProgress {
  phase: 'sending' | 'checking' | 'recording' | 'done';
  bytesSent: number;
  bytesTotal: number;
  status?: ImportStatus;
}

/** The API refused the file (422 with every bad row, or another problem), or the recording failed part-way. */
export class ImportRejectedError extends Error {
  override readonly name = 'ImportRejectedError';

  constructor(
    message: string,
    readonly httpStatus: number,
    readonly problem: unknown,
    readonly status?: ImportStatus,
  ) {
    super(message);
  }
}

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' };
const RUNNING = new Set(['validating', 'applying']);

export function formatOf(file: string): 'csv' | 'jsonl' {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new Error(`${file}: say --format csv or jsonl (the extension ${ext || '(none)'} does not tell)`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Imports `file`; resolves with the final status (completed, or validated for a dry run). */
export async function importFile(options: ImportFileOptions): Promise<ImportStatus> {
  const format = options.format ?? formatOf(options.file);
  const baseUrl = options.apiUrl.replace(/\/+$/, '');
  const bytesTotal = (await stat(options.file)).size;
  const id = randomUUID();
  const report = options.onProgress ?? (() => undefined);
  const pollMs = options.pollMs ?? 500;
  const auth = { authorization: `Bearer ${options.apiKey}` };
  let bytesSent = 0;
  let latest: ImportStatus | undefined;

  const query = new URLSearchParams({
    id,
    source: options.source.name,
    retrievedOn: options.source.retrievedOn,
    ...(options.source.url ? { sourceUrl: options.source.url } : {}),
    ...(options.dryRun ? { dryRun: 'true' } : {}),
  });

  async function poll(): Promise<ImportStatus | undefined> {
    const response = await fetch(`${baseUrl}/imports/${id}`, { headers: auth }).catch(() => undefined);
    if (!response?.ok) return undefined;
    latest = (await response.json()) as ImportStatus;
    return latest;
  }

  // Follows the import while the request is in flight (the answer comes once the whole file is checked).
  let sending = true;
  const follower = (async () => {
    while (sending) {
      await sleep(pollMs);
      if (!sending) break;
      const status = await poll();
      report({ phase: bytesSent < bytesTotal ? 'sending' : 'checking', bytesSent, bytesTotal, status });
    }
  })();

  async function* chunks(): AsyncGenerator<Uint8Array> {
    for await (const chunk of createReadStream(options.file, { highWaterMark: 256 * 1024 })) {
      bytesSent += (chunk as Buffer).length;
      report({ phase: 'sending', bytesSent, bytesTotal, status: latest });
      yield chunk as Buffer;
    }
  }

  let response: Response;
  try {
    response = await fetch(`${baseUrl}/imports?${query}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': CONTENT_TYPES[format], accept: 'application/json' },
      body: chunks() as unknown as RequestInit['body'],
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
  } finally {
    sending = false;
    await follower;
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text for the message
  }
  if (!response.ok) {
    const problem = body as { detail?: string; import?: ImportStatus };
    throw new ImportRejectedError(
      `POST /imports answered ${response.status}: ${problem?.detail ?? text}`,
      response.status,
      body,
      problem?.import,
    );
  }
  let status = body as ImportStatus;
  while (RUNNING.has(status.status)) {
    report({ phase: 'recording', bytesSent, bytesTotal, status });
    await sleep(pollMs);
    status = (await poll()) ?? status;
  }
  report({ phase: 'done', bytesSent, bytesTotal, status });
  if (status.status !== 'completed' && status.status !== 'validated')
    throw new ImportRejectedError(
      `import ${status.id} ${status.status}: ${status.failure ?? ''}`,
      response.status,
      body,
      status,
    );
  return status;
}
