import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { MongoConnection } from './database.module';

/** Answers within its budget whatever the main connection pool is doing (it has a connection of its own). */
@Injectable()
export class MongoHealthIndicator {
  constructor(
    private readonly connection: MongoConnection,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'mongodb', budgetMs = 800) {
    const indicator = this.health.check(key);
    try {
      const started = Date.now();
      await this.connection.healthClient().db('admin').command({ ping: 1 }, { timeoutMS: budgetMs });
      return indicator.up({ pingMs: Date.now() - started });
    } catch (error) {
      this.connection.resetHealthClient();
      return indicator.down({ message: (error as Error).message });
    }
  }
}
