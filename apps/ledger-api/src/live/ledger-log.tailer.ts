import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { LedgerConfig } from '@ledger/config';
import { runWithoutDeadline } from '@ledger/database';
import { LedgerEventMessage } from './ledger-event.message';
import { LedgerLogReader } from './ledger-log.reader';
import { sseMessage } from './sse-stream';

/** A new event of the log, with its SSE message framed once for every stream. */
export interface LiveEvent {
  message: LedgerEventMessage;
  frame: string;
}

export type LiveEventListener = (events: readonly LiveEvent[]) => void;

/** Positions read per poll at most; more waiting are read at once after, not after another interval. */
const POLL_POSITIONS = 256;

export function liveEvent(message: LedgerEventMessage): LiveEvent {
  return { message, frame: sseMessage(message.logIndex, 'ledger-event', message) };
}

/**
 * The one reader of the log's new entries per process, however many streams are open: while anyone
 * listens it polls the positions after the head every LIVE_EVENTS_POLL_INTERVAL_MS and hands each batch,
 * in log order, to every listener; with no listener left it stops.
 */
@Injectable()
export class LedgerLogTailer implements OnModuleDestroy {
  private readonly logger = new Logger('LiveEvents');
  private readonly listeners = new Set<LiveEventListener>();
  /** Every position below it has been handed to the listeners; null while stopped. */
  private head: number | null = null;
  private starting: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly intervalMs: number;

  constructor(
    private readonly reader: LedgerLogReader,
    config: LedgerConfig,
  ) {
    this.intervalMs = config.LIVE_EVENTS_POLL_INTERVAL_MS;
  }

  /**
   * Adds a listener; resolves to the position from which it hears every event, in order. It may hear some
   * below that position too (handed out while it joined): what it reads below it itself, it skips.
   */
  async join(listener: LiveEventListener): Promise<number> {
    if (this.stopped) throw new Error('the ledger API is shutting down');
    this.listeners.add(listener);
    try {
      if (this.head === null) await (this.starting ??= this.start());
    } catch (error) {
      this.listeners.delete(listener);
      throw error;
    }
    if (this.head === null) throw new Error('the ledger API is shutting down');
    return this.head;
  }

  leave(listener: LiveEventListener): void {
    this.listeners.delete(listener);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    this.listeners.clear();
    this.head = null;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Outside any request's deadline: the polling outlives the stream that started it. */
  private start(): Promise<void> {
    return runWithoutDeadline(async () => {
      try {
        const head = await this.reader.head();
        if (this.stopped) return;
        this.head = head;
        this.schedule(this.intervalMs);
      } finally {
        this.starting = null;
      }
    });
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => void this.poll(), ms);
  }

  private async poll(): Promise<void> {
    this.timer = null;
    if (this.listeners.size === 0 || this.stopped || this.head === null) {
      this.head = null;
      return;
    }
    const from = this.head;
    let more = false;
    try {
      const slice = await this.reader.read(from, from + POLL_POSITIONS);
      if (this.stopped) return;
      this.head = slice.next;
      more = slice.next === from + POLL_POSITIONS;
      if (slice.messages.length > 0) this.broadcast(slice.messages.map(liveEvent));
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn({ err: error }, 'reading the log for live streams failed; trying again');
    }
    if (this.listeners.size === 0) {
      this.head = null;
      return;
    }
    this.schedule(more ? 0 : this.intervalMs);
  }

  private broadcast(events: readonly LiveEvent[]): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(events);
      } catch (error) {
        this.logger.error({ err: error }, 'a live stream failed to take events');
      }
    }
  }
}
