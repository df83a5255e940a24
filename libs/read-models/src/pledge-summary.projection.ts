import { Collection } from 'mongodb';
import { evolve, initialPledgeState, pledgeEventOf, pledgeIdOfStream } from '@ledger/domain';
import { isDuplicateKeyError } from '@ledger/database';
import { MongoEventStore, RecordedEvent } from '@ledger/event-store';
import { PledgeSummaryDocument, toSummaryDocument } from './pledge-summary.document';

export type ApplyOutcome = 'applied' | 'duplicate' | 'gap-filled';

export interface ApplyTally {
  applied: number;
  duplicates: number;
  gapsFilled: number;
}

/** An event that can never be projected (not a pledge stream, or its history is missing from the store). */
export class UnprojectableEventError extends Error {}

/**
 * Applies pledge events to the summary read model, idempotently by (pledgeId, version): a version already
 * applied is a duplicate and changes nothing; a version beyond the next one means events were skipped, and
 * the missing ones are read from the event store (the source of truth) rather than silently ignored.
 */
export class PledgeSummaryProjection {
  /**
   * @param guardVersion update only if the stored version is still the one read (MongoDB). On FerretDB v1 pass
   *   false: there a filter beyond `_id` decodes the whole collection on every update (1.4 s at 4,000 pledges
   *   against 3 ms by `_id`), and its updates are not atomic with the filter anyway. One projector owns a
   *   partition, so only a rebuild overlapping the live projector writes the same pledge twice.
   */
  constructor(
    readonly collection: Collection<PledgeSummaryDocument>,
    private readonly store: MongoEventStore,
    private readonly guardVersion = true,
  ) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ submittedAt: -1, _id: -1 }, { name: 'submitted' });
    await this.collection.createIndex({ actorId: 1 }, { name: 'actor' });
    await this.collection.createIndex({ actorType: 1 }, { name: 'actor_type' });
    await this.collection.createIndex({ countries: 1 }, { name: 'countries' });
    await this.collection.createIndex({ regions: 1 }, { name: 'regions' });
    await this.collection.createIndex({ actions: 1 }, { name: 'actions' });
    await this.collection.createIndex({ frameworks: 1 }, { name: 'frameworks' });
    await this.collection.createIndex({ status: 1, progressClock: 1 }, { name: 'status_clock' });
  }

  async apply(event: RecordedEvent): Promise<ApplyOutcome> {
    const tally = await this.applyAll([event]);
    return tally.gapsFilled ? 'gap-filled' : tally.applied ? 'applied' : 'duplicate';
  }

  /**
   * Applies events of one pledge, in version order, with one read and one write of its summary: a batch from
   * the topic (a rebuild above all) often holds several events of the same pledge.
   */
  async applyAll(events: readonly RecordedEvent[]): Promise<ApplyTally> {
    const streamId = events[0].streamId;
    const pledgeId = pledgeIdOfStream(streamId);
    if (!pledgeId || events.some((e) => e.streamId !== streamId)) {
      throw new UnprojectableEventError(`${streamId} is not a pledge stream`);
    }
    const ordered = [...events].sort((a, b) => a.version - b.version);
    // A submission is almost always new: skip the lookup (on FerretDB a lookup that misses scans).
    let assumeAbsent = ordered[0].version === 1;
    for (let attempt = 0; attempt < 5; attempt++) {
      const doc = assumeAbsent ? null : await this.collection.findOne({ _id: pledgeId });
      assumeAbsent = false;
      const stored = doc?.version ?? 0;
      const tally: ApplyTally = { applied: 0, duplicates: 0, gapsFilled: 0 };
      let state = doc?.state ?? initialPledgeState;
      let last: RecordedEvent | undefined;
      for (const event of ordered) {
        if (event.version <= state.version) {
          tally.duplicates += 1;
          continue;
        }
        if (event.version === state.version + 1) {
          state = evolve(state, pledgeEventOf(event));
          tally.applied += 1;
        } else {
          const missing = (await this.store.readStream(streamId, { toVersion: event.version })).filter(
            (e) => e.version > state.version,
          );
          if (missing.length !== event.version - state.version) {
            throw new UnprojectableEventError(
              `${streamId}: versions ${state.version + 1}..${event.version} are not all in the event store`,
            );
          }
          state = missing.map(pledgeEventOf).reduce(evolve, state);
          tally.gapsFilled += 1;
        }
        last = event;
      }
      if (!last) return tally;
      const { _id, ...next } = toSummaryDocument(state, last);
      if (doc) {
        const result = await this.collection.updateOne(
          this.guardVersion ? { _id, version: stored } : { _id },
          { $set: next },
        );
        if (result.matchedCount === 1) return tally;
      } else {
        try {
          await this.collection.insertOne({ _id, ...next });
          return tally;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      }
      // Another writer (a rebuild beside the live projector) moved the document, or it existed: read it again.
    }
    throw new Error(`${streamId}: the summary kept changing under five attempts`);
  }
}
