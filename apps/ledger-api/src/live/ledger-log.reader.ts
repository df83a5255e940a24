import { Injectable, Logger } from '@nestjs/common';
import { MongoEventStore, RecordedEvent } from '@ledger/event-store';
import { LogEntry } from '@ledger/transparency-log';
import { TransparencyLog } from '../log/transparency-log.service';
import { LedgerEventMessage, ledgerEventMessage } from './ledger-event.message';

/** Log positions (and then their events) looked up at once, each by `_id`. */
const PARALLEL_LOOKUPS = 16;

/** Positions of the log read in order, with the events they hold. */
export interface LogSlice {
  messages: LedgerEventMessage[];
  /** The first position not read: the end asked for, the log's head, or an entry whose event is not found. */
  next: number;
}

/** A log entry's key is the event's in the event store: `<streamId>:<version>`. */
function eventRef(entry: LogEntry): { streamId: string; version: number } {
  const cut = entry.key.lastIndexOf(':');
  return { streamId: entry.key.slice(0, cut), version: Number(entry.key.slice(cut + 1)) };
}

/**
 * The transparency log read forward, with each entry's event, by key lookups only (FerretDB serves nothing
 * else from an index): positions by `_id`, then each event by its key in the event store.
 */
@Injectable()
export class LedgerLogReader {
  private readonly logger = new Logger('LiveEvents');

  constructor(
    private readonly log: TransparencyLog,
    private readonly store: MongoEventStore,
  ) {}

  private async holds(index: number): Promise<boolean> {
    return (await this.log.store.entryAt(index)) !== null;
  }

  /**
   * The log's size now: from the latest checkpoint's, forward by `_id`. Positions are claimed in order without
   * gaps, so "is position p taken" is true below the head and false from it on: galloping from what the
   * checkpoint says, then halving, costs one lookup when the checkpoint is current and about 2·log2(k) when
   * it is k entries behind.
   */
  async head(): Promise<number> {
    let low = (await this.log.store.latestCheckpoint())?.size ?? 0;
    let high: number | undefined;
    for (let step = 1; high === undefined; step *= 2) {
      if (await this.holds(low + step - 1)) low += step;
      else high = low + step - 1;
    }
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (await this.holds(middle)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Positions `from` up to (not including) `to` or the head, with their events; only `streamId`'s if given. */
  async read(from: number, to: number, streamId?: string): Promise<LogSlice> {
    const messages: LedgerEventMessage[] = [];
    let next = from;
    while (next < to) {
      const count = Math.min(PARALLEL_LOOKUPS, to - next);
      const found = await Promise.all(
        Array.from({ length: count }, (_, i) => this.log.store.entryAt(next + i)),
      );
      const gap = found.indexOf(null);
      const entries = (gap === -1 ? found : found.slice(0, gap)) as LogEntry[];
      const events = await Promise.all(
        entries.map((entry) =>
          !streamId || eventRef(entry).streamId === streamId ? this.eventOf(entry) : undefined,
        ),
      );
      for (const [i, entry] of entries.entries()) {
        const event = events[i];
        if (event === null) {
          // The sequencer gives positions only to stored events: this is damage, not a race. Stop before it.
          this.logger.warn(
            `log entry ${entry.index} names ${entry.key}, which the event store does not hold`,
          );
          return { messages, next: entry.index };
        }
        if (event) messages.push(ledgerEventMessage(entry.index, event));
      }
      next += entries.length;
      if (entries.length < count) break;
    }
    return { messages, next };
  }

  private async eventOf(entry: LogEntry): Promise<RecordedEvent | null> {
    const { streamId, version } = eventRef(entry);
    const [event] = await this.store.readStream(streamId, { fromVersion: version, toVersion: version });
    return event ?? null;
  }
}
