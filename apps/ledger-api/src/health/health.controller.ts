import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { RequestDeadline } from '@ledger/config';
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
  @RequestDeadline(1000)
  @ApiOperation({ summary: 'Kafka and MongoDB reachability, and the outbox publication lag' })
  check() {
    return this.health.check([
      () => this.kafka.isHealthy(),
      () => this.mongo.isHealthy(),
      async () => {
        const indicator = this.indicators.check('outbox');
        // Counting a large backlog can take longer than health may: then say so rather than wait.
        const stats = await this.store.unpublishedStats(600).catch(() => null);
        if (!stats) return indicator.up({ unpublished: null, note: 'not counted within 600 ms' });
        return indicator.up({
          unpublished: stats.count,
          oldestUnpublishedAgeMs: stats.oldestRecordedAt
            ? Date.now() - Date.parse(stats.oldestRecordedAt)
            : 0,
        });
      },
    ]);
  }
}
