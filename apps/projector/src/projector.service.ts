import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Db } from 'mongodb';
import { LedgerConfig } from '@ledger/config';
import { InjectReadModelDb } from '@ledger/database';
import { MongoEventStore, PLEDGE_UPCASTERS } from '@ledger/event-store';
import { KafkaConnection } from '@ledger/messaging';
import {
  DeadLetters,
  PLEDGE_SUMMARIES,
  ProjectionCheckpoints,
  ProjectionConsumer,
  ReadModelCatalog,
} from '@ledger/read-models';

/** Runs the pledge-summary projection as a Kafka consumer group for the life of the app. */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projector');
  private readonly consumer: ProjectionConsumer;

  constructor(
    @InjectReadModelDb() private readonly db: Db,
    private readonly kafka: KafkaConnection,
    store: MongoEventStore,
    private readonly config: LedgerConfig,
  ) {
    this.consumer = new ProjectionConsumer(
      kafka.kafka,
      db,
      store,
      {
        topic: config.PLEDGE_EVENTS_TOPIC,
        deadLetterTopic: config.DEAD_LETTER_TOPIC,
        groupId: config.PROJECTOR_GROUP_ID,
        maxAttempts: config.PROJECTOR_MAX_ATTEMPTS,
        upcasters: PLEDGE_UPCASTERS,
        maxBytesPerPartition: config.PROJECTOR_FETCH_BYTES_PER_PARTITION,
      },
      this.logger,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.kafka.ensureLedgerTopics();
    await this.consumer.start();
    this.logger.log(
      `projecting ${this.config.PLEDGE_EVENTS_TOPIC} as consumer group ${this.config.PROJECTOR_GROUP_ID}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
    this.logger.log('projector stopped');
  }

  /** Lag per partition: the topic's end offset minus what the active read model reflects. */
  async status() {
    const generation = await new ReadModelCatalog(this.db).activeCollectionName(PLEDGE_SUMMARIES);
    const watermark = await new ProjectionCheckpoints(this.db).watermark(generation);
    const admin = await this.kafka.sharedAdmin();
    const ends = await admin.fetchTopicOffsets(this.config.PLEDGE_EVENTS_TOPIC);
    const lag = ends.map((end) => {
      const done = watermark.partitions.find((p) => p.partition === end.partition)?.offset ?? Number(end.low);
      return {
        partition: end.partition,
        endOffset: Number(end.high),
        projectedOffset: done,
        lag: Math.max(0, Number(end.high) - done),
      };
    });
    return {
      generation,
      totalLag: lag.reduce((n, p) => n + p.lag, 0),
      partitions: lag,
      lastEventRecordedAt: watermark.lastEventRecordedAt,
      deadLetters: await new DeadLetters(this.db).count(),
      thisProcess: this.consumer.stats,
    };
  }
}
