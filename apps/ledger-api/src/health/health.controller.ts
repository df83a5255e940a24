import { Controller, Get } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../problem';
import { ProblemSchema } from '../problem/problem.schema';
import { RETRY_AFTER } from '../openapi/api-answers';
import { HealthSchema } from './health.responses';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { RequestDeadline } from '@ledger/config';
import { MongoHealthIndicator } from '@ledger/database';
import { MongoEventStore } from '@ledger/event-store';
import { KafkaHealthIndicator } from '@ledger/messaging';

@ApiTags('health')
@ApiExtraModels(HealthSchema, ProblemSchema)
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
  @RequestDeadline(1000)
  @ApiOkResponse({ type: HealthSchema })
  @ApiServiceUnavailableResponse({
    description:
      'Kafka or MongoDB is down: the same body, with Retry-After (problem+json when health itself ran out of time)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(HealthSchema) } },
      [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemSchema) } },
    },
    headers: { 'Retry-After': { ...RETRY_AFTER['Retry-After'], required: true } },
  })
  @ApiOperation({
    operationId: 'health',
    summary: 'Kafka and MongoDB reachability, and the outbox publication lag',
  })
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
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
