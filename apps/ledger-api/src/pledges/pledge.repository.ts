import { Injectable } from '@nestjs/common';
import {
  evolve,
  initialPledgeState,
  PledgeEvent,
  pledgeEventOf,
  PledgeState,
  pledgeStreamId,
} from '@ledger/domain';
import { AppendMetadata, MongoEventStore, RecordedEvent } from '@ledger/event-store';

/** A pledge's stream in the event store: its state is always the fold of its events. */
@Injectable()
export class PledgeRepository {
  constructor(private readonly store: MongoEventStore) {}

  async load(pledgeId: string, toVersion?: number): Promise<{ state: PledgeState; events: RecordedEvent[] }> {
    const events = await this.store.readStream(pledgeStreamId(pledgeId), { toVersion });
    return { state: events.map(pledgeEventOf).reduce(evolve, initialPledgeState), events };
  }

  append(
    pledgeId: string,
    expectedVersion: number,
    events: PledgeEvent[],
    metadata: AppendMetadata,
  ): Promise<RecordedEvent[]> {
    return this.store.append(
      pledgeStreamId(pledgeId),
      expectedVersion,
      events.map((event) => ({ type: event.type, payload: event.data })),
      metadata,
    );
  }

  findByIdempotencyKey(principalId: string, key: string): Promise<RecordedEvent | null> {
    return this.store.findByIdempotencyKey(principalId, key);
  }
}
