import {
  ActionCatalogue,
  type Actor,
  commandOf,
  decide,
  DomainError,
  evolve,
  type ImportedFrom,
  type ImportRecord,
  type ImportRowError,
  initialPledgeState,
  type PledgeEvent,
  pledgeEventOf,
  type PledgeState,
  type Principal,
  templateFieldOf,
} from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';

/** Registered organisations and verifiers an admin import may name (looked up by id, cached per import). */
export interface ImportDirectory {
  organisation(id: string): Promise<Actor | null>;
  verifier(id: string): Promise<{ id: string; name: string } | null>;
}

export interface ImportPlanContext {
  importId: string;
  source: { name: string; url?: string; retrievedOn: string };
  /** Who runs the import: an organisation (its own pledges) or an admin (for a registry that migrates). */
  importer: Principal;
  catalogue: ActionCatalogue;
  directory: ImportDirectory;
}

export interface PlannedEvent {
  record: ImportRecord;
  event: PledgeEvent & { provenance: ImportedFrom };
  occurredAt: string;
}

export interface PledgePlan {
  /** The pledge as recorded before the import (its stream version is where the new events go). */
  before: PledgeState;
  events: PlannedEvent[];
  /** Rows already in the ledger (a record recorded by an earlier import), not recorded again. */
  alreadyRecordedRows: number;
  errors: ImportRowError[];
}

const rowsOf = (record: ImportRecord) => 1 + record.targets.length;

function rowError(record: ImportRecord, field: string, reason: string): ImportRowError {
  return { row: record.head.row, field, reason };
}

/**
 * What importing `records` (all the rows of one pledge, in file order) into the pledge's recorded stream
 * would record: every record decided with the ledger's own rules (`decide`) as of its `occurredAt`, on the
 * state folded from what is recorded and the records before it. A record whose hash is already on the stream
 * is skipped; a pledge's history must go forward in time. Pure apart from the directory lookups, so the check
 * of a whole file and its recording later plan the same events.
 */
export async function planPledge(
  pledgeId: string,
  records: readonly ImportRecord[],
  existing: readonly RecordedEvent[],
  ctx: ImportPlanContext,
): Promise<PledgePlan> {
  const before = existing.map(pledgeEventOf).reduce(evolve, initialPledgeState);
  const recordedHashes = new Set(
    existing.map((event) => event.provenance?.rowHash).filter((hash): hash is string => hash !== undefined),
  );
  let lastOccurredAt = existing.length ? existing[existing.length - 1].occurredAt : undefined;
  let state = before;
  const events: PlannedEvent[] = [];
  const errors: ImportRowError[] = [];
  let alreadyRecordedRows = 0;
  const inThisFile = new Map<string, number>();
  for (const record of records) {
    // The same record twice in one file is a mistake of the file (a pasted row), not history: the second
    // would be skipped as recorded by the first, so it is named instead.
    const earlier = inThisFile.get(record.hash);
    if (earlier !== undefined) {
      errors.push(
        rowError(record, 'kind', `the same record as row ${earlier} of this pledge; a row is recorded once`),
      );
      continue;
    }
    inThisFile.set(record.hash, record.head.row);
    if (recordedHashes.has(record.hash)) {
      alreadyRecordedRows += rowsOf(record);
      continue;
    }
    const { head } = record;
    if (lastOccurredAt !== undefined && Date.parse(head.occurredAt) < Date.parse(lastOccurredAt)) {
      errors.push(
        rowError(
          record,
          'occurredAt',
          `${head.occurredAt} is before the pledge's previous event (${lastOccurredAt}); a pledge's rows go oldest first, after what the ledger holds`,
        ),
      );
      continue;
    }
    if (!state.exists && head.kind !== 'pledge') {
      errors.push(notInLedger(record));
      continue;
    }
    const author = await authorOf(record, state, ctx);
    if ('error' in author) {
      errors.push(author.error);
      if (head.kind === 'pledge' && !state.exists) break;
      continue;
    }
    let decided: PledgeEvent;
    try {
      [decided] = decide(commandOf(record, pledgeId), state, {
        now: new Date(head.occurredAt),
        principal: author.principal,
        catalogue: ctx.catalogue,
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const at = templateFieldOf(record, error.field);
      errors.push({ row: at.row, field: at.field, reason: error.message });
      // Without its submission the pledge's other rows cannot be judged: each would only say it is missing.
      if (head.kind === 'pledge' && !state.exists) break;
      continue;
    }
    const provenance: ImportedFrom = {
      kind: 'import',
      importId: ctx.importId,
      source: { ...ctx.source },
      originalAuthor: head.author ?? author.principal.name,
      sourceRef: head.ref,
      row: head.row,
      rowHash: record.hash,
    };
    const event = { ...decided, provenance };
    state = evolve(state, event);
    recordedHashes.add(record.hash);
    lastOccurredAt = head.occurredAt;
    events.push({ record, event, occurredAt: head.occurredAt });
  }
  return { before, events, alreadyRecordedRows, errors };
}

function notInLedger(record: ImportRecord): ImportRowError {
  return rowError(
    record,
    'pledgeId',
    `pledge ${record.head.ref} is not in the ledger, and no pledge row for it comes before this ${record.head.kind} row`,
  );
}

/**
 * Whom `decide` sees as writing the record. An organisation importing writes as itself. An admin acts for the
 * registry: as the organisation the pledge row names (a registered one) or the pledge belongs to, and as the
 * registered verifier a verification row names. The envelope still records the admin as its principal.
 */
async function authorOf(
  record: ImportRecord,
  state: PledgeState,
  ctx: ImportPlanContext,
): Promise<{ principal: Principal } | { error: ImportRowError }> {
  const { head } = record;
  const { importer, directory } = ctx;
  if (importer.role === 'organisation') {
    if (head.kind === 'verification')
      return {
        error: rowError(
          record,
          'kind',
          "an organisation cannot import verifications of its own pledges; a registry's admin import can carry them",
        ),
      };
    if (head.kind === 'pledge' && head.actorId !== undefined && head.actorId !== importer.actor?.id)
      return {
        error: rowError(
          record,
          'actorId',
          `an organisation imports its own pledges only; ${head.actorId} is not this organisation (${importer.actor?.id ?? importer.id})`,
        ),
      };
    return { principal: importer };
  }
  if (importer.role !== 'admin')
    return { error: rowError(record, 'kind', `a ${importer.role} cannot import pledges`) };
  if (head.kind === 'verification') {
    const verifier = await directory.verifier(head.verifierId);
    if (!verifier)
      return {
        error: rowError(
          record,
          'verifierId',
          `no registered verifier ${head.verifierId}; register it first (POST /actors/verifiers)`,
        ),
      };
    return { principal: { id: verifier.id, role: 'verifier', name: verifier.name } };
  }
  let actor: Actor | undefined | null = state.actor;
  if (head.kind === 'pledge') {
    if (head.actorId === undefined)
      return {
        error: rowError(
          record,
          'actorId',
          'is required in a pledge row of an admin import: the registered organisation that made it',
        ),
      };
    actor = await directory.organisation(head.actorId);
    if (!actor)
      return {
        error: rowError(
          record,
          'actorId',
          `no registered organisation ${head.actorId}; register it first (POST /actors/organisations)`,
        ),
      };
  }
  if (!actor) return { error: notInLedger(record) };
  return { principal: { id: actor.id, role: 'organisation', name: actor.name, actor } };
}
