import { AnyBulkWriteOperation, Collection, MongoBulkWriteError } from 'mongodb';
import { evolve, initialPledgeState, PledgeState, pledgeEventOf, pledgeIdOfStream } from '@ledger/domain';
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

/** Lookups of one batch in flight at once: they overlap on the server instead of queueing one by one. */
const READ_CONCURRENCY = 8;

interface Plan {
  events: readonly RecordedEvent[];
  pledgeId: string;
  /** The stored version the plan was folded from (0: no document). */
  stored: number;
  state: PledgeState;
  last?: RecordedEvent;
  tally: ApplyTally;
}

async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

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
    // A submission is almost always new: skip the lookup (a redelivered one fails to insert and is read).
    let assumeAbsent = Math.min(...events.map((e) => e.version)) === 1;
    for (let attempt = 0; attempt < 5; attempt++) {
      const plan = await this.plan(events, assumeAbsent);
      assumeAbsent = false;
      if (!plan.last || (await this.write(plan))) return plan.tally;
      // Another writer (a rebuild beside the live projector) moved the document, or it existed: read it again.
    }
    throw new Error(`${events[0].streamId}: the summary kept changing under five attempts`);
  }

  /**
   * Applies the events of many pledges (one group per pledge, as `applyAll`) with the lookups overlapping and
   * one bulk write: per pledge the same outcome as `applyAll`, in far fewer round trips. A group whose events
   * cannot be applied gets its error in its place, and the others are still written.
   */
  async applyBatch(groups: readonly (readonly RecordedEvent[])[]): Promise<(ApplyTally | Error)[]> {
    const plans = await mapWithConcurrency(groups, READ_CONCURRENCY, (events) =>
      this.plan(events, Math.min(...events.map((e) => e.version)) === 1).catch((error: unknown) =>
        error instanceof Error ? error : new Error(String(error)),
      ),
    );
    const writing = plans.filter((p): p is Plan => !(p instanceof Error) && p.last !== undefined);
    const failed = new Set<Plan>();
    if (writing.length > 0) {
      const updates = writing.filter((p) => p.stored > 0).length;
      let matched: number;
      try {
        matched = (
          await this.collection.bulkWrite(
            writing.map((plan) => this.operation(plan)),
            { ordered: false },
          )
        ).matchedCount;
      } catch (error) {
        if (!(error instanceof MongoBulkWriteError)) throw error;
        // Inserts of a submission whose summary exists (a redelivery) fail alone; anything else is real.
        const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
        for (const writeError of errors) {
          if (writeError.code !== 11000) throw error;
          failed.add(writing[writeError.index]);
        }
        matched = error.result.matchedCount;
      }
      // An update whose version guard no longer matched (MongoDB): find which, by their versions.
      if (matched < updates) await this.collectUnwritten(writing, failed);
    }
    // What raced another writer is applied again on its own, from a fresh read (idempotent).
    return Promise.all(
      plans.map(async (plan, i) =>
        plan instanceof Error
          ? plan
          : !failed.has(plan)
            ? plan.tally
            : this.applyAll(groups[i]).catch((error: unknown) =>
                error instanceof Error ? error : new Error(String(error)),
              ),
      ),
    );
  }

  /** Updates (guarded ones on MongoDB) that did not land: their document is not at the planned version. */
  private async collectUnwritten(writing: readonly Plan[], failed: Set<Plan>): Promise<void> {
    for (const plan of writing) {
      if (failed.has(plan) || plan.stored === 0) continue;
      const doc = await this.collection.findOne({ _id: plan.pledgeId }, { projection: { version: 1 } });
      if (doc?.version !== plan.state.version) failed.add(plan);
    }
  }

  /** Reads the summary (unless assumed absent) and folds the events not yet applied onto it. */
  private async plan(events: readonly RecordedEvent[], assumeAbsent: boolean): Promise<Plan> {
    const streamId = events[0]?.streamId;
    const pledgeId = streamId === undefined ? undefined : pledgeIdOfStream(streamId);
    if (!pledgeId || events.some((e) => e.streamId !== streamId)) {
      throw new UnprojectableEventError(`${streamId} is not a pledge stream`);
    }
    const ordered = [...events].sort((a, b) => a.version - b.version);
    const doc = assumeAbsent ? null : await this.collection.findOne({ _id: pledgeId });
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
    return { events: ordered, pledgeId, stored: doc?.version ?? 0, state, last, tally };
  }

  private operation(plan: Plan): AnyBulkWriteOperation<PledgeSummaryDocument> {
    const { _id, ...next } = toSummaryDocument(plan.state, plan.last!);
    if (plan.stored === 0) return { insertOne: { document: { _id, ...next } } };
    return {
      updateOne: {
        filter: this.guardVersion ? { _id, version: plan.stored } : { _id },
        update: { $set: next },
      },
    };
  }

  /** Writes one plan; false when another writer got there first (retry from a fresh read). */
  private async write(plan: Plan): Promise<boolean> {
    const { _id, ...next } = toSummaryDocument(plan.state, plan.last!);
    if (plan.stored > 0) {
      const result = await this.collection.updateOne(
        this.guardVersion ? { _id, version: plan.stored } : { _id },
        { $set: next },
      );
      return result.matchedCount === 1;
    }
    try {
      await this.collection.insertOne({ _id, ...next });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return false;
    }
  }
}
