import type { AccountabilityReport, ReportGroup } from './accountability-report';
import { compareCodeUnits } from './code-unit-order';

// A report as flat rows, one per group and a last one for the totals, ready for CSV.

const FIXED_COLUMNS = [
  'dimension',
  'key',
  'label',
  'pledges',
  'active',
  'lapsed',
  'fulfilled',
  'withdrawn',
  'targets_total',
  'targets_reached',
  'targets_on_track',
  'targets_off_track',
  'targets_no_progress',
  'targets_overdue',
  'watered_down_pledges',
  'imported',
  'verified_confirmed',
  'verified_disputed',
  'unverified',
  'pledges_with_disputes',
  'verifications_recorded_confirmed',
  'verifications_recorded_disputed',
] as const;

const COMMITMENT_COLUMN_PREFIX = 'commitment_';

/** The columns of `reportRows`, in order: the fixed ones, then `commitment_<CUR>` for every currency in the
 *  report, sorted by currency. */
export function reportColumns(report: AccountabilityReport): string[] {
  return [
    ...FIXED_COLUMNS,
    ...reportCurrencies(report).map((currency) => COMMITMENT_COLUMN_PREFIX + currency),
  ];
}

/** One row per group, then the totals row (key 'all'); a currency a group has no commitment in shows 0. */
export function reportRows(report: AccountabilityReport): Record<string, string | number>[] {
  const currencies = reportCurrencies(report);
  return [...report.groups, report.totals].map((group) => row(report, group, currencies));
}

function row(
  report: AccountabilityReport,
  group: ReportGroup,
  currencies: readonly string[],
): Record<string, string | number> {
  const fixed: Record<(typeof FIXED_COLUMNS)[number], string | number> = {
    dimension: report.dimension,
    key: group.key,
    label: group.label,
    pledges: group.pledges,
    active: group.byStatus.active,
    lapsed: group.byStatus.lapsed,
    fulfilled: group.byStatus.fulfilled,
    withdrawn: group.byStatus.withdrawn,
    targets_total: group.targets.total,
    targets_reached: group.targets.reached,
    targets_on_track: group.targets.onTrack,
    targets_off_track: group.targets.offTrack,
    targets_no_progress: group.targets.noProgress,
    targets_overdue: group.targets.overdue,
    watered_down_pledges: group.wateredDownPledges,
    imported: group.imported,
    verified_confirmed: group.verification.confirmed,
    verified_disputed: group.verification.disputed,
    unverified: group.verification.unverified,
    pledges_with_disputes: group.verification.pledgesWithDisputes,
    verifications_recorded_confirmed: group.verification.recorded.confirmed,
    verifications_recorded_disputed: group.verification.recorded.disputed,
  };
  const commitments = Object.fromEntries(
    currencies.map((currency) => [
      COMMITMENT_COLUMN_PREFIX + currency,
      group.financialCommitments.find((total) => total.currency === currency)?.amount ?? 0,
    ]),
  );
  return { ...fixed, ...commitments };
}

function reportCurrencies(report: AccountabilityReport): string[] {
  const currencies = new Set<string>();
  for (const group of [...report.groups, report.totals]) {
    group.financialCommitments.forEach((total) => currencies.add(total.currency));
  }
  return [...currencies].sort(compareCodeUnits);
}
