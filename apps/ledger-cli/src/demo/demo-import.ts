// The demo plan (demo-data.ts) as an import file (docs/import-template.md, JSON Lines): one pledge row and its
// target rows per pledge, then that pledge's follow-ups oldest first, every row at the day it happened. The
// rows name the registered organisations and verifiers by id (an admin import), the pledges by a reference of
// the fictional source registry (DEMO-p017, DEMO-<tag>-p017 for a tagged set).
//
// `replayDemoRows` checks such a file offline with the ledger's own rules, as POST /imports does (each row
// decided at its occurredAt), and `demoFigures` tells what the set will show: lapsed pledges, overdue targets,
// watering-down, the years it covers.
import {
  ActionCatalogue,
  calendarDateOf,
  commandOf,
  decide,
  DomainError,
  evolve,
  ImportRecordAssembler,
  importedPledgeId,
  initialPledgeState,
  parseImportRow,
  summarisePledge,
  templateFieldOf,
  type Actor,
  type ImportRecord,
  type ImportRowError,
  type PledgeState,
  type PledgeSummary,
  type PledgeTermsChanges,
  type Principal,
  type Target,
} from '@ledger/domain';
import type { ImportSource } from '../import/import-types';
import type { DemoOperation, DemoPlan, DemoPledge } from './demo-data';

/** One row of the import file: template column → value (JSON Lines keeps numbers, booleans and lists). */
export type DemoImportRow = Record<string, string | number | boolean | string[]>;

export const DEMO_SOURCE_NAME = 'WSIS+10 demo registry (fictional)';
export const DEMO_SOURCE_URL = 'https://example.org/wsis-demo-registry';

/** The ledger's default LAPSE_AFTER_DAYS: the figures count a pledge lapsed as the reports will. */
export const DEMO_LAPSE_AFTER_DAYS = 180;

/** The source the rows come from; a tagged set is another source, so its pledges get other ids. */
export function demoSource(plan: Pick<DemoPlan, 'tag' | 'now'>): ImportSource {
  return {
    name: plan.tag ? `${DEMO_SOURCE_NAME} [${plan.tag}]` : DEMO_SOURCE_NAME,
    url: DEMO_SOURCE_URL,
    retrievedOn: calendarDateOf(plan.now),
  };
}

/** The source registry's reference of a pledge: "DEMO-p017", or "DEMO-second-p017" in the set tagged "second". */
export function demoPledgeRef(plan: Pick<DemoPlan, 'tag'>, pledgeKey: string): string {
  return plan.tag ? `DEMO-${plan.tag}-${pledgeKey}` : `DEMO-${pledgeKey}`;
}

/** Ids the ledger gave the plan's actors when they were registered, by the plan's keys. */
export interface DemoActorIds {
  organisations: ReadonlyMap<string, string>;
  verifiers: ReadonlyMap<string, string>;
}

/**
 * The plan as import rows: per pledge (in key order, i.e. the order they were made) its pledge row and target
 * rows, then its operations in the order they happened. All rows of a pledge are together, oldest first.
 */
export function demoImportRows(plan: DemoPlan, ids: DemoActorIds): DemoImportRow[] {
  const operationsOf = new Map<string, DemoOperation[]>(plan.pledges.map((p) => [p.key, []]));
  for (const op of plan.operations) operationsOf.get(op.pledge)!.push(op);
  const rows: DemoImportRow[] = [];
  for (const pledge of plan.pledges) {
    const ref = demoPledgeRef(plan, pledge.key);
    rows.push(...pledgeRows(pledge, ref, idOf(ids.organisations, pledge.organisation)));
    for (const op of operationsOf.get(pledge.key)!) rows.push(...operationRows(op, pledge, ref, ids));
  }
  return rows;
}

/** The rows as a JSON Lines file (row N is line N). */
export function toJsonLines(rows: readonly DemoImportRow[]): string {
  return rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
}

function idOf(ids: ReadonlyMap<string, string>, key: string): string {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`demo: no registered id for ${key}`);
  return id;
}

function pledgeRows(pledge: DemoPledge, ref: string, actorId: string): DemoImportRow[] {
  const { terms } = pledge;
  const row: DemoImportRow = {
    kind: 'pledge',
    pledgeId: ref,
    occurredAt: pledge.submittedOn,
    author: pledge.author,
    actorId,
    title: terms.title,
    description: terms.description,
  };
  if (terms.countries.length > 0) row.countries = terms.countries;
  if (terms.regions.length > 0) row.regions = terms.regions;
  if (terms.global) row.global = true;
  row.actions = terms.actions.map((a) => `${a.framework}/${a.action}`);
  if (terms.financialCommitment) {
    row.amount = terms.financialCommitment.amount;
    row.currency = terms.financialCommitment.currency;
  }
  return [row, ...targetRows(terms.targets, ref, pledge.submittedOn)];
}

function targetRows(targets: readonly Target[], ref: string, occurredAt: string): DemoImportRow[] {
  return targets.map((t) => ({
    kind: 'target',
    pledgeId: ref,
    occurredAt,
    targetId: t.id,
    indicator: t.indicator,
    unit: t.unit,
    baseline: t.baseline,
    targetValue: t.targetValue,
    deadline: t.deadline,
  }));
}

/** An amendment's changes as columns: a column left out is unchanged; "-" (or []) is "none". */
function changeColumns(changes: PledgeTermsChanges): DemoImportRow {
  const columns: DemoImportRow = {};
  if (changes.title !== undefined) columns.title = changes.title;
  if (changes.description !== undefined) columns.description = changes.description || '-';
  if (changes.countries !== undefined) columns.countries = changes.countries;
  if (changes.regions !== undefined) columns.regions = changes.regions;
  if (changes.global !== undefined) columns.global = changes.global;
  if (changes.actions !== undefined)
    columns.actions = changes.actions.map((a) => `${a.framework}/${a.action}`);
  if (changes.financialCommitment === null) columns.amount = '-';
  else if (changes.financialCommitment !== undefined) {
    columns.amount = changes.financialCommitment.amount;
    columns.currency = changes.financialCommitment.currency;
  }
  return columns;
}

function operationRows(
  op: DemoOperation,
  pledge: DemoPledge,
  ref: string,
  ids: DemoActorIds,
): DemoImportRow[] {
  const base = { pledgeId: ref, occurredAt: op.occurredAt, author: pledge.author };
  const withEvidence = (row: DemoImportRow, links: string[]): DemoImportRow =>
    links.length > 0 ? { ...row, evidence: links } : row;
  switch (op.kind) {
    case 'amendment':
      return [
        { kind: 'amendment', ...base, reason: op.reason, ...changeColumns(op.changes) },
        ...(op.changes.targets ? targetRows(op.changes.targets, ref, op.occurredAt) : []),
      ];
    case 'progress':
      return [
        withEvidence(
          {
            kind: 'progress',
            ...base,
            reportId: op.report,
            targetId: op.targetId,
            value: op.value,
            asOf: op.asOf,
            narrative: op.narrative,
          },
          op.evidence,
        ),
      ];
    case 'correction':
      return [
        withEvidence(
          {
            kind: 'correction',
            ...base,
            reportId: op.report,
            correctsReportId: op.corrects,
            value: op.value,
            asOf: op.asOf,
            reason: op.reason,
            narrative: op.narrative,
          },
          op.evidence,
        ),
      ];
    case 'fulfilment':
      return [{ kind: 'fulfilment', ...base, ...(op.note ? { note: op.note } : {}) }];
    case 'withdrawal':
      return [{ kind: 'withdrawal', ...base, reason: op.reason }];
    case 'verification':
      // The author defaults to the verifier's name.
      return [
        {
          kind: 'verification',
          pledgeId: ref,
          occurredAt: op.occurredAt,
          verificationId: op.verificationId,
          verifierId: idOf(ids.verifiers, op.verifier),
          outcome: op.outcome,
          note: op.note,
          ...(op.report !== undefined ? { reportId: op.report } : {}),
        },
      ];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Offline check

/** Registered actors as the import looks them up: organisations and verifiers by id. */
export interface DemoDirectory {
  organisations: ReadonlyMap<string, Actor>;
  verifiers: ReadonlyMap<string, { id: string; name: string }>;
}

export interface DemoReplay {
  /** What POST /imports would answer as bad rows (row = line of the file); empty when it would accept it. */
  errors: ImportRowError[];
  /** Each pledge after its rows, by the ledger id the import derives from its reference. */
  states: Map<string, PledgeState>;
  /** The amendments the ledger flags as watering-down: row and day. */
  wateringDowns: { row: number; occurredAt: string }[];
}

/**
 * Runs import rows through the template's parser and the ledger's rules the way an admin import into an
 * empty ledger does: each record decided as of its occurredAt, as the organisation named on the pledge row
 * or the verifier named on a verification row. Pure; `now` bounds occurredAt.
 */
export function replayDemoRows(
  rows: readonly DemoImportRow[],
  options: { now: Date; sourceName: string; directory: DemoDirectory },
): DemoReplay {
  const { now, sourceName, directory } = options;
  const catalogue = new ActionCatalogue();
  const errors: ImportRowError[] = [];
  const states = new Map<string, PledgeState>();
  const lastAt = new Map<string, string>();
  const hashes = new Set<string>();
  const wateringDowns: DemoReplay['wateringDowns'] = [];

  const apply = (record: ImportRecord): void => {
    const { head } = record;
    const pledgeId = importedPledgeId(sourceName, head.ref);
    const state = states.get(pledgeId) ?? initialPledgeState;
    const fail = (field: string, reason: string) => errors.push({ row: head.row, field, reason });
    // The import knows a row by the hash of its content: a second row like it would be skipped as recorded.
    if (hashes.has(`${pledgeId}/${record.hash}`))
      return void fail('kind', 'the same record as an earlier row of this pledge: it would not be recorded');
    hashes.add(`${pledgeId}/${record.hash}`);
    const previous = lastAt.get(pledgeId);
    if (previous !== undefined && Date.parse(head.occurredAt) < Date.parse(previous))
      return void fail('occurredAt', `${head.occurredAt} is before the pledge's previous row (${previous})`);
    let principal: Principal;
    if (head.kind === 'verification') {
      const verifier = directory.verifiers.get(head.verifierId);
      if (!verifier) return void fail('verifierId', `no registered verifier ${head.verifierId}`);
      principal = { id: verifier.id, role: 'verifier', name: verifier.name };
    } else {
      const actor = head.kind === 'pledge' ? directory.organisations.get(head.actorId ?? '') : state.actor;
      if (!actor) return void fail(head.kind === 'pledge' ? 'actorId' : 'pledgeId', 'no organisation for it');
      principal = { id: actor.id, role: 'organisation', name: actor.name, actor };
    }
    try {
      const [event] = decide(commandOf(record, pledgeId), state, {
        now: new Date(head.occurredAt),
        principal,
        catalogue,
      });
      const provenance = {
        kind: 'import' as const,
        importId: 'offline-check',
        source: { name: sourceName, retrievedOn: calendarDateOf(now) },
        originalAuthor: head.author ?? principal.name,
        sourceRef: head.ref,
        row: head.row,
        rowHash: record.hash,
      };
      states.set(pledgeId, evolve(state, { ...event, provenance }));
      if (event.type === 'PledgeAmended' && event.data.wateringDown.length > 0)
        wateringDowns.push({ row: head.row, occurredAt: head.occurredAt });
      lastAt.set(pledgeId, head.occurredAt);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const at = templateFieldOf(record, error.field);
      errors.push({ row: at.row, field: at.field, reason: error.message });
    }
  };

  const assembler = new ImportRecordAssembler();
  rows.forEach((raw, index) => {
    const parsed = parseImportRow(raw, index + 1, now);
    if (parsed.errors) {
      errors.push(...parsed.errors);
      return;
    }
    const { record, error } = assembler.push(parsed.row);
    if (error) errors.push(error);
    if (record) apply(record);
  });
  const last = assembler.flush();
  if (last) apply(last);
  return { errors: errors.sort((a, b) => a.row - b.row), states, wateringDowns };
}

/** What the demo set shows once loaded, as the ledger's reports will count it at the plan's `now`. */
export interface DemoFigures {
  pledges: number;
  /** Years of the first and the latest pledge. */
  firstYear: number;
  lastYear: number;
  /** Year of the latest row of any kind (reports go on after the last pledge is made). */
  latestActivityYear: number;
  active: number;
  lapsed: number;
  fulfilled: number;
  withdrawn: number;
  wateredDownPledges: number;
  /** Amendments the ledger flags as watering-down. */
  wateringDowns: number;
  /** Years in which some pledge was watered down. */
  wateringDownYears: number[];
  targets: number;
  /** Deadline passed, not reached. */
  overdueTargets: number;
  reachedTargets: number;
  onTrackTargets: number;
  offTrackTargets: number;
  noProgressTargets: number;
  rows: number;
}

/**
 * The plan's figures, from its rows replayed offline (with stand-in actor ids). Throws if the ledger's rules
 * would refuse a row: a bug in the plan, named by row.
 */
export function demoFigures(plan: DemoPlan, lapseAfterDays = DEMO_LAPSE_AFTER_DAYS): DemoFigures {
  const now = new Date(plan.now);
  const organisations = new Map(plan.organisations.map((o) => [o.key, `org-demo-${o.key}`]));
  const verifiers = new Map(plan.verifiers.map((v) => [v.key, `ver-demo-${v.key}`]));
  const rows = demoImportRows(plan, { organisations, verifiers });
  const directory: DemoDirectory = {
    organisations: new Map(
      plan.organisations.map((o) => {
        const id = organisations.get(o.key)!;
        return [id, { id, name: o.name, type: o.type, country: o.country }];
      }),
    ),
    verifiers: new Map(
      plan.verifiers.map((v) => {
        const id = verifiers.get(v.key)!;
        return [id, { id, name: v.name }];
      }),
    ),
  };
  const { errors, states, wateringDowns } = replayDemoRows(rows, {
    now,
    sourceName: demoSource(plan).name,
    directory,
  });
  if (errors.length > 0) {
    const first = errors
      .slice(0, 5)
      .map((e) => `row ${e.row} (${String(rows[e.row - 1]?.kind)}) ${e.field}: ${e.reason}`);
    throw new Error(`demo plan bug: the ledger would refuse ${errors.length} row(s): ${first.join('; ')}`);
  }
  const summaries: PledgeSummary[] = [...states.values()].map((state) =>
    summarisePledge(state, { now, lapseAfterDays }),
  );
  const targets = summaries.flatMap((s) => s.targets);
  const wateringDownYears = wateringDowns.map((w) => Number(w.occurredAt.slice(0, 4)));
  const years = plan.pledges.map((p) => Number(p.submittedOn.slice(0, 4)));
  const count = (status: PledgeSummary['status']) => summaries.filter((s) => s.status === status).length;
  return {
    pledges: summaries.length,
    firstYear: Math.min(...years),
    lastYear: Math.max(...years),
    latestActivityYear: Math.max(...rows.map((r) => Number(String(r.occurredAt).slice(0, 4)))),
    active: count('active'),
    lapsed: count('lapsed'),
    fulfilled: count('fulfilled'),
    withdrawn: count('withdrawn'),
    wateredDownPledges: summaries.filter((s) => s.wateredDown).length,
    wateringDowns: wateringDowns.length,
    wateringDownYears: [...new Set(wateringDownYears)].sort((a, b) => a - b),
    targets: targets.length,
    overdueTargets: targets.filter((t) => t.overdue).length,
    reachedTargets: targets.filter((t) => t.reached).length,
    onTrackTargets: targets.filter((t) => !t.reached && t.onTrack === true).length,
    offTrackTargets: targets.filter((t) => !t.reached && t.onTrack === false).length,
    noProgressTargets: targets.filter((t) => t.onTrack === null).length,
    rows: rows.length,
  };
}
