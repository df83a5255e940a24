import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { MongoHealthIndicator } from '@ledger/database';
import { MongoEventStore } from '@ledger/event-store';
import { KafkaHealthIndicator } from '@ledger/messaging';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kafka: KafkaHealthIndicator,
    private readonly mongo: MongoHealthIndicator,
    private readonly store: MongoEventStore,
    private readonly indicators: HealthIndicatorService,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Kafka and MongoDB reachability, and the outbox publication lag' })
  check() {
    return this.health.check([
      () => this.kafka.isHealthy(),
      () => this.mongo.isHealthy(),
      async () => {
        const { count, oldestRecordedAt } = await this.store.unpublishedStats();
        return this.indicators.check('outbox').up({
          unpublished: count,
          oldestUnpublishedAgeMs: oldestRecordedAt ? Date.now() - Date.parse(oldestRecordedAt) : 0,
        });
      },
    ]);
  }
}
