import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { LedgerConfig } from '@ledger/config';
import { runWithoutDeadline } from '@ledger/database';
import { pledgeStreamId } from '@ledger/domain';
import { ProblemException } from '../problem';
import { LedgerLogReader } from './ledger-log.reader';
import { LedgerLogTailer, LiveEvent, liveEvent } from './ledger-log.tailer';
import { sseMessage, SseStream } from './sse-stream';

/** Positions a resuming stream reads per round of its replay. */
const REPLAY_BATCH = 64;

export interface LiveStreamRequest {
  /** The last position the client has (Last-Event-ID, else `after`); undefined: it starts at the head. */
  after?: number;
  /** false: the backlog only, then the end. */
  follow: boolean;
  pledgeId?: string;
}

/**
 * The ledger's events, live, as Server-Sent Events: a stream replays what its client missed (from the log,
 * by key) and then carries what the one tailer of the process hands out, each event once and in log order.
 */
@Injectable()
export class LiveEventsService implements OnModuleDestroy {
  private readonly logger = new Logger('LiveEvents');
  private readonly streams = new Set<SseStream>();
  private closing = false;
  private readonly maxStreams: number;
  private readonly replayLimit: number;
  private readonly heartbeatMs: number;

  constructor(
    private readonly reader: LedgerLogReader,
    private readonly tailer: LedgerLogTailer,
    config: LedgerConfig,
  ) {
    this.maxStreams = config.LIVE_EVENTS_MAX_STREAMS;
    this.replayLimit = config.LIVE_EVENTS_REPLAY_LIMIT;
    this.heartbeatMs = config.LIVE_EVENTS_HEARTBEAT_MS;
  }

  /** Refuses a stream past the process's limit, or while it shuts down (503, before anything is sent). */
  admit(): void {
    if (this.closing)
      throw new ProblemException(503, 'shutting-down', 'Shutting down', 'This server is shutting down.');
    if (this.streams.size >= this.maxStreams)
      throw new ProblemException(
        503,
        'too-many-streams',
        'Too many live streams',
        `This server carries ${this.streams.size} live streams, its limit; retry in a moment.`,
      );
  }

  /**
   * Serves one stream on a response nothing else writes to. Outside the request's deadline: the stream
   * outlives its handler, and a replay for a client that left stops at its next batch.
   */
  serve(res: ServerResponse, request: LiveStreamRequest): Promise<void> {
    return runWithoutDeadline(() => this.stream(res, request));
  }

  private async stream(res: ServerResponse, request: LiveStreamRequest): Promise<void> {
    const stream = new SseStream(res, this.heartbeatMs);
    this.streams.add(stream);
    const streamId = request.pledgeId ? pledgeStreamId(request.pledgeId) : undefined;
    /** The next position this client is owed. */
    let next = 0;
    let early: LiveEvent[] | null = [];
    const take = (events: readonly LiveEvent[]) => {
      if (early) return void early.push(...events);
      for (const { message, frame } of events) {
        if (message.logIndex < next) continue;
        next = message.logIndex + 1;
        if (!streamId || message.streamId === streamId) stream.send(message.logIndex, frame);
        else stream.passed(message.logIndex);
      }
    };
    void stream.closed.then(() => {
      this.streams.delete(stream);
      this.tailer.leave(take);
    });
    try {
      const head = request.follow ? await this.tailer.join(take) : await this.reader.head();
      next = request.after === undefined ? head : request.after + 1;
      if (head - next > this.replayLimit) {
        stream.send(head - 1, sseMessage(head - 1, 'reset', { after: request.after, head }));
        next = head;
      }
      while (next < head && stream.open) {
        const slice = await this.reader.read(next, Math.min(head, next + REPLAY_BATCH), streamId);
        if (slice.next === next) throw new Error(`log position ${next} cannot be read`);
        for (const message of slice.messages)
          if (!stream.send(message.logIndex, liveEvent(message).frame)) await stream.drained();
        next = slice.next;
      }
      stream.passed(next - 1);
      if (!request.follow) {
        stream.markPosition();
        return stream.end();
      }
      const caughtUp = early;
      early = null;
      take(caughtUp);
      stream.markPosition();
    } catch (error) {
      if (stream.open && !this.closing)
        this.logger.warn({ err: error }, 'a live stream failed; its client reconnects and resumes');
      stream.end();
    }
  }

  /** Ends every open stream (their clients reconnect elsewhere), so that shutting down waits for none. */
  onModuleDestroy(): void {
    this.closing = true;
    for (const stream of this.streams) stream.end();
  }
}
