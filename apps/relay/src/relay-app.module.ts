import { Controller, Get, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { LedgerConfigModule, LedgerLoggingModule, RequestDeadline } from '@ledger/config';
import { DatabaseModule, MongoHealthIndicator } from '@ledger/database';
import { KafkaHealthIndicator, KafkaModule, OutboxRelayModule, OutboxRelayService } from '@ledger/messaging';

@Controller()
class RelayHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kafka: KafkaHealthIndicator,
    private readonly mongo: MongoHealthIndicator,
    private readonly relay: OutboxRelayService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** Up when both servers answer; the relay entry carries the publication lag. */
  @Get('health')
  @HealthCheck()
  @RequestDeadline(1000)
  check() {
    return this.health.check([
      () => this.kafka.isHealthy(),
      () => this.mongo.isHealthy(),
      async () => {
        const lag = await this.relay.lag();
        const indicator = this.indicators.check('relay');
        return lag.running ? indicator.up(lag) : indicator.down(lag);
      },
    ]);
  }
}

@Module({
  imports: [
    LedgerConfigModule,
    LedgerLoggingModule,
    TerminusModule,
    DatabaseModule,
    KafkaModule,
    OutboxRelayModule,
  ],
  controllers: [RelayHealthController],
  providers: [KafkaHealthIndicator, MongoHealthIndicator],
})
export class RelayAppModule {}
