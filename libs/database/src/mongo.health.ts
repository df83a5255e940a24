import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Db } from 'mongodb';
import { InjectLedgerDb } from './database.module';

@Injectable()
export class MongoHealthIndicator {
  constructor(
    @InjectLedgerDb() private readonly db: Db,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'mongodb') {
    const indicator = this.health.check(key);
    try {
      const started = Date.now();
      await this.db.command({ ping: 1 }, { timeoutMS: 3000 });
      return indicator.up({ pingMs: Date.now() - started });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
