import { Collection } from 'mongodb';
import { evolve, initialPledgeState, pledgeEventOf, pledgeIdOfStream } from '@ledger/domain';
import { isDuplicateKeyError } from '@ledger/database';
import { MongoEventStore, RecordedEvent } from '@ledger/event-store';
import { PledgeSummaryDocument, toSummaryDocument } from './pledge-summary.document';

export type ApplyOutcome = 'applied' | 'duplicate' | 'gap-filled';

/** An event that can never be projected (not a pledge stream, or its history is missing from the store). */
export class UnprojectableEventError extends Error {}

/**
 * Applies pledge events to the summary read model, idempotently by (pledgeId, version): a version already
 * applied is a duplicate and changes nothing; a version beyond the next one means events were skipped, and
 * the missing ones are read from the event store (the source of truth) rather than silently ignored.
 */
export class PledgeSummaryProjection {
  constructor(
    readonly collection: Collection<PledgeSummaryDocument>,
    private readonly store: MongoEventStore,
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
    const pledgeId = pledgeIdOfStream(event.streamId);
    if (!pledgeId) throw new UnprojectableEventError(`${event.streamId} is not a pledge stream`);
    if (event.version === 1) {
      // A submission is almost always new: insert straight away (on FerretDB a lookup that misses scans).
      try {
        await this.collection.insertOne(
          toSummaryDocument(evolve(initialPledgeState, pledgeEventOf(event)), event),
        );
        return 'applied';
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const doc = await this.collection.findOne({ _id: pledgeId });
      const current = doc?.version ?? 0;
      if (event.version <= current) return 'duplicate';
      let state = doc?.state ?? initialPledgeState;
      let outcome: ApplyOutcome = 'applied';
      if (event.version === current + 1) {
        state = evolve(state, pledgeEventOf(event));
      } else {
        const missing = (await this.store.readStream(event.streamId, { toVersion: event.version })).filter(
          (e) => e.version > current,
        );
        if (missing.length !== event.version - current) {
          throw new UnprojectableEventError(
            `${event.streamId}: versions ${current + 1}..${event.version} are not all in the event store`,
          );
        }
        state = missing.map(pledgeEventOf).reduce(evolve, state);
        outcome = 'gap-filled';
      }
      const { _id, ...next } = toSummaryDocument(state, event);
      if (doc) {
        const result = await this.collection.updateOne({ _id, version: current }, { $set: next });
        if (result.matchedCount === 1) return outcome;
      } else {
        try {
          await this.collection.insertOne({ _id, ...next });
          return outcome;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      }
      // Another writer (a rebuild running beside the live projector) moved the document: read it again.
    }
    throw new Error(`${event.streamId} v${event.version}: the summary kept changing under five attempts`);
  }
}
