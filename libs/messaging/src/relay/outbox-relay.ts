import { randomUUID } from 'node:crypto';
import { CompressionTypes, Kafka, Partitioners, Producer } from 'kafkajs';
import { Db } from 'mongodb';
import { Lease } from '@ledger/database';
import { MongoEventStore } from '@ledger/event-store';
import { NoteSigner } from '@ledger/transparency';
import { LogSequencer, MongoLogStore } from '@ledger/transparency-log';
import { encodeEvent, pledgeIdOf } from '../pledge-event-codec';

export interface OutboxRelayOptions {
  topic: string;
  batchSize: number;
  pollIntervalMs: number;
  leaseTtlMs?: number;
}

/** The transparency log the relay sequences: where it is stored, its name and key, how often it signs. */
export interface RelayLogOptions {
  store: MongoLogStore;
  origin: string;
  signer: NoteSigner;
  checkpointIntervalMs: number;
}

export interface RelayLogger {
  log(message: string): void;
  error(message: string, trace?: string): void;
}

export interface RelayMetrics {
  running: boolean;
  holdsLease: boolean;
  publishedTotal: number;
  batches: number;
  lastPublishedAt: string | null;
  lastError: string | null;
  /** Entries of the transparency log this relay's sequencer holds (0 until it first held the lease). */
  logSize: number;
}

/**
 * Publishes stored events to the pledge-event topic, oldest first, then marks them published. A crash between
 * the two steps republishes the batch (at least once; consumers are idempotent by stream version); a crash
 * before publishing loses nothing because the event is still unpublished in the store.
 *
 * The relay holding the lease is also the transparency log's sequencer: before a batch goes out each event
 * gets its position in the one global log (kept if the batch is sent again), and the batch is sent in that
 * order with the position in a header; once Kafka acknowledged it, the log's tiles, state and checkpoint are
 * written. A partition's messages are therefore in log order.
 */
export class OutboxRelay {
  private producer?: Producer;
  private loop?: Promise<void>;
  private stopping = false;
  private wake?: () => void;
  private readonly lease: Lease;
  private readonly metricsState: RelayMetrics = {
    running: false,
    holdsLease: false,
    publishedTotal: 0,
    batches: 0,
    lastPublishedAt: null,
    lastError: null,
    logSize: 0,
  };
  private partitionOf?: (key: string) => number;

  constructor(
    private readonly store: MongoEventStore,
    db: Db,
    private readonly kafka: Kafka,
    private readonly options: OutboxRelayOptions,
    private readonly logger: RelayLogger,
    private readonly logOptions: RelayLogOptions,
  ) {
    this.lease = new Lease(db, `outbox:${options.topic}`, randomUUID(), options.leaseTtlMs ?? 10000);
  }

  private log?: LogSequencer;

  async start(): Promise<void> {
    this.partitionOf = await this.partitioner();
    this.log = new LogSequencer(this.logOptions.store, {
      ...this.logOptions,
      isPending: (key) => this.store.isPending(key),
      partitionOf: this.partitionOf,
      logger: this.logger,
    });
    this.producer = await this.connectProducer();
    this.stopping = false;
    this.metricsState.running = true;
    this.loop = this.run();
  }

  private async connectProducer(): Promise<Producer> {
    // Idempotent producer with one request in flight: retries never duplicate or reorder within a partition.
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Give up on a send within about a second and let the loop below try again: after a broker restart
      // the relay publishes within a second or two of the broker answering, not after a long backoff.
      retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 3 },
    });
    await producer.connect();
    return producer;
  }

  /**
   * The partition of each event's message, computed here as the producer's default partitioner would (murmur2
   * of the key over the topic's partitions), so the sequencer knows the last log position of each partition.
   */
  private async partitioner(): Promise<(key: string) => number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [this.options.topic] });
      const partitionMetadata = metadata.topics[0].partitions;
      const partition = Partitioners.DefaultPartitioner();
      return (key: string) =>
        partition({
          topic: this.options.topic,
          partitionMetadata,
          message: { key: pledgeIdOf(key.slice(0, key.lastIndexOf(':'))), value: null },
        });
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * After repeated failures the producer is made anew: an idempotent producer whose broker restarted can be
   * left with a producer id or sequence the broker no longer accepts, and would fail every send after.
   * Re-sending a batch is safe (at least once; consumers are idempotent by stream version).
   */
  private async renewProducer(): Promise<void> {
    const old = this.producer;
    this.producer = undefined;
    await old?.disconnect().catch(() => undefined);
    this.producer = await this.connectProducer();
    this.logger.log('relay producer reconnected');
  }

  /** Lets a writer nudge the relay instead of waiting for the next poll. */
  notify(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    if (this.metricsState.holdsLease) await this.lease.release().catch(() => undefined);
    await this.producer?.disconnect();
    this.metricsState.running = false;
    this.metricsState.holdsLease = false;
  }

  metrics(): RelayMetrics {
    return { ...this.metricsState, logSize: this.log?.size ?? 0 };
  }

  get logSequencer(): LogSequencer | undefined {
    return this.log;
  }

  /** Publishes one batch if this relay holds the lease; returns how many events went out. */
  async publishBatch(): Promise<number> {
    const log = this.log;
    if (!log || !this.partitionOf) throw new Error('the relay is not started');
    this.metricsState.holdsLease = await this.lease.keep();
    if (!this.metricsState.holdsLease) {
      // Another relay sequences now; holding the lease again, this one first reads what it wrote.
      log.suspend();
      return 0;
    }
    const pending = await this.store.nextToPublish(this.options.batchSize);
    if (pending.length === 0) {
      await log.idle();
      return 0;
    }
    if (!this.producer) throw new Error('the producer is reconnecting');
    const indexes = await log.assign(
      pending.map((p) => ({ key: p.key, eventId: p.event.eventId, hash: p.event.hash })),
    );
    const batch = pending
      .map((p, i) => ({ ...p, logIndex: indexes[i] }))
      .sort((a, b) => a.logIndex - b.logIndex);
    await this.producer.send({
      topic: this.options.topic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: batch.map((p) =>
        encodeEvent(p.event, { logIndex: p.logIndex, partition: this.partitionOf!(p.key) }),
      ),
    });
    await this.store.markPublished(batch);
    await log.published(batch.map((p) => p.key));
    this.metricsState.publishedTotal += batch.length;
    this.metricsState.batches += 1;
    this.metricsState.lastPublishedAt = new Date().toISOString();
    return batch.length;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let published = 0;
      try {
        published = await this.publishBatch();
        failures = 0;
        this.metricsState.lastError = null;
      } catch (error) {
        failures += 1;
        this.metricsState.lastError = (error as Error).message;
        this.logger.error(`relay batch failed (attempt ${failures}): ${(error as Error).message}`);
        if (failures % 3 === 0 || !this.producer) await this.renewProducer().catch(() => undefined);
      }
      if (published === 0 && !this.stopping) {
        const backoff = failures ? Math.min(1000, 100 * 2 ** failures) : this.options.pollIntervalMs;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoff);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }
}
