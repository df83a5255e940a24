import { Controller, Get, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { LedgerConfigModule, LedgerLoggingModule } from '@ledger/config';
import { DatabaseModule, MongoHealthIndicator } from '@ledger/database';
import { EventStoreModule } from '@ledger/event-store';
import { KafkaHealthIndicator, KafkaModule } from '@ledger/messaging';
import { ProjectorService } from './projector.service';

@Controller()
class ProjectorController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kafka: KafkaHealthIndicator,
    private readonly mongo: MongoHealthIndicator,
    private readonly projector: ProjectorService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** Up when both servers answer; the projection entry carries the lag and the dead-letter count. */
  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.kafka.isHealthy(),
      () => this.mongo.isHealthy(),
      async () => this.indicators.check('projection').up(await this.projector.status()),
    ]);
  }

  @Get('status')
  status() {
    return this.projector.status();
  }
}

@Module({
  imports: [
    LedgerConfigModule,
    LedgerLoggingModule,
    TerminusModule,
    DatabaseModule,
    EventStoreModule,
    KafkaModule,
  ],
  controllers: [ProjectorController],
  providers: [ProjectorService, KafkaHealthIndicator, MongoHealthIndicator],
})
export class ProjectorAppModule {}
