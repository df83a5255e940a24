import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { LedgerConfig } from '@ledger/config';
import { createKafka } from './kafka-client';
import { ensureTopic } from './topics';

/** One kafkajs client per process, plus an admin connection shared by topic set-up and health checks. */
@Injectable()
export class KafkaConnection implements OnApplicationShutdown {
  readonly kafka: Kafka;
  private admin?: Promise<Admin>;

  constructor(private readonly config: LedgerConfig) {
    this.kafka = createKafka({
      brokers: config.KAFKA_BROKERS,
      clientId: config.KAFKA_CLIENT_ID,
      logLevel: config.LOG_LEVEL,
    });
  }

  sharedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.admin = undefined;
      throw error;
    });
    return this.admin;
  }

  /** The pledge-event topic (kept forever) and its dead-letter topic. */
  async ensureLedgerTopics(): Promise<void> {
    const admin = await this.sharedAdmin();
    const { PLEDGE_EVENTS_TOPIC, DEAD_LETTER_TOPIC, PLEDGE_EVENTS_PARTITIONS, KAFKA_REPLICATION_FACTOR } =
      this.config;
    await ensureTopic(admin, {
      topic: PLEDGE_EVENTS_TOPIC,
      numPartitions: PLEDGE_EVENTS_PARTITIONS,
      replicationFactor: KAFKA_REPLICATION_FACTOR,
      retainForever: true,
    });
    await ensureTopic(admin, {
      topic: DEAD_LETTER_TOPIC,
      numPartitions: 1,
      replicationFactor: KAFKA_REPLICATION_FACTOR,
      retainForever: true,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const admin = await this.admin?.catch(() => undefined);
    await admin?.disconnect();
  }
}

@Global()
@Module({ providers: [KafkaConnection], exports: [KafkaConnection] })
export class KafkaModule {}
