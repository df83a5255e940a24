import { Consumer, EachBatchPayload, Kafka, KafkaMessage, Partitioners, Producer } from 'kafkajs';
import { Db, MongoNetworkError, MongoNotConnectedError, MongoServerSelectionError } from 'mongodb';
import { hashEvent, MongoEventStore, RecordedEvent, UpcasterRegistry } from '@ledger/event-store';
import { decodeEvent, logIndexOf } from '@ledger/messaging';
import { DeadLetters } from './dead-letters';
import { PledgeIndexWriter } from './pledge-index';
import { PledgeSummaryDocument } from './pledge-summary.document';
import { ApplyOutcome, PledgeSummaryProjection } from './pledge-summary.projection';
import { BatchProgress, ProjectionCheckpoints } from './projection-checkpoints';
import { CATALOG_REFRESH_MS, PLEDGE_SUMMARIES, ReadModelCatalog } from './read-model-catalog';

export interface ProjectionConsumerOptions {
  topic: string;
  deadLetterTopic: string;
  groupId: string;
  /** Attempts for one event before it is parked in the dead-letter topic. */
  maxAttempts: number;
  /** Write to this generation instead of the catalogue's active one (rebuilds). */
  generation?: string;
  upcasters?: UpcasterRegistry;
  partitionsConsumedConcurrently?: number;
  /**
   * Largest fetch per partition (kafkajs default 1 MiB, about 850 events). A replay of the whole topic takes
   * much more: a batch then holds several events of the same pledge, applied with one write instead of one each.
   */
  maxBytesPerPartition?: number;
}

export interface ProjectionLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProjectionStats {
  applied: number;
  duplicates: number;
  gapsFilled: number;
  parked: number;
  lastBatchAt: string | null;
  /** Documents written by this process: summaries, and pledge-index documents. */
  summaryWrites: number;
  indexWrites: number;
}

/** A database that cannot be reached is not the event's fault: never park an event for it. */
function isInfrastructureError(error: unknown): boolean {
  return (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNotConnectedError
  );
}

class PoisonMessageError extends Error {}

/** Pledges whose summaries are read together and written together (see PledgeSummaryProjection). */
const GROUPS_PER_WRITE = 100;

/**
 * Feeds the pledge-event topic into the summary read model as one Kafka consumer group. Offsets are committed
 * only after the writes (and the checkpoint beside the read model) succeeded; delivery is at least once and
 * the projection is idempotent. A poison event is retried a bounded number of times, then parked.
 */
export class ProjectionConsumer {
  private consumer?: Consumer;
  private producer?: Producer;
  private readonly catalog: ReadModelCatalog;
  private readonly checkpoints: ProjectionCheckpoints;
  private readonly deadLetters: DeadLetters;
  private readonly projections = new Map<string, PledgeSummaryProjection>();
  /** The generation each partition's last batch went to (see mayApply). */
  private readonly generationOf = new Map<number, string>();
  readonly stats: ProjectionStats = {
    applied: 0,
    duplicates: 0,
    gapsFilled: 0,
    parked: 0,
    lastBatchAt: null,
    summaryWrites: 0,
    indexWrites: 0,
  };

  constructor(
    private readonly kafka: Kafka,
    private readonly db: Db,
    private readonly store: MongoEventStore,
    private readonly options: ProjectionConsumerOptions,
    private readonly logger: ProjectionLogger,
  ) {
    this.catalog = new ReadModelCatalog(db, CATALOG_REFRESH_MS);
    this.checkpoints = new ProjectionCheckpoints(db);
    this.deadLetters = new DeadLetters(db);
  }

  async start(): Promise<void> {
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.producer.connect();
    // A short session: a crashed projector's partitions move to a live member within seconds.
    this.consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 200,
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
      ...(this.options.maxBytesPerPartition
        ? {
            maxBytesPerPartition: this.options.maxBytesPerPartition,
            maxBytes: Math.max(10 * 2 ** 20, 4 * this.options.maxBytesPerPartition),
          }
        : {}),
    });
    // Partitions may have moved: what another member wrote meanwhile must be read, not remembered.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      for (const projection of this.projections.values()) projection.forget();
      this.generationOf.clear();
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  private async projection(): Promise<{ projection: PledgeSummaryProjection; building: boolean }> {
    const { name, building } = this.options.generation
      ? { name: this.options.generation, building: false }
      : await this.catalog.active(PLEDGE_SUMMARIES);
    let projection = this.projections.get(name);
    if (!projection) {
      projection = new PledgeSummaryProjection(this.db.collection<PledgeSummaryDocument>(name), this.store, {
        index: new PledgeIndexWriter(this.db, name),
      });
      this.projections.set(name, projection);
    }
    return { projection, building };
  }

  /**
   * Whether this batch may be applied to `generation`. One writer per generation and partition: while a
   * rebuild still writes the generation readers moved to, the live projector waits (the batch is read again);
   * and the first batch of a partition in a generation (after a start, a rebalance or a rebuild's switch)
   * starts where the generation's checkpoint says, not where this consumer group was: what the group applied
   * to an older generation may be missing from this one, and what the rebuild applied need not be applied
   * again.
   */
  private async mayApply(
    batch: EachBatchPayload['batch'],
    generation: string,
    building: boolean,
  ): Promise<boolean> {
    const first = batch.firstOffset();
    if (first === null || this.options.generation !== undefined) return true;
    if (building) {
      this.consumer!.seek({ topic: batch.topic, partition: batch.partition, offset: first });
      await new Promise((r) => setTimeout(r, 200));
      return false;
    }
    if (this.generationOf.get(batch.partition) === generation) return true;
    this.generationOf.set(batch.partition, generation);
    const from = await this.checkpoints.offset(generation, batch.topic, batch.partition);
    if (from === undefined || String(from) === first) return true;
    this.logger.log(
      `${batch.topic}/${batch.partition}: ${generation} reflects the events before offset ${from}; going on from there (not ${first})`,
    );
    this.consumer!.seek({ topic: batch.topic, partition: batch.partition, offset: String(from) });
    return false;
  }

  private async eachBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const { projection, building } = await this.projection();
    if (!isRunning() || isStale()) return;
    if (!(await this.mayApply(batch, projection.collection.collectionName, building))) return;
    const progress: BatchProgress = { nextOffset: 0, applied: 0, duplicates: 0, gapsFilled: 0, parked: 0 };
    const seen = (recordedAt: string) => {
      if (!progress.lastEventRecordedAt || recordedAt > progress.lastEventRecordedAt)
        progress.lastEventRecordedAt = recordedAt;
    };
    // Decode first (an undecodable message is parked at once), then apply each pledge's events with one read
    // of its summary (a batch, a rebuild's above all, often holds several events of one pledge), the reads of
    // up to GROUPS_PER_WRITE pledges overlapping and their writes in one bulk write.
    const byPledge = new Map<string, { message: KafkaMessage; event: RecordedEvent }[]>();
    for (const message of batch.messages) {
      let event: RecordedEvent;
      try {
        event = this.decode(message);
      } catch (error) {
        await this.park(message, batch.partition, undefined, error);
        progress.parked += 1;
        continue;
      }
      byPledge.set(event.streamId, [...(byPledge.get(event.streamId) ?? []), { message, event }]);
    }
    const groups = [...byPledge.values()];
    for (let from = 0; from < groups.length; from += GROUPS_PER_WRITE) {
      // Stopping, or the partition moved to another member: leave the rest (nothing is committed, and what was
      // written is idempotent) instead of holding up a stop or a rebalance for the whole batch.
      if (!isRunning() || isStale()) return;
      const chunk = groups.slice(from, from + GROUPS_PER_WRITE);
      const outcomes = await projection.applyBatch(
        chunk.map((items) => items.map((item) => item.event)),
        batch.partition,
      );
      const infrastructure = outcomes.find(isInfrastructureError);
      if (infrastructure) throw infrastructure;
      for (const [i, outcome] of outcomes.entries()) {
        const items = chunk[i];
        if (!(outcome instanceof Error)) {
          progress.applied += outcome.applied;
          progress.duplicates += outcome.duplicates;
          progress.gapsFilled += outcome.gapsFilled;
          items.forEach((item) => seen(item.event.recordedAt));
          continue;
        }
        // Something in this pledge's events fails: one at a time, with retries, parking what keeps failing.
        for (const { message } of items) {
          const handled = await this.handle(message, batch.partition, projection);
          if (handled === 'parked') progress.parked += 1;
          else {
            if (handled.result === 'applied') progress.applied += 1;
            else if (handled.result === 'duplicate') progress.duplicates += 1;
            else progress.gapsFilled += 1;
            seen(handled.recordedAt);
          }
        }
      }
      await heartbeat();
    }
    for (const message of batch.messages) {
      const logIndex = logIndexOf(message);
      if (logIndex !== undefined && (progress.logIndex === undefined || logIndex > progress.logIndex))
        progress.logIndex = logIndex;
    }
    const last = batch.messages[batch.messages.length - 1];
    if (last) {
      progress.nextOffset = Number(last.offset) + 1;
      resolveOffset(last.offset);
    }
    if (progress.nextOffset === 0) return;
    await this.checkpoints.record(
      projection.collection.collectionName,
      this.options.topic,
      batch.partition,
      progress,
    );
    await this.consumer!.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: String(progress.nextOffset) },
    ]);
    this.stats.applied += progress.applied;
    this.stats.duplicates += progress.duplicates;
    this.stats.gapsFilled += progress.gapsFilled;
    this.stats.parked += progress.parked;
    this.stats.lastBatchAt = new Date().toISOString();
    this.stats.summaryWrites = [...this.projections.values()].reduce((n, p) => n + p.writes.summaries, 0);
    this.stats.indexWrites = [...this.projections.values()].reduce((n, p) => n + p.writes.index, 0);
  }

  private async handle(
    message: KafkaMessage,
    partition: number,
    projection: PledgeSummaryProjection,
  ): Promise<{ result: ApplyOutcome; recordedAt: string } | 'parked'> {
    let event: RecordedEvent | undefined;
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      try {
        event ??= this.decode(message);
        return { result: await projection.apply(event, partition), recordedAt: event.recordedAt };
      } catch (error) {
        if (isInfrastructureError(error)) throw error; // the batch is retried; nothing is committed
        lastError = error;
        if (error instanceof PoisonMessageError) break; // decoding again cannot help
        await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt)));
      }
    }
    await this.park(message, partition, event, lastError);
    return 'parked';
  }

  private decode(message: KafkaMessage): RecordedEvent {
    let event: RecordedEvent;
    try {
      event = decodeEvent(message);
    } catch (error) {
      throw new PoisonMessageError((error as Error).message);
    }
    // The published event must be the one recorded: a changed payload no longer matches its hash.
    if (hashEvent(event) !== event.hash)
      throw new PoisonMessageError(`event ${event.eventId}: hash does not match its content`);
    return this.options.upcasters ? this.options.upcasters.upcast(event) : event;
  }

  private async park(
    message: KafkaMessage,
    partition: number,
    event: RecordedEvent | undefined,
    error: unknown,
  ): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    await this.producer!.send({
      topic: this.options.deadLetterTopic,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...(message.headers ?? {}),
            'dead-letter-reason': reason,
            'original-topic': this.options.topic,
            'original-partition': String(partition),
            'original-offset': message.offset,
            'consumer-group': this.options.groupId,
          },
        },
      ],
    });
    await this.deadLetters.park({
      _id: `${this.options.topic}:${partition}:${message.offset}`,
      topic: this.options.topic,
      partition,
      offset: message.offset,
      eventId: event?.eventId ?? null,
      streamId: event?.streamId ?? null,
      version: event?.version ?? null,
      error: reason,
      attempts: this.options.maxAttempts,
      parkedAt: new Date().toISOString(),
      deadLetterTopic: this.options.deadLetterTopic,
    });
    this.logger.error(
      `parked ${this.options.topic}/${partition}@${message.offset} in ${this.options.deadLetterTopic}: ${reason}`,
    );
  }
}
