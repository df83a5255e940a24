import { Controller, Get, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { LedgerConfigModule, LedgerLoggingModule, RequestDeadline } from '@ledger/config';
import { DatabaseModule, MongoHealthIndicator } from '@ledger/database';
import { EventStoreModule } from '@ledger/event-store';
import { KafkaHealthIndicator, KafkaModule } from '@ledger/messaging';
import { ProjectorService } from './projector.service';
import { ReportCompilerService } from './report-compiler.service';

@Controller()
class ProjectorController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kafka: KafkaHealthIndicator,
    private readonly mongo: MongoHealthIndicator,
    private readonly projector: ProjectorService,
    private readonly reports: ReportCompilerService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** Up when both servers answer; the projection entry carries the lag and the dead-letter count. */
  @Get('health')
  @HealthCheck()
  @RequestDeadline(1000)
  check() {
    return this.health.check([
      () => this.kafka.isHealthy(),
      () => this.mongo.isHealthy(),
      async () => this.indicators.check('projection').up(await this.projector.status()),
    ]);
  }

  /** Lag per partition, dead letters, this process's counts, and the report snapshots' state. */
  @Get('status')
  async status() {
    return { ...(await this.projector.status()), reportSnapshots: this.reports.status() };
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
  providers: [ProjectorService, ReportCompilerService, KafkaHealthIndicator, MongoHealthIndicator],
})
export class ProjectorAppModule {}
