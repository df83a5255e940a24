/** One Server-Sent Events block as a client sees it; `comment` holds its comment lines (`: ...`). */
export interface SseBlock {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
  comments: string[];
}

/** The blocks of an event stream's text (WHATWG HTML §9.2.6, the subset a parser of this API needs). */
export function parseSse(text: string): { blocks: SseBlock[]; rest: string } {
  const blocks: SseBlock[] = [];
  const parts = text.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = parts.pop() ?? '';
  for (const part of parts) {
    const block: SseBlock = { comments: [] };
    for (const line of part.split('\n')) {
      if (line.startsWith(':')) block.comments.push(line.slice(1).trim());
      else {
        const cut = line.indexOf(':');
        const field = cut === -1 ? line : line.slice(0, cut);
        const value = cut === -1 ? '' : line.slice(cut + 1).replace(/^ /, '');
        if (field === 'data') block.data = block.data === undefined ? value : `${block.data}\n${value}`;
        else if (field === 'id' || field === 'event') block[field] = value;
        else if (field === 'retry') block.retry = Number(value);
      }
    }
    blocks.push(block);
  }
  return { blocks, rest };
}

/** An open event stream read with fetch: every block received so far, and waits on what comes next. */
export class SseClient {
  readonly blocks: SseBlock[] = [];
  ended = false;
  /** Why the body stopped, when it did not end cleanly (this side closing it included). */
  error: unknown;
  private wake: () => void = () => undefined;
  private constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const abort = new AbortController();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: abort.signal,
    });
    const client = new SseClient(response, abort);
    void client.read();
    return client;
  }

  /** The ledger events (and resets) received, as parsed JSON with their ids. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  messages(event = 'ledger-event'): { id: string; data: any }[] {
    return this.blocks
      .filter((b) => b.event === event && b.data !== undefined)
      .map((b) => ({ id: b.id!, data: JSON.parse(b.data!) }));
  }

  /** Waits until `check` holds for what was received (or for the end, with `orEnd`), or the timeout. */
  async until(check: (client: this) => boolean, timeoutMs = 20000, orEnd = false): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this)) {
      if (this.ended && orEnd) return;
      if (this.ended)
        throw new Error(`the stream ended before the condition held: ${JSON.stringify(this.blocks)}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(this.blocks)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close(): void {
    this.abort.abort();
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
        const { blocks, rest } = parseSse(buffered + decoder.decode(chunk, { stream: true }));
        buffered = rest;
        this.blocks.push(...blocks);
        this.wake();
      }
    } catch (error) {
      this.error = error;
    } finally {
      this.ended = true;
      this.wake();
    }
  }
}
