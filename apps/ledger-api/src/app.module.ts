import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LedgerConfigModule, LedgerLoggingModule } from '@ledger/config';
import { DatabaseModule, MongoHealthIndicator } from '@ledger/database';
import { EventStoreModule } from '@ledger/event-store';
import { KafkaHealthIndicator, KafkaModule, OutboxRelayModule } from '@ledger/messaging';
import { ActorsModule } from './actors/actors.module';
import { AuditModule } from './audit/audit.module';
import { ApiKeyGuard } from './auth/api-key.guard';
import { HealthController } from './health/health.controller';
import { ImportsModule } from './imports/imports.module';
import { LiveModule } from './live/live.module';
import { LogModule } from './log/log.module';
import { PledgesModule } from './pledges/pledges.module';
import { ProblemDetailsFilter } from './problem';
import { ReferenceController } from './reference/reference.controller';
import { ReportsModule } from './reports/reports.module';

/** RELAY_IN_PROCESS=true runs the outbox relay inside the API (one process instead of two). */
const inProcessRelay = process.env.RELAY_IN_PROCESS === 'true' ? [OutboxRelayModule] : [];

@Module({
  imports: [
    LedgerConfigModule,
    LedgerLoggingModule,
    TerminusModule,
    DatabaseModule,
    EventStoreModule,
    KafkaModule,
    ActorsModule,
    PledgesModule,
    ReportsModule,
    AuditModule,
    LogModule,
    LiveModule,
    ImportsModule,
    ...inProcessRelay,
  ],
  controllers: [HealthController, ReferenceController],
  providers: [
    KafkaHealthIndicator,
    MongoHealthIndicator,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
  ],
})
export class AppModule {}
