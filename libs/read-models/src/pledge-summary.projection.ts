import { AnyBulkWriteOperation, Collection, MongoBulkWriteError } from 'mongodb';
import {
  evolve,
  initialPledgeState,
  PledgeState,
  pledgeEventOf,
  pledgeIdOfStream,
  SummarisableState,
} from '@ledger/domain';
import { isDuplicateKeyError } from '@ledger/database';
import { MongoEventStore, RecordedEvent } from '@ledger/event-store';
import { indexChange, IndexChange, PledgeIndexWriter } from './pledge-index';
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
 * How a plan gets the stored summary: 'absent' skips the lookup (a submission is almost always new; a
 * redelivered one fails to insert and is read), 'cached' takes what this projection wrote last if it still
 * remembers it, 'fresh' reads the database.
 */
type ReadMode = 'absent' | 'cached' | 'fresh';

function firstReadOf(events: readonly RecordedEvent[]): ReadMode {
  return Math.min(...events.map((e) => e.version)) === 1 ? 'absent' : 'cached';
}

/** Lookups of one batch in flight at once: they overlap on the server instead of queueing one by one. */
const READ_CONCURRENCY = 8;

/**
 * Update statements per command (for FerretDB, on every server), one command at a time per batch: it holds a SQLite connection per
 * statement until the command ends (100 per database), so a few partitions' commands stay well below that,
 * and 16 statements cost about 2/3 of 16 single updates (measured: 2.1-2.4 against 3.0-3.5 ms per update).
 */
const UPDATES_PER_COMMAND = 16;

interface Plan {
  events: readonly RecordedEvent[];
  pledgeId: string;
  /** The stored version the plan was folded from (0: no document). */
  stored: number;
  /** The stored state it was folded from (absent: no document). */
  storedState?: SummarisableState;
  state: SummarisableState;
  last?: RecordedEvent;
  tally: ApplyTally;
  /** The summary document the plan writes, built once (see document()). */
  written?: PledgeSummaryDocument;
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
  /** The summaries this projection wrote last (most recent last): one partition's pledges, one writer. */
  private readonly cache = new Map<string, { version: number; state: SummarisableState }>();
  /** Documents written: summaries, and pledge-index buckets and directories (write amplification). */
  readonly writes = { summaries: 0, index: 0 };

  /**
   * One way of writing on every server. Updates go by `_id` alone: on FerretDB v1 a filter beyond `_id` decodes
   * the whole collection on every update (1.4 s at 4,000 pledges against 3 ms by `_id`) and is not atomic with
   * the update anyway; what keeps two writers off one summary is that each partition (so each pledge) has one
   * writer at a time, the projector owning it (see ProjectionConsumer.mayApply for rebuilds). Updates go in
   * commands of UPDATES_PER_COMMAND statements: FerretDB keeps each statement's cursor open until the command
   * ends and its SQLite pool has 100 connections, so an update command of 100 statements (or a few concurrent
   * ones adding up to that) never returns; new summaries go in one insertMany.
   * @param options.cacheSize summaries remembered after writing them, so the next event of a pledge needs no
   *   lookup. A remembered summary can only be behind the stored one if another projector wrote it meanwhile (a
   *   rebalance): the next event's version is then beyond the remembered one + 1, and the missing events are
   *   read from the store.
   * @param options.index the pledge index of the same generation (see pledge-index.ts); none: summaries only.
   */
  constructor(
    readonly collection: Collection<PledgeSummaryDocument>,
    private readonly store: MongoEventStore,
    options: { cacheSize?: number; index?: PledgeIndexWriter } = {},
  ) {
    this.cacheSize = options.cacheSize ?? 20_000;
    this.index = options.index;
  }

  private readonly cacheSize: number;
  private readonly index?: PledgeIndexWriter;

  /**
   * `partition`: the topic partition the events came from. The index lists of a partition have one writer,
   * the projector owning it; events applied outside a consumer (tests) use partition 0.
   */
  async apply(event: RecordedEvent, partition = 0): Promise<ApplyOutcome> {
    const tally = await this.applyAll([event], firstReadOf([event]), partition);
    return tally.gapsFilled ? 'gap-filled' : tally.applied ? 'applied' : 'duplicate';
  }

  /**
   * The index moves before the summaries are written: a batch applied again after a crash between the two
   * finds the old summaries and moves the index the same way again (idempotent), where the other order would
   * find the new summaries and never move it. A list may meanwhile name a pledge whose summary is not there
   * yet or no longer matches: readers check every entry against the summary, so an entry can only be extra,
   * never missing (a change only removes keys the new state does not have).
   */
  private async moveIndex(plans: readonly Plan[], partition: number): Promise<void> {
    if (!this.index) return;
    const changes = plans
      .map((plan) =>
        indexChange(
          plan.storedState ? toSummaryDocument(plan.storedState, plan.last!) : null,
          this.document(plan),
        ),
      )
      .filter((change): change is IndexChange => change !== null);
    if (changes.length > 0) this.writes.index += await this.index.apply(partition, changes);
  }

  /**
   * Applies events of one pledge, in version order, with one read and one write of its summary: a batch from
   * the topic (a rebuild above all) often holds several events of the same pledge.
   */
  async applyAll(
    events: readonly RecordedEvent[],
    firstRead: ReadMode = firstReadOf(events),
    partition = 0,
  ): Promise<ApplyTally> {
    let read = firstRead;
    for (let attempt = 0; attempt < 5; attempt++) {
      const plan = await this.plan(events, read);
      if (!plan.last) return plan.tally;
      await this.moveIndex([plan], partition);
      this.writes.summaries += 1;
      if (await this.write(plan)) {
        this.remember(plan);
        return plan.tally;
      }
      // Another writer (a rebuild beside the live projector) moved the document, or it existed: read it again.
      this.cache.delete(plan.pledgeId);
      read = 'fresh';
    }
    throw new Error(`${events[0].streamId}: the summary kept changing under five attempts`);
  }

  /**
   * Applies the events of many pledges (one group per pledge, as `applyAll`) with the lookups overlapping and
   * one bulk write: per pledge the same outcome as `applyAll`, in far fewer round trips. A group whose events
   * cannot be applied gets its error in its place, and the others are still written.
   */
  async applyBatch(
    groups: readonly (readonly RecordedEvent[])[],
    partition = 0,
  ): Promise<(ApplyTally | Error)[]> {
    const plans = await mapWithConcurrency(groups, READ_CONCURRENCY, (events) =>
      this.plan(events, firstReadOf(events)).catch((error: unknown) =>
        error instanceof Error ? error : new Error(String(error)),
      ),
    );
    const writing = plans.filter((p): p is Plan => !(p instanceof Error) && p.last !== undefined);
    const failed = new Set<Plan>();
    if (writing.length > 0) {
      await this.moveIndex(writing, partition);
      this.writes.summaries += writing.length;
      await this.writeEach(writing, failed);
    }
    for (const plan of writing) {
      if (failed.has(plan)) this.cache.delete(plan.pledgeId);
      else this.remember(plan);
    }
    // What raced another writer is applied again on its own, from a fresh read (idempotent).
    return Promise.all(
      plans.map(async (plan, i) =>
        plan instanceof Error
          ? plan
          : !failed.has(plan)
            ? plan.tally
            : this.applyAll(groups[i], 'fresh', partition).catch((error: unknown) =>
                error instanceof Error ? error : new Error(String(error)),
              ),
      ),
    );
  }

  private async bulkWrite(writing: readonly Plan[], failed: Set<Plan>): Promise<void> {
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
      this.collectDuplicates(error, writing, failed);
      matched = error.result.matchedCount;
    }
    // An update that matched no document (removed meanwhile): find which, by their versions.
    if (matched < updates) await this.collectUnwritten(writing, failed);
  }

  /** The new summaries in one insertMany, the updates in commands of UPDATES_PER_COMMAND. */
  private async writeEach(writing: readonly Plan[], failed: Set<Plan>): Promise<void> {
    const inserts = writing.filter((p) => p.stored === 0);
    if (inserts.length > 0) {
      try {
        await this.collection.insertMany(
          inserts.map((plan) => this.document(plan)),
          { ordered: false },
        );
      } catch (error) {
        if (!(error instanceof MongoBulkWriteError)) throw error;
        this.collectDuplicates(error, inserts, failed);
      }
    }
    const updates = writing.filter((p) => p.stored > 0);
    for (let from = 0; from < updates.length; from += UPDATES_PER_COMMAND)
      await this.bulkWrite(updates.slice(from, from + UPDATES_PER_COMMAND), failed);
  }

  /** Inserts of a submission whose summary exists (a redelivery) fail alone; anything else is real. */
  private collectDuplicates(error: MongoBulkWriteError, plans: readonly Plan[], failed: Set<Plan>): void {
    const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    for (const writeError of errors) {
      if (writeError.code !== 11000) throw error;
      failed.add(plans[writeError.index]);
    }
  }

  /** Updates that did not land: their document is not at the planned version. */
  private async collectUnwritten(writing: readonly Plan[], failed: Set<Plan>): Promise<void> {
    for (const plan of writing) {
      if (failed.has(plan) || plan.stored === 0) continue;
      const doc = await this.collection.findOne({ _id: plan.pledgeId }, { projection: { version: 1 } });
      if (doc?.version !== plan.state.version) failed.add(plan);
    }
  }

  /** Reads the summary (unless assumed absent) and folds the events not yet applied onto it. */
  /** Forgets every remembered summary (after a rebalance another projector may have written them). */
  forget(): void {
    this.cache.clear();
    this.index?.forget();
  }

  private remember(plan: Plan): void {
    this.cache.delete(plan.pledgeId);
    // The state as written: without its reports' text, like the stored document.
    this.cache.set(plan.pledgeId, { version: plan.state.version, state: this.document(plan).state });
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
  }

  private async read(
    pledgeId: string,
    mode: ReadMode,
  ): Promise<Pick<PledgeSummaryDocument, 'version' | 'state'> | null> {
    if (mode === 'absent') return null;
    if (mode === 'cached') {
      const cached = this.cache.get(pledgeId);
      if (cached) return cached;
    }
    return this.collection.findOne({ _id: pledgeId }, { projection: { version: 1, state: 1 } });
  }

  private async plan(events: readonly RecordedEvent[], mode: ReadMode): Promise<Plan> {
    const streamId = events[0]?.streamId;
    const pledgeId = streamId === undefined ? undefined : pledgeIdOfStream(streamId);
    if (!pledgeId || events.some((e) => e.streamId !== streamId)) {
      throw new UnprojectableEventError(`${streamId} is not a pledge stream`);
    }
    const ordered = [...events].sort((a, b) => a.version - b.version);
    const doc = await this.read(pledgeId, mode);
    const tally: ApplyTally = { applied: 0, duplicates: 0, gapsFilled: 0 };
    // Folding onto a state whose reports lack their text is sound: evolve only appends reports and marks
    // superseded ones, and never reads an earlier report's text.
    let state = (doc?.state ?? initialPledgeState) as PledgeState;
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
    return {
      events: ordered,
      pledgeId,
      stored: doc?.version ?? 0,
      ...(doc ? { storedState: doc.state } : {}),
      state,
      last,
      tally,
    };
  }

  private document(plan: Plan): PledgeSummaryDocument {
    return (plan.written ??= toSummaryDocument(plan.state, plan.last!));
  }

  private operation(plan: Plan): AnyBulkWriteOperation<PledgeSummaryDocument> {
    const { _id, ...next } = this.document(plan);
    if (plan.stored === 0) return { insertOne: { document: { _id, ...next } } };
    return {
      updateOne: {
        filter: { _id },
        update: { $set: next },
      },
    };
  }

  /** Writes one plan; false when another writer got there first (retry from a fresh read). */
  private async write(plan: Plan): Promise<boolean> {
    const { _id, ...next } = this.document(plan);
    if (plan.stored > 0) {
      const result = await this.collection.updateOne({ _id }, { $set: next });
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
