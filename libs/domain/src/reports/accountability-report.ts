import { ActionCatalogue } from '../action-frameworks';
import type { PledgeSummary } from '../pledge-summary';
import { compareCodeUnits } from './code-unit-order';
import { sumDecimals } from './decimal-sum';
import {
  actionLabel,
  actorTypeLabel,
  countryLabel,
  frameworkLabel,
  GLOBAL_GROUP_KEY,
  regionLabel,
  UNSPECIFIED_GROUP_KEY,
} from './report-labels';

// Accountability reports: pledge summaries grouped by who pledged, where and what. Pure, and independent of
// the order of its input, so a projection rebuilt from the log gives a deep-equal report.

export type ReportDimension = 'actor' | 'actor-type' | 'country' | 'region' | 'framework' | 'action';

export const REPORT_DIMENSIONS: readonly ReportDimension[] = Object.freeze([
  'actor',
  'actor-type',
  'country',
  'region',
  'framework',
  'action',
] as const);

export function isReportDimension(value: unknown): value is ReportDimension {
  return typeof value === 'string' && (REPORT_DIMENSIONS as readonly string[]).includes(value);
}

export interface TargetTally {
  total: number;
  reached: number;
  /** Not reached, on the straight line from baseline to target. */
  onTrack: number;
  /** Not reached, behind the straight line. */
  offTrack: number;
  /** No progress reported yet. */
  noProgress: number;
  /** Deadline passed, not reached; counted whatever the other columns say. */
  overdue: number;
}

export interface CurrencyTotal {
  currency: string;
  amount: number;
  /** Pledges committing money in this currency. */
  pledges: number;
}

export interface ReportGroup {
  key: string;
  label: string;
  pledges: number;
  /** Lapsed and withdrawn pledges stay in the report, counted as such. */
  byStatus: { active: number; lapsed: number; fulfilled: number; withdrawn: number };
  /** One total per currency, never converted or summed across currencies; sorted by currency. Every pledge
   *  of the group counts, whatever its status: `byStatus` says how many of them are withdrawn or lapsed. */
  financialCommitments: CurrencyTotal[];
  targets: TargetTally;
  wateredDownPledges: number;
  /** Pledges whose submission came in through an import of earlier records (summary provenance 'imported');
   *  the others were submitted through the API. Counted whatever their status. */
  imported: number;
  /**
   * `confirmed`/`disputed`/`unverified`: the latest verification of each pledge as a whole.
   * `pledgesWithDisputes`: pledges with a dispute of the pledge or of any of its progress reports.
   * `recorded`: every verification recorded, of pledges and of their progress reports.
   */
  verification: {
    confirmed: number;
    disputed: number;
    unverified: number;
    pledgesWithDisputes: number;
    recorded: { confirmed: number; disputed: number };
  };
}

export interface AccountabilityReport {
  dimension: ReportDimension;
  groups: ReportGroup[];
  /** Key 'all': every pledge counted once. */
  totals: ReportGroup;
  note?: string;
}

export const REPORT_TOTALS_KEY = 'all';

const MULTI_KEY_NOTES: Partial<Record<ReportDimension, string>> = {
  country:
    'A pledge naming several countries counts in each of their groups, so the groups can add up to more ' +
    'than the totals. Pledges naming no country are grouped as "global" when worldwide, else "unspecified".',
  region:
    'A pledge naming several regions counts in each of their groups, so the groups can add up to more ' +
    'than the totals. Pledges naming no region are grouped as "global" when worldwide, else "unspecified".',
  framework:
    'A pledge tagged with actions of several frameworks counts in each of their groups, so the groups can ' +
    'add up to more than the totals.',
  action:
    'A pledge tagged with several actions counts in each of their groups, so the groups can add up to more ' +
    'than the totals.',
};

/**
 * Groups `summaries` by `dimension`. A pledge appearing more than once in the input (by pledge id) is counted
 * once, at its highest version. `catalogue` names frameworks and actions; the built-in one by default.
 */
export function buildAccountabilityReport(
  dimension: ReportDimension,
  summaries: readonly PledgeSummary[],
  catalogue: ActionCatalogue = new ActionCatalogue(),
): AccountabilityReport {
  const builder = new AccountabilityReportBuilder(dimension, catalogue);
  for (const summary of latestOfEachPledge(summaries)) builder.add(summary);
  return builder.build();
}

/**
 * The same report, built one summary at a time: it keeps a tally per group, not the summaries, so a report
 * over a large read model can be computed while streaming it. Each pledge must be added once.
 */
export class AccountabilityReportBuilder {
  private readonly groups = new Map<string, GroupTally>();
  private readonly totals = new GroupTally();

  constructor(
    readonly dimension: ReportDimension,
    private readonly catalogue: ActionCatalogue = new ActionCatalogue(),
  ) {}

  add(summary: PledgeSummary): void {
    this.totals.add(summary);
    for (const key of reportGroupKeys(this.dimension, summary)) {
      let group = this.groups.get(key);
      if (!group) {
        group = new GroupTally();
        this.groups.set(key, group);
      }
      group.add(summary);
    }
  }

  build(): AccountabilityReport {
    const groups = [...this.groups].map(([key, group]) =>
      group.result(key, groupLabel(this.dimension, key, group, this.catalogue)),
    );
    groups.sort((a, b) => b.pledges - a.pledges || compareCodeUnits(a.key, b.key));
    const report: AccountabilityReport = {
      dimension: this.dimension,
      groups,
      totals: this.totals.result(REPORT_TOTALS_KEY, 'All pledges'),
    };
    const note = MULTI_KEY_NOTES[this.dimension];
    if (note !== undefined) report.note = note;
    return report;
  }
}

/** The groups one pledge belongs to, each once. */
export function reportGroupKeys(dimension: ReportDimension, summary: PledgeSummary): string[] {
  const { actor, terms } = summary;
  switch (dimension) {
    case 'actor':
      return [actor.id];
    case 'actor-type':
      return [actor.type];
    case 'country':
      return placeKeys(terms.countries, terms.global);
    case 'region':
      return placeKeys(terms.regions, terms.global);
    case 'framework':
      return orUnspecified(distinct(terms.actions.map((ref) => ref.framework)));
    case 'action':
      return orUnspecified(distinct(terms.actions.map((ref) => `${ref.framework}/${ref.action}`)));
    default: {
      const unknown: never = dimension;
      throw new RangeError(`Unknown report dimension "${String(unknown)}"`);
    }
  }
}

function placeKeys(places: readonly string[], global: boolean): string[] {
  if (places.length > 0) return distinct(places);
  return [global ? GLOBAL_GROUP_KEY : UNSPECIFIED_GROUP_KEY];
}

function orUnspecified(keys: string[]): string[] {
  return keys.length > 0 ? keys : [UNSPECIFIED_GROUP_KEY];
}

function distinct(keys: readonly string[]): string[] {
  return [...new Set(keys)];
}

function groupLabel(
  dimension: ReportDimension,
  key: string,
  group: GroupTally,
  catalogue: ActionCatalogue,
): string {
  switch (dimension) {
    case 'actor':
      return group.latestActorName;
    case 'actor-type':
      return actorTypeLabel(key);
    case 'country':
      return countryLabel(key);
    case 'region':
      return regionLabel(key);
    case 'framework':
      return frameworkLabel(key, catalogue);
    case 'action':
      return actionLabel(key, catalogue);
  }
}

/** The running tally of one group (or of all pledges). */
class GroupTally {
  private pledges = 0;
  private readonly byStatus = { active: 0, lapsed: 0, fulfilled: 0, withdrawn: 0 };
  private readonly targets: TargetTally = {
    total: 0,
    reached: 0,
    onTrack: 0,
    offTrack: 0,
    noProgress: 0,
    overdue: 0,
  };
  private readonly verification = { confirmed: 0, disputed: 0, unverified: 0, pledgesWithDisputes: 0 };
  private readonly recorded = { confirmed: 0, disputed: 0 };
  private readonly amounts = new Map<string, number[]>();
  private wateredDownPledges = 0;
  private imported = 0;
  /** An actor may be renamed between pledges: the name on its most recently submitted pledge wins. */
  private latest?: { submittedAt: string; pledgeId: string; name: string };

  get latestActorName(): string {
    return this.latest?.name ?? '';
  }

  add(summary: PledgeSummary): void {
    this.pledges += 1;
    this.byStatus[summary.status] += 1;
    this.verification[summary.verification] += 1;
    const counts = summary.verificationCounts ?? { confirmed: 0, disputed: 0 };
    this.recorded.confirmed += counts.confirmed;
    this.recorded.disputed += counts.disputed;
    if (counts.disputed > 0) this.verification.pledgesWithDisputes += 1;
    if (summary.wateredDown) this.wateredDownPledges += 1;
    if (summary.provenance === 'imported') this.imported += 1;
    for (const target of summary.targets) {
      this.targets.total += 1;
      if (target.reached) this.targets.reached += 1;
      else if (target.onTrack === true) this.targets.onTrack += 1;
      else if (target.onTrack === false) this.targets.offTrack += 1;
      else this.targets.noProgress += 1;
      if (target.overdue) this.targets.overdue += 1;
    }
    const money = summary.terms.financialCommitment;
    if (money) {
      const values = this.amounts.get(money.currency);
      if (values) values.push(money.amount);
      else this.amounts.set(money.currency, [money.amount]);
    }
    const latest = this.latest;
    if (
      !latest ||
      compareCodeUnits(summary.submittedAt, latest.submittedAt) > 0 ||
      (summary.submittedAt === latest.submittedAt && compareCodeUnits(summary.pledgeId, latest.pledgeId) > 0)
    ) {
      this.latest = {
        submittedAt: summary.submittedAt,
        pledgeId: summary.pledgeId,
        name: summary.actor.name,
      };
    }
  }

  result(key: string, label: string): ReportGroup {
    const financialCommitments = [...this.amounts]
      .sort(([a], [b]) => compareCodeUnits(a, b))
      .map(([currency, values]) => ({ currency, amount: sumDecimals(values), pledges: values.length }));
    return {
      key,
      label,
      pledges: this.pledges,
      byStatus: { ...this.byStatus },
      financialCommitments,
      targets: { ...this.targets },
      wateredDownPledges: this.wateredDownPledges,
      imported: this.imported,
      verification: { ...this.verification, recorded: { ...this.recorded } },
    };
  }
}

function latestOfEachPledge(summaries: readonly PledgeSummary[]): PledgeSummary[] {
  const byId = new Map<string, PledgeSummary>();
  for (const summary of summaries) {
    const seen = byId.get(summary.pledgeId);
    if (!seen || summary.version > seen.version) byId.set(summary.pledgeId, summary);
  }
  return [...byId.values()];
}

/**
 * A change time alone makes to a report: at `at`, a pledge of `groups` (and of the totals) lapses (one more
 * lapsed, one fewer active), or `targets` of its targets become overdue.
 */
export interface ReportTransition {
  at: string;
  kind: 'lapse' | 'overdue';
  targets: number;
  groups: string[];
}

/**
 * `report` as time alone makes it at `now`: the transitions up to `now` applied (to a copy). A report computed
 * at t with the transitions its pledges make after t is, at any later instant before their next event, the
 * report computed then: lapsing and passing deadlines change nothing else. `next`: the first transition
 * still to come.
 */
export function reportAt(
  report: AccountabilityReport,
  transitions: readonly ReportTransition[],
  now: Date,
): { report: AccountabilityReport; next: string | null } {
  const due = transitions.filter((t) => Date.parse(t.at) <= now.getTime());
  const coming = transitions.filter((t) => Date.parse(t.at) > now.getTime());
  const next = coming.reduce<string | null>((min, t) => (min === null || t.at < min ? t.at : min), null);
  if (due.length === 0) return { report, next };
  const copy = structuredClone(report);
  const byKey = new Map(copy.groups.map((group) => [group.key, group]));
  const apply = (group: ReportGroup | undefined, transition: ReportTransition) => {
    if (!group) return;
    if (transition.kind === 'lapse') {
      group.byStatus.active -= 1;
      group.byStatus.lapsed += 1;
    } else group.targets.overdue += transition.targets;
  };
  for (const transition of due) {
    apply(copy.totals, transition);
    for (const key of transition.groups) apply(byKey.get(key), transition);
  }
  return { report: copy, next };
}
