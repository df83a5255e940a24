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

/**
 * Names the fold the snapshot holds. Bump it whenever evolve() changes, so old snapshots are ignored and the
 * state is folded again from the events.
 */
const SNAPSHOT_KIND = 'pledge-state@1';

/**
 * A pledge's stream in the event store: its state is always the fold of its events. The fold this process
 * last wrote is kept with the cached stream head, and used only while no newer event is known.
 */
@Injectable()
export class PledgeRepository {
  constructor(private readonly store: MongoEventStore) {}

  /**
   * The pledge's state. `fresh` (reads answering a client) checks the store for versions written by other
   * processes; writers may start from this process's cached head, since a stale one only costs a retry.
   */
  async load(
    pledgeId: string,
    toVersion?: number,
    options: { fresh?: boolean } = {},
  ): Promise<{ state: PledgeState }> {
    const streamId = pledgeStreamId(pledgeId);
    let last = toVersion;
    if (last === undefined) {
      const head = await this.store.head(streamId, options);
      const snapshot =
        head.snapshot?.kind === SNAPSHOT_KIND ? (head.snapshot.state as PledgeState) : undefined;
      if (snapshot?.version === head.version) return { state: snapshot };
      last = head.version;
    }
    const events = await this.store.readStream(streamId, { toVersion: last });
    return { state: events.map(pledgeEventOf).reduce(evolve, initialPledgeState) };
  }

  /**
   * Appends the decided event (with its provenance, if imported); `after` is the state it leads to, kept as
   * the head's snapshot, or undefined to keep none (a bulk import writes thousands of pledges nobody is
   * about to write again: their folds would only fill the head cache).
   */
  append(
    pledgeId: string,
    expectedVersion: number,
    event: PledgeEvent,
    metadata: AppendMetadata,
    after: PledgeState | undefined,
    /** An import's effective time; default: the moment of recording. */
    occurredAt?: string,
  ): Promise<RecordedEvent> {
    return this.store.append(
      pledgeStreamId(pledgeId),
      expectedVersion,
      {
        type: event.type,
        payload: event.data,
        ...(occurredAt !== undefined ? { occurredAt } : {}),
        ...(event.provenance !== undefined ? { provenance: event.provenance } : {}),
      },
      metadata,
      after ? { kind: SNAPSHOT_KIND, state: after } : undefined,
    );
  }

  findByIdempotencyKey(pledgeId: string, principalId: string, key: string): Promise<RecordedEvent | null> {
    return this.store.findByIdempotencyKey(pledgeStreamId(pledgeId), principalId, key);
  }
}
