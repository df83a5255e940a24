import { Global, Module, OnModuleInit, Inject } from '@nestjs/common';
import { Db } from 'mongodb';
import { LEDGER_DB } from '@ledger/database';
import { MongoEventStore } from './mongo-event-store';
import { UpcasterRegistry } from './upcasting';

/** Registered upcasters for stored event schemas; none yet: every event type is at schema version 1. */
export const PLEDGE_UPCASTERS = new UpcasterRegistry();

@Global()
@Module({
  providers: [
    {
      provide: MongoEventStore,
      inject: [LEDGER_DB],
      useFactory: (db: Db) => new MongoEventStore(db, PLEDGE_UPCASTERS),
    },
  ],
  exports: [MongoEventStore],
})
export class EventStoreModule implements OnModuleInit {
  constructor(@Inject(MongoEventStore) private readonly store: MongoEventStore) {}

  async onModuleInit(): Promise<void> {
    await this.store.ensureIndexes();
  }
}
