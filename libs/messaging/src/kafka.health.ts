import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { KafkaConnection } from './kafka.module';

@Injectable()
export class KafkaHealthIndicator {
  constructor(
    private readonly connection: KafkaConnection,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'kafka', budgetMs = 800) {
    const indicator = this.health.check(key);
    try {
      const cluster = await Promise.race([
        this.connection.sharedAdmin().then((admin) => admin.describeCluster()),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`no answer within ${budgetMs} ms`)), budgetMs).unref(),
        ),
      ]);
      return indicator.up({ brokers: cluster.brokers.length, controller: cluster.controller });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
