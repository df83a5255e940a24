import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { ActionRef } from '../action-frameworks';
import type { Money } from '../money';
import type { PledgeCommand } from '../pledge.commands';
import type { PledgeTermsChanges, Target } from '../pledge-terms';

// The import template (docs/import-template.md): one set of columns for CSV and JSON Lines. This file turns
// one row of either into a typed record, or names what is wrong with it (row and column). The rules of the
// ledger itself (terms, ownership, lifecycle) are `decide`'s, applied by the import to each record in turn.

export const IMPORT_KINDS = [
  'pledge',
  'target',
  'amendment',
  'progress',
  'correction',
  'fulfilment',
  'withdrawal',
  'verification',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

const COMMON = ['kind', 'pledgeId', 'occurredAt', 'author'] as const;
const TERMS = [
  'title',
  'description',
  'countries',
  'regions',
  'global',
  'actions',
  'amount',
  'currency',
] as const;

/** The columns each kind may fill (besides kind, pledgeId, occurredAt, author); anything else must be empty. */
const COLUMNS_OF: Readonly<Record<ImportKind, readonly string[]>> = {
  pledge: ['actorId', ...TERMS],
  target: ['targetId', 'indicator', 'unit', 'baseline', 'targetValue', 'deadline'],
  amendment: ['reason', ...TERMS],
  progress: ['reportId', 'targetId', 'value', 'asOf', 'narrative', 'evidence'],
  correction: ['reportId', 'correctsReportId', 'value', 'asOf', 'reason', 'narrative', 'evidence'],
  fulfilment: ['note'],
  withdrawal: ['reason'],
  verification: ['verificationId', 'verifierId', 'outcome', 'note', 'reportId'],
};

/** Every column of the template, in the documented order. */
export const IMPORT_COLUMNS: readonly string[] = Object.freeze([
  ...new Set([...COMMON, ...Object.values(COLUMNS_OF).flat()]),
]);
const KNOWN_COLUMNS: ReadonlySet<string> = new Set(IMPORT_COLUMNS);

export interface ImportRowError {
  /** As a spreadsheet numbers it (CSV header = row 1), or the JSON Lines line; 0 = the file as a whole. */
  row: number;
  /** The template column at fault, or `file`. */
  field: string;
  reason: string;
}

/** One row as read: column → cell (CSV: text; JSON Lines: text, number, boolean, array or null). */
export type RawImportRow = Readonly<Record<string, unknown>>;

interface RowBase {
  row: number;
  /** The source's reference of the pledge. */
  ref: string;
  /** ISO 8601 instant (a date-only cell is midnight UTC). */
  occurredAt?: string;
  author?: string;
}

export interface TargetRow extends RowBase {
  kind: 'target';
  target: Target;
}

export type HeadRow = RowBase & { occurredAt: string } & (
    | { kind: 'pledge'; actorId?: string; terms: Omit<PledgeTermsChanges, 'targets'> }
    | { kind: 'amendment'; reason: string; changes: Omit<PledgeTermsChanges, 'targets'> }
    | {
        kind: 'progress';
        reportId: string;
        targetId: string;
        value: number;
        asOf: string;
        narrative: string;
        evidence: string[];
      }
    | {
        kind: 'correction';
        reportId: string;
        correctsReportId: string;
        value: number;
        asOf: string;
        reason: string;
        narrative: string;
        evidence: string[];
      }
    | { kind: 'fulfilment'; note: string }
    | { kind: 'withdrawal'; reason: string }
    | {
        kind: 'verification';
        verificationId: string;
        verifierId: string;
        outcome: string;
        note: string;
        reportId?: string;
      }
  );

export type ParsedRow = HeadRow | TargetRow;

/** A record to decide: a row and, for a pledge or amendment, the target rows under it. */
export interface ImportRecord {
  head: HeadRow;
  targets: TargetRow[];
  /** SHA-256 of the record's content (not its row numbers): how a re-import knows it is recorded. */
  hash: string;
  /** Its pledge's rows are not together in the file (an error is reported): the record is not decided. */
  misplaced?: boolean;
}

class RowProblems {
  readonly errors: ImportRowError[] = [];
  constructor(readonly row: number) {}
  add(field: string, reason: string): undefined {
    this.errors.push({ row: this.row, field, reason });
    return undefined;
  }
}

const MAX_TEXT = 20_000;
const MAX_UNKNOWN_NAMED = 5;
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const NONE = '-';

/** Text an error repeats from an import file, cut to `max` characters (an error names it, it does not copy it). */
export function clipped(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A cell as an error quotes it: JSON, at most 80 characters. */
export const quoted = (value: unknown): string => clipped(JSON.stringify(value) ?? String(value));

/** What no text in the ledger may hold (the strict JSON parser of the API refuses the same), or undefined. */
function badText(value: string): string | undefined {
  if (value.length > MAX_TEXT) return `is longer than ${MAX_TEXT} characters`;
  if (value.includes('\u0000')) return 'contains a NUL character';
  if (/[\uD800-\uDFFF]/u.test(value)) return 'is not well-formed Unicode (a lone surrogate)';
  return undefined;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function text(raw: RawImportRow, column: string, p: RowProblems): string | undefined {
  const value = raw[column];
  if (isEmpty(value)) return undefined;
  if (typeof value !== 'string') return p.add(column, `must be text, got ${quoted(value)}`);
  const bad = badText(value);
  if (bad) return p.add(column, bad);
  return value.trim();
}

function required(raw: RawImportRow, column: string, kind: string, p: RowProblems): string | undefined {
  const value = text(raw, column, p);
  if (value === undefined && !p.errors.some((e) => e.field === column))
    p.add(column, `is required in a ${kind} row`);
  return value;
}

function number(raw: RawImportRow, column: string, p: RowProblems): number | undefined {
  const value = raw[column];
  if (isEmpty(value)) return undefined;
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : p.add(column, 'is not a finite number');
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value.trim());
  return p.add(column, `must be a number in plain decimal notation (e.g. 12.5), got ${quoted(value)}`);
}

function requiredNumber(raw: RawImportRow, column: string, kind: string, p: RowProblems): number | undefined {
  const value = number(raw, column, p);
  if (value === undefined && isEmpty(raw[column])) p.add(column, `is required in a ${kind} row`);
  return value;
}

function boolean(raw: RawImportRow, column: string, p: RowProblems): boolean | undefined {
  const value = raw[column];
  if (isEmpty(value)) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return p.add(column, `must be true or false, got ${quoted(value)}`);
}

/** A `;`-separated cell or a JSON array of text; `-` is the empty list. Undefined when the cell is empty. */
function list(raw: RawImportRow, column: string, p: RowProblems): string[] | undefined {
  const value = raw[column];
  if (isEmpty(value)) return undefined;
  const items = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.trim() === NONE
        ? []
        : value.split(';').map((item) => item.trim())
      : null;
  if (items === null || items.some((item) => typeof item !== 'string'))
    return p.add(column, 'must be a list of text separated by ";" (or a JSON array of strings)');
  for (const [index, item] of (items as string[]).entries()) {
    const bad = badText(item);
    if (bad) return p.add(column, `item ${index + 1} ${bad}`);
  }
  return (items as string[]).map((item) => item.trim()).filter((item) => item !== '');
}

function calendarDay(raw: RawImportRow, column: string, kind: string, p: RowProblems): string | undefined {
  const value = required(raw, column, kind, p);
  if (value === undefined) return undefined;
  if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || !realDate(value))
    return p.add(column, `must be a date YYYY-MM-DD, got ${quoted(value)}`);
  return value;
}

/** A calendar day that exists (2026-02-30 and 2026-13-01 do not). */
function realDate(day: string): boolean {
  const at = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === day;
}

/** `occurredAt`: a date (midnight UTC) or an instant with offset, not after `now`, not before 1990. */
function instant(raw: RawImportRow, now: Date, p: RowProblems, optional: boolean): string | undefined {
  const value = text(raw, 'occurredAt', p);
  if (value === undefined) {
    if (!optional && !p.errors.some((e) => e.field === 'occurredAt'))
      p.add('occurredAt', 'is required: when this happened (YYYY-MM-DD or an ISO 8601 instant)');
    return undefined;
  }
  let at: Date;
  if (DATE.test(value) && realDate(value)) at = new Date(`${value}T00:00:00.000Z`);
  else if (INSTANT.test(value) && !Number.isNaN(Date.parse(value)) && realDate(value.slice(0, 10)))
    at = new Date(value);
  else
    return p.add(
      'occurredAt',
      `must be a date YYYY-MM-DD or an ISO 8601 instant with offset, got ${quoted(value)}`,
    );
  if (at.getTime() > now.getTime())
    return p.add('occurredAt', `${value} is in the future; an import brings in what has happened`);
  if (at.getUTCFullYear() < 1990) return p.add('occurredAt', `${value} is before 1990`);
  return at.toISOString();
}

function actions(raw: RawImportRow, p: RowProblems): ActionRef[] | undefined {
  const refs = list(raw, 'actions', p);
  if (refs === undefined) return undefined;
  const parsed: ActionRef[] = [];
  for (const ref of refs) {
    const match = /^([^/\s]+)\/([^/\s]+)$/.exec(ref);
    if (!match)
      return p.add('actions', `${quoted(ref)} is not framework/action, e.g. wsis10-gender-gap/access`);
    parsed.push({ framework: match[1], action: match[2] });
  }
  return parsed;
}

/** amount + currency → Money; in an amendment `-` in amount removes the commitment (null). */
function money(raw: RawImportRow, p: RowProblems, amendment: boolean): Money | null | undefined {
  if (amendment && typeof raw.amount === 'string' && raw.amount.trim() === NONE) {
    if (!isEmpty(raw.currency)) p.add('currency', 'must be empty when amount is "-" (no commitment)');
    return null;
  }
  const amount = number(raw, 'amount', p);
  const currency = text(raw, 'currency', p);
  if (amount === undefined && currency === undefined) return undefined;
  if (amount === undefined)
    return isEmpty(raw.amount) ? p.add('amount', 'is required with a currency') : undefined;
  if (currency === undefined) return p.add('currency', 'is required with an amount (ISO 4217, e.g. USD)');
  return { amount, currency };
}

function termsColumns(
  raw: RawImportRow,
  p: RowProblems,
  amendment: boolean,
): Omit<PledgeTermsChanges, 'targets'> {
  const terms: Omit<PledgeTermsChanges, 'targets'> = {};
  const title = text(raw, 'title', p);
  const description = text(raw, 'description', p);
  const countries = list(raw, 'countries', p);
  const regions = list(raw, 'regions', p);
  const global = boolean(raw, 'global', p);
  const refs = actions(raw, p);
  const commitment = money(raw, p, amendment);
  if (title !== undefined) terms.title = title;
  if (description !== undefined) terms.description = amendment && description === NONE ? '' : description;
  if (countries !== undefined) terms.countries = countries;
  if (regions !== undefined) terms.regions = regions;
  if (global !== undefined) terms.global = global;
  if (refs !== undefined) terms.actions = refs;
  if (commitment !== undefined) terms.financialCommitment = commitment;
  return terms;
}

/**
 * One raw row as a typed row, or the list of what is wrong with it. `now` bounds `occurredAt`. Checks the
 * template (known kind and columns, types, formats); `decide` checks the ledger's rules later.
 */
export function parseImportRow(
  raw: RawImportRow,
  row: number,
  now: Date,
): { row: ParsedRow; errors?: undefined } | { row?: undefined; errors: ImportRowError[] } {
  const p = new RowProblems(row);
  // Named one by one up to a few (a row of JSON Lines may hold any number of keys, of any length).
  const unknown = Object.keys(raw).filter((column) => !KNOWN_COLUMNS.has(column));
  for (const column of unknown.slice(0, MAX_UNKNOWN_NAMED))
    p.add(clipped(column), 'is not a column of the import template (docs/import-template.md)');
  if (unknown.length > MAX_UNKNOWN_NAMED)
    p.add('row', `has ${unknown.length - MAX_UNKNOWN_NAMED} more columns that are not in the template`);
  const kindCell = text(raw, 'kind', p);
  const kind = IMPORT_KINDS.find((k) => k === kindCell);
  if (kind === undefined) {
    if (!p.errors.some((e) => e.field === 'kind'))
      p.add(
        'kind',
        kindCell === undefined
          ? 'is required'
          : `${quoted(kindCell)} is not one of ${IMPORT_KINDS.join(', ')}`,
      );
    return { errors: p.errors };
  }
  const allowed = new Set<string>([...COMMON, ...COLUMNS_OF[kind]]);
  for (const column of Object.keys(raw))
    if (KNOWN_COLUMNS.has(column) && !allowed.has(column) && !isEmpty(raw[column]))
      p.add(column, `is not used by a ${kind} row; leave it empty`);
  const ref = required(raw, 'pledgeId', kind, p);
  if (ref !== undefined && ref.length > 200) p.add('pledgeId', 'is longer than 200 characters');
  const occurredAt = instant(raw, now, p, kind === 'target');
  const author = text(raw, 'author', p);
  const base = { row, ref: ref ?? '', ...(author !== undefined ? { author } : {}) };
  let parsed: ParsedRow | undefined;
  switch (kind) {
    case 'target': {
      const id = required(raw, 'targetId', kind, p);
      const indicator = required(raw, 'indicator', kind, p);
      const unit = required(raw, 'unit', kind, p);
      const baseline = requiredNumber(raw, 'baseline', kind, p);
      const targetValue = requiredNumber(raw, 'targetValue', kind, p);
      const deadline = calendarDay(raw, 'deadline', kind, p);
      if (p.errors.length === 0)
        parsed = {
          ...base,
          kind,
          ...(occurredAt !== undefined ? { occurredAt } : {}),
          target: {
            id: id!,
            indicator: indicator!,
            unit: unit!,
            baseline: baseline!,
            targetValue: targetValue!,
            deadline: deadline!,
          },
        };
      break;
    }
    case 'pledge': {
      const actorId = text(raw, 'actorId', p);
      const terms = termsColumns(raw, p, false);
      if (terms.title === undefined && isEmpty(raw.title)) p.add('title', 'is required in a pledge row');
      if (terms.description === undefined && isEmpty(raw.description))
        p.add('description', 'is required in a pledge row: what the pledge promises, in a sentence or more');
      if (terms.actions === undefined && isEmpty(raw.actions))
        p.add('actions', 'is required in a pledge row (framework/action codes separated by ";")');
      if (p.errors.length === 0)
        parsed = {
          ...base,
          kind,
          occurredAt: occurredAt!,
          ...(actorId !== undefined ? { actorId } : {}),
          terms,
        };
      break;
    }
    case 'amendment': {
      const reason = required(raw, 'reason', kind, p);
      const changes = termsColumns(raw, p, true);
      if (p.errors.length === 0)
        parsed = { ...base, kind, occurredAt: occurredAt!, reason: reason!, changes };
      break;
    }
    case 'progress':
    case 'correction': {
      const reportId = required(raw, 'reportId', kind, p);
      const value = requiredNumber(raw, 'value', kind, p);
      const asOf = calendarDay(raw, 'asOf', kind, p);
      const narrative = text(raw, 'narrative', p) ?? '';
      const evidence = list(raw, 'evidence', p) ?? [];
      if (kind === 'progress') {
        const targetId = required(raw, 'targetId', kind, p);
        if (p.errors.length === 0)
          parsed = {
            ...base,
            kind,
            occurredAt: occurredAt!,
            reportId: reportId!,
            targetId: targetId!,
            value: value!,
            asOf: asOf!,
            narrative,
            evidence,
          };
      } else {
        const correctsReportId = required(raw, 'correctsReportId', kind, p);
        const reason = required(raw, 'reason', kind, p);
        if (p.errors.length === 0)
          parsed = {
            ...base,
            kind,
            occurredAt: occurredAt!,
            reportId: reportId!,
            correctsReportId: correctsReportId!,
            value: value!,
            asOf: asOf!,
            reason: reason!,
            narrative,
            evidence,
          };
      }
      break;
    }
    case 'fulfilment': {
      const note = text(raw, 'note', p) ?? '';
      if (p.errors.length === 0) parsed = { ...base, kind, occurredAt: occurredAt!, note };
      break;
    }
    case 'withdrawal': {
      const reason = required(raw, 'reason', kind, p);
      if (p.errors.length === 0) parsed = { ...base, kind, occurredAt: occurredAt!, reason: reason! };
      break;
    }
    case 'verification': {
      const verificationId = required(raw, 'verificationId', kind, p);
      const verifierId = required(raw, 'verifierId', kind, p);
      const outcome = required(raw, 'outcome', kind, p);
      if (outcome !== undefined && outcome !== 'confirmed' && outcome !== 'disputed')
        p.add('outcome', `must be confirmed or disputed, got ${quoted(outcome)}`);
      const note = text(raw, 'note', p) ?? '';
      const reportId = text(raw, 'reportId', p);
      if (p.errors.length === 0)
        parsed = {
          ...base,
          kind,
          occurredAt: occurredAt!,
          verificationId: verificationId!,
          verifierId: verifierId!,
          outcome: outcome!,
          note,
          ...(reportId !== undefined ? { reportId } : {}),
        };
      break;
    }
  }
  return parsed ? { row: parsed } : { errors: p.errors };
}

/** The record's content without its row numbers, as canonical JSON, hashed. */
export function recordHash(head: HeadRow, targets: readonly TargetRow[]): string {
  const strip = <T extends { row: number }>({ row: _row, ...rest }: T) => rest;
  const canonical = canonicalize({ head: strip(head), targets: targets.map(strip) });
  return createHash('sha256').update(canonical!, 'utf8').digest('hex');
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * The ledger's id of an imported pledge: the reference itself when it is a UUID (a pledge of this ledger),
 * otherwise a UUID derived from the source's name and the reference (SHA-256, shaped as version 4), so the
 * same file names the same pledges every time it is imported. An organisation's import derives its ids in its
 * own space (`organisationId`): the ids are predictable, and one organisation must not be able to take, ahead
 * of a registry's migration or of another organisation, the id that their file will name.
 */
export function importedPledgeId(sourceName: string, ref: string, organisationId?: string): string {
  if (UUID_V4.test(ref)) return ref.toLowerCase();
  const space = organisationId === undefined ? '' : `organisation ${organisationId}\n`;
  const hex = createHash('sha256')
    .update(`pledge-ledger import\n${space}${sourceName}\n${ref}`, 'utf8')
    .digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The command a record asks of its pledge (the caller checks who may ask it). */
export function commandOf(record: ImportRecord, pledgeId: string): PledgeCommand {
  const { head, targets } = record;
  const targetList = targets.map((t) => t.target);
  switch (head.kind) {
    case 'pledge': {
      const {
        title,
        description,
        countries,
        regions,
        global,
        actions: refs,
        financialCommitment,
      } = head.terms;
      return {
        type: 'SubmitPledge',
        pledgeId,
        terms: {
          title: title ?? '',
          description: description ?? '',
          countries: countries ?? [],
          regions: regions ?? [],
          global: global ?? false,
          actions: refs ?? [],
          targets: targetList,
          ...(financialCommitment ? { financialCommitment } : {}),
        },
      };
    }
    case 'amendment':
      return {
        type: 'AmendPledge',
        pledgeId,
        reason: head.reason,
        changes: { ...head.changes, ...(targets.length > 0 ? { targets: targetList } : {}) },
      };
    case 'progress':
      return {
        type: 'ReportProgress',
        pledgeId,
        reportId: head.reportId,
        targetId: head.targetId,
        value: head.value,
        asOf: head.asOf,
        narrative: head.narrative,
        evidence: head.evidence,
      };
    case 'correction':
      return {
        type: 'CorrectProgress',
        pledgeId,
        reportId: head.reportId,
        correctsReportId: head.correctsReportId,
        value: head.value,
        asOf: head.asOf,
        narrative: head.narrative,
        evidence: head.evidence,
        reason: head.reason,
      };
    case 'fulfilment':
      return { type: 'FulfilPledge', pledgeId, note: head.note };
    case 'withdrawal':
      return { type: 'WithdrawPledge', pledgeId, reason: head.reason };
    case 'verification':
      return {
        type: 'RecordVerification',
        pledgeId,
        verificationId: head.verificationId,
        outcome: head.outcome as 'confirmed' | 'disputed',
        note: head.note,
        ...(head.reportId !== undefined ? { reportId: head.reportId } : {}),
      };
  }
}

/**
 * A domain rule's field (`terms.targets[1].deadline`, `changes.financialCommitment.amount`, `asOf`) as the
 * template's row and column: a target's fields are on its own target row.
 */
export function templateFieldOf(
  record: ImportRecord,
  field: string | undefined,
): { row: number; field: string } {
  const path = (field ?? '').replace(/^(?:terms|changes)\.?/, '');
  const target = /^targets\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (target) {
    const row = record.targets[Number(target[1])];
    return row
      ? { row: row.row, field: target[2] ?? 'targetId' }
      : { row: record.head.row, field: 'targets' };
  }
  if (path.startsWith('financialCommitment'))
    return { row: record.head.row, field: path.endsWith('currency') ? 'currency' : 'amount' };
  if (path === 'targets') return { row: record.head.row, field: 'targets' };
  const column = /^(\w+)/.exec(path)?.[1];
  return { row: record.head.row, field: column && KNOWN_COLUMNS.has(column) ? column : (column ?? 'kind') };
}

/**
 * Groups parsed rows into records (a pledge or amendment row takes the target rows under it) and checks
 * the shape of the file: target rows only under a pledge or amendment of the same pledge, a pledge's rows
 * together. Feed rows in order; `flush` at the end.
 */
export class ImportRecordAssembler {
  private current?: { head: HeadRow; targets: TargetRow[]; misplaced?: boolean };
  /** A pledge or amendment row that could not be read: the target rows under it are not reported again. */
  private broken?: string;
  private readonly seen = new Set<string>();
  private lastRef?: string;

  /** The record completed by this row (if any), and any error in the file's shape at this row. */
  push(row: ParsedRow): { record?: ImportRecord; error?: ImportRowError } {
    if (row.kind === 'target') {
      if (this.broken !== undefined && this.broken === row.ref) return {};
      const head = this.current;
      if (!head || (head.head.kind !== 'pledge' && head.head.kind !== 'amendment'))
        return {
          error: {
            row: row.row,
            field: 'kind',
            reason: 'a target row must follow its pledge or amendment row',
          },
        };
      if (head.head.ref !== row.ref)
        return {
          error: {
            row: row.row,
            field: 'pledgeId',
            reason: `a target row belongs to the pledge above it (${head.head.ref})`,
          },
        };
      head.targets.push(row);
      return {};
    }
    const record = this.flush();
    this.broken = undefined;
    let error: ImportRowError | undefined;
    if (row.ref !== this.lastRef) {
      if (this.seen.has(row.ref))
        error = {
          row: row.row,
          field: 'pledgeId',
          reason: `the rows of pledge ${row.ref} must be together; it appeared above already`,
        };
      this.seen.add(row.ref);
      this.lastRef = row.ref;
    }
    this.current = { head: row, targets: [], ...(error ? { misplaced: true } : {}) };
    return { ...(record ? { record } : {}), ...(error ? { error } : {}) };
  }

  /**
   * A row that could not be read (its errors are reported): it ends the record above it, and if it was a
   * pledge or amendment row, the target rows under it are left out without further complaint.
   */
  unreadable(raw: RawImportRow): ImportRecord | undefined {
    if (raw.kind === 'target') return undefined;
    const record = this.flush();
    this.broken = typeof raw.pledgeId === 'string' ? raw.pledgeId.trim() : undefined;
    return record;
  }

  flush(): ImportRecord | undefined {
    const current = this.current;
    this.current = undefined;
    if (!current) return undefined;
    return { ...current, hash: recordHash(current.head, current.targets) };
  }

  /** Distinct pledges seen. */
  get pledges(): number {
    return this.seen.size;
  }
}
