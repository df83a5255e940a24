import { Module } from '@nestjs/common';
import { LedgerConfigModule } from '@ledger/config';
import { DatabaseModule } from '@ledger/database';
import { EventStoreModule } from '@ledger/event-store';
import { KafkaModule } from '@ledger/messaging';

/** What the operator commands need: configuration, the event store and the broker; no HTTP server. */
@Module({ imports: [LedgerConfigModule, DatabaseModule, EventStoreModule, KafkaModule] })
export class CliModule {}
