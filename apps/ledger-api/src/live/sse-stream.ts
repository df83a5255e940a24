import type { ServerResponse } from 'node:http';

/** How long an EventSource waits before it reconnects (sent first, as the stream's `retry:`). */
export const RECONNECT_AFTER_MS = 3000;

/** A client this far behind on a live stream is cut off; it reconnects and resumes from what it received. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // nginx and similar proxies would otherwise hold the messages back to fill a buffer.
  'x-accel-buffering': 'no',
};

/** One Server-Sent Events message (WHATWG HTML §9.2): `data` is one line of JSON. */
export function sseMessage(id: number, event: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * One client's event stream over a raw HTTP response: the headers and `retry:` first, messages with their
 * log positions as ids, a comment every `heartbeatMs` so that proxies keep a quiet stream open, and an end
 * when either side closes it.
 *
 * The last position the stream has passed (sent, or skipped by a filter) is carried in an id-only block
 * (`id: N` and no data: an EventSource records it without dispatching anything) when the stream goes live
 * and with a heartbeat, so that a client that reconnects resumes from there rather than from the head.
 */
export class SseStream {
  private lastId: number | undefined;
  private position: number | undefined;
  private gone: boolean;
  private readonly heartbeat: NodeJS.Timeout;
  readonly closed: Promise<void>;

  constructor(
    private readonly res: ServerResponse,
    heartbeatMs: number,
  ) {
    // A client gone before the stream started has closed its response already.
    const gone = res.destroyed || !res.socket || res.socket.destroyed;
    this.gone = gone;
    this.closed = gone ? Promise.resolve() : new Promise((resolve) => res.once('close', resolve));
    void this.closed.then(() => (this.gone = true));
    // A failed write closes the response too, which is all the stream needs to know.
    res.on('error', () => undefined);
    if (!gone) res.writeHead(200, SSE_HEADERS);
    this.write(`retry: ${RECONNECT_AFTER_MS}\n\n`);
    this.heartbeat = setInterval(() => this.write(`: keep-alive\n${this.positionLine()}\n`), heartbeatMs);
    this.heartbeat.unref();
    void this.closed.then(() => clearInterval(this.heartbeat));
  }

  get open(): boolean {
    return !this.gone && !this.res.destroyed && !this.res.writableEnded;
  }

  /** A message for log position `id`; false when the client is slow to read (wait for `drained`). */
  send(id: number, message: string): boolean {
    this.lastId = id;
    this.passed(id);
    return this.write(message);
  }

  /** The stream is past log position `id` (sent, or not for this client). */
  passed(id: number): void {
    this.position = Math.max(this.position ?? id, id);
  }

  /** Sends the position passed as an id-only block, unless the last message carried it already. */
  markPosition(): void {
    const line = this.positionLine();
    if (line) this.write(`${line}\n`);
  }

  drained(): Promise<void> {
    if (!this.res.writableNeedDrain || !this.open) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }

  end(): void {
    clearInterval(this.heartbeat);
    if (this.open) this.res.end();
  }

  private positionLine(): string {
    if (this.position === undefined || this.position === this.lastId) return '';
    this.lastId = this.position;
    return `id: ${this.position}\n`;
  }

  private write(text: string): boolean {
    if (!this.open) return false;
    if (this.res.writableLength > MAX_BUFFERED_BYTES) {
      // Not reading: what it did receive ends with an id, and it resumes from there when it reconnects.
      this.res.destroy();
      return false;
    }
    return this.res.write(text);
  }
}
