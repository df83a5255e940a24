import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { LedgerConfig } from '@ledger/config';
import { Db, MongoClient } from 'mongodb';

export const LEDGER_DB = Symbol('LEDGER_DB');
export const READ_MODEL_DB = Symbol('READ_MODEL_DB');
/** Injects the ledger's MongoDB database: the event store and the write side's records. */
export const InjectLedgerDb = () => Inject(LEDGER_DB);
/** Injects the database of the read models (summaries, report snapshots, checkpoints, dead letters). */
export const InjectReadModelDb = () => Inject(READ_MODEL_DB);

export function createMongoClient(uri: string): MongoClient {
  // Short server selection so a request, /health and boot report an unreachable server quickly (503).
  // ignoreUndefined: an absent field stays absent (not null), so stored state reads back as it was folded.
  return new MongoClient(uri, {
    serverSelectionTimeoutMS: 2000,
    maxPoolSize: 50,
    appName: 'pledge-ledger',
    ignoreUndefined: true,
  });
}

@Injectable()
export class MongoConnection implements OnApplicationShutdown {
  readonly client: MongoClient;
  private health?: MongoClient;
  constructor(private readonly config: LedgerConfig) {
    this.client = createMongoClient(config.MONGODB_URI);
  }

  /**
   * A connection of its own for health checks: however busy the main pool is (every connection held by
   * slow requests), /health still reaches the server and answers within its deadline.
   */
  healthClient(): MongoClient {
    this.health ??= new MongoClient(this.config.MONGODB_URI, {
      serverSelectionTimeoutMS: 800,
      maxPoolSize: 2,
      appName: 'pledge-ledger-health',
    });
    return this.health;
  }

  /**
   * After a failed check the health client is made anew: a client whose first connection failed stays
   * closed ("Topology is closed") even once the server is back.
   */
  resetHealthClient(): void {
    const old = this.health;
    this.health = undefined;
    void old?.close().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.client.close(), this.health?.close()]);
  }
}

@Global()
@Module({
  providers: [
    MongoConnection,
    {
      provide: LEDGER_DB,
      inject: [MongoConnection, LedgerConfig],
      useFactory: async (connection: MongoConnection, config: LedgerConfig): Promise<Db> => {
        await connection.client.connect();
        return connection.client.db(config.MONGODB_DB);
      },
    },
    {
      provide: READ_MODEL_DB,
      // After LEDGER_DB, whose factory connects the client.
      inject: [MongoConnection, LedgerConfig, LEDGER_DB],
      useFactory: (connection: MongoConnection, config: LedgerConfig): Db =>
        connection.client.db(config.readModelDb),
    },
  ],
  exports: [MongoConnection, LEDGER_DB, READ_MODEL_DB],
})
export class DatabaseModule {}
