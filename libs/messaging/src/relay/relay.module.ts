import {
  Global,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Db } from 'mongodb';
import { LedgerConfig } from '@ledger/config';
import { InjectLedgerDb } from '@ledger/database';
import { MongoEventStore } from '@ledger/event-store';
import { KafkaConnection } from '../kafka.module';
import { loadLogSigner, MongoLogStore } from '@ledger/transparency-log';
import { formatVerifierKey } from '@ledger/transparency';
import { OutboxRelay } from './outbox-relay';

/** Runs the outbox relay for the life of the Nest application that imports it. */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  readonly relay: OutboxRelay;
  readonly store: MongoEventStore;
  readonly log: MongoLogStore;
  private readonly vkey: string;

  constructor(
    @InjectLedgerDb() db: Db,
    private readonly kafka: KafkaConnection,
    config: LedgerConfig,
  ) {
    this.log = new MongoLogStore(db);
    const { signer, generated } = loadLogSigner({
      key: config.LOG_SIGNING_KEY,
      file: config.LOG_SIGNING_KEY_FILE,
      name: config.LOG_ORIGIN,
    });
    this.vkey = formatVerifierKey(signer);
    if (generated) this.logger.log(`generated the log signing key into ${config.LOG_SIGNING_KEY_FILE}`);
    this.store = new MongoEventStore(db, undefined, {
      completeClaimsAfterMs: config.OUTBOX_COMPLETE_AFTER_MS,
    });
    this.relay = new OutboxRelay(
      this.store,
      db,
      kafka.kafka,
      {
        topic: config.PLEDGE_EVENTS_TOPIC,
        batchSize: config.RELAY_BATCH_SIZE,
        pollIntervalMs: config.RELAY_POLL_INTERVAL_MS,
      },
      this.logger,
      {
        store: this.log,
        origin: config.LOG_ORIGIN,
        signer,
        checkpointIntervalMs: config.LOG_CHECKPOINT_INTERVAL_MS,
      },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.store.ensureIndexes();
    await this.kafka.ensureLedgerTopics();
    await this.log.publishKey(this.vkey);
    await this.relay.start();
    this.logger.log('outbox relay started');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    this.logger.log('outbox relay stopped');
  }

  /** Publication lag: events recorded but not yet on Kafka, and how old the oldest is. */
  async lag() {
    const stats = await this.store.unpublishedStats(600).catch(() => null);
    return {
      // null: not counted within 600 ms (a large backlog on FerretDB); health must answer within 1 s.
      unpublished: stats?.count ?? null,
      oldestUnpublishedAgeMs: stats?.oldestRecordedAt
        ? Date.now() - Date.parse(stats.oldestRecordedAt)
        : null,
      ...this.relay.metrics(),
    };
  }
}

@Global()
@Module({ providers: [OutboxRelayService], exports: [OutboxRelayService] })
export class OutboxRelayModule {}
