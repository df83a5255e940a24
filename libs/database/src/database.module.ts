import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { LedgerConfig } from '@ledger/config';
import { Db, MongoClient } from 'mongodb';

export const LEDGER_DB = Symbol('LEDGER_DB');
/** Injects the ledger's MongoDB database. */
export const InjectLedgerDb = () => Inject(LEDGER_DB);

export function createMongoClient(uri: string): MongoClient {
  // Short server selection so /health and boot report an unreachable server quickly.
  // ignoreUndefined: an absent field stays absent (not null), so stored state reads back as it was folded.
  return new MongoClient(uri, {
    serverSelectionTimeoutMS: 5000,
    maxPoolSize: 50,
    appName: 'pledge-ledger',
    ignoreUndefined: true,
  });
}

@Injectable()
export class MongoConnection implements OnApplicationShutdown {
  readonly client: MongoClient;
  constructor(config: LedgerConfig) {
    this.client = createMongoClient(config.MONGODB_URI);
  }
  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
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
  ],
  exports: [MongoConnection, LEDGER_DB],
})
export class DatabaseModule {}
