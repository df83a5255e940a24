import type { Actor } from './actor';
import { calendarDateOf, daysBetween } from './calendar-date';
import { DomainError, DomainErrorCode } from './domain-error';
import { isReductionTarget, type PledgeTerms, type Target } from './pledge-terms';
import type { VerificationOutcome } from './pledge.events';
import type { PledgeState, ProgressReportState, VerificationState } from './pledge.state';
import type { WateringDownFinding } from './watering-down';

// Report maths for one pledge, pure so that a projection rebuilt from the log gives the same numbers.

export type VerificationView = 'unverified' | VerificationOutcome;

export interface TargetProgress {
  targetId: string;
  indicator: string;
  unit: string;
  baseline: number;
  targetValue: number;
  deadline: string;
  /** 'reduction' when the target value is below the baseline (e.g. a gap to close). */
  direction: 'increase' | 'reduction';
  /** Date (YYYY-MM-DD) from which progress is expected: submission, or the amendment that added the target. */
  since: string;
  /** Latest non-superseded report by as-of date (ties: the later recorded). */
  latestReportId?: string;
  latestValue?: number;
  latestAsOf?: string;
  /** (latest - baseline) / (target - baseline): 0 at the baseline, 1 at the target, above 1 beyond it,
   *  never below 0 (moving the wrong way counts as no progress); null without progress. */
  shareReached: number | null;
  /** The latest value is at or past the target value, in the target's direction. */
  reached: boolean;
  /** Reached, or the share reached is at least the share of time elapsed (since → deadline) at the latest
   *  as-of date: a straight line from baseline to target. Null without progress. */
  onTrack: boolean | null;
  /** The deadline is before today (UTC) and the target is not reached. */
  overdue: boolean;
  /** Latest verification of the latest report. */
  latestVerification: VerificationView;
}

export type PledgeStatusView = 'active' | 'lapsed' | 'fulfilled' | 'withdrawn';

export interface PledgeSummary {
  pledgeId: string;
  actor: Actor;
  terms: PledgeTerms;
  /** 'lapsed': active, but silent for more than `lapseAfterDays` since `progressClock`. */
  status: PledgeStatusView;
  targets: TargetProgress[];
  /** When progress (report or correction) was last declared: the time it was sent, not its as-of date. */
  lastProgressAt?: string;
  /**
   * The effective instant a lapse counts from: the end of the latest as-of day of any progress report, or the
   * submission when that is later (or there is no report). Effective dates, not recording times: a pledge
   * imported with reports up to 2019 is lapsed today although the ledger recorded it this morning.
   */
  progressClock: string;
  /** 'imported' when the pledge was made elsewhere and its submission came in through an import. */
  provenance: 'imported' | 'direct';
  /** How many of its events an import brought in. */
  importedEvents: number;
  /** The sources those events came from. */
  importSources: string[];
  /** Latest verification of the pledge as a whole (not of a single report). */
  verification: VerificationView;
  /** All verifications recorded, of the pledge and of its reports. */
  verificationCounts: { confirmed: number; disputed: number };
  wateringDown: WateringDownFinding[];
  wateredDown: boolean;
  amendments: number;
  version: number;
  submittedAt: string;
  fulfilledAt?: string;
  withdrawnAt?: string;
}

export interface SummaryOptions {
  now: Date;
  lapseAfterDays: number;
}

/** What the report maths reads of a progress report: not its text (narrative, evidence, correction reason). */
export type SummarisedReport = Omit<ProgressReportState, 'narrative' | 'evidence' | 'correctionReason'>;

/** A pledge's state as the report maths needs it: a full PledgeState, or one whose reports lack their text. */
export type SummarisableState = Omit<PledgeState, 'progressReports'> & {
  progressReports: readonly SummarisedReport[];
};

/**
 * The state without the text of its progress reports, which the summary never reads and the event store keeps:
 * a read model that stores this writes a fraction of the bytes per event (the text is most of a report).
 */
export function withoutReportText(state: SummarisableState): SummarisableState {
  return {
    ...state,
    progressReports: state.progressReports.map((report) => {
      const { reportId, targetId, value, asOf, recordedAt, supersededBy, corrects } = report;
      return {
        reportId,
        targetId,
        value,
        asOf,
        recordedAt,
        ...(supersededBy !== undefined ? { supersededBy } : {}),
        ...(corrects !== undefined ? { corrects } : {}),
      };
    }),
  };
}

const MS_PER_DAY = 86_400_000;
// Shares are ratios of floating-point differences; a hair's breadth must not flip "on track".
const EPSILON = 1e-9;

export function summarisePledge(state: SummarisableState, opts: SummaryOptions): PledgeSummary {
  if (!state.exists || !state.pledgeId || !state.actor || !state.terms || !state.submittedAt) {
    throw new DomainError(
      DomainErrorCode.PledgeNotFound,
      'Cannot summarise a pledge that was never submitted',
    );
  }
  const { submittedAt } = state;
  const today = calendarDateOf(opts.now);
  const lastProgressAt = latestInstant(state.progressReports.map((report) => report.recordedAt));
  const clock = progressClock(state);
  const summary: PledgeSummary = {
    pledgeId: state.pledgeId,
    actor: state.actor,
    terms: state.terms,
    status: statusView(state, clock, opts),
    targets: state.terms.targets.map((target) =>
      targetProgress(target, state, state.targetsSince[target.id] ?? submittedAt, today),
    ),
    verification: latestOutcome(state.verifications.filter((v) => v.reportId === undefined)),
    verificationCounts: {
      confirmed: state.verifications.filter((v) => v.outcome === 'confirmed').length,
      disputed: state.verifications.filter((v) => v.outcome === 'disputed').length,
    },
    wateringDown: state.wateringDown,
    wateredDown: state.wateringDown.length > 0,
    amendments: state.amendments,
    version: state.version,
    submittedAt,
    progressClock: clock,
    provenance: state.importedSubmission ? 'imported' : 'direct',
    importedEvents: state.importedEvents ?? 0,
    importSources: state.importSources ?? [],
  };
  if (lastProgressAt !== undefined) summary.lastProgressAt = lastProgressAt;
  if (state.fulfilledAt !== undefined) summary.fulfilledAt = state.fulfilledAt;
  if (state.withdrawnAt !== undefined) summary.withdrawnAt = state.withdrawnAt;
  return summary;
}

/**
 * The effective instant an active pledge's silence is counted from (see PledgeSummary.progressClock): the last
 * millisecond of the latest as-of date among its progress reports, or its submission when later.
 */
export function progressClock(state: Pick<SummarisableState, 'submittedAt' | 'progressReports'>): string {
  let latestAsOf: string | undefined;
  for (const report of state.progressReports)
    if (latestAsOf === undefined || report.asOf > latestAsOf) latestAsOf = report.asOf;
  const submittedAt = state.submittedAt!;
  if (latestAsOf === undefined) return submittedAt;
  const endOfDay = `${latestAsOf}T23:59:59.999Z`;
  return Date.parse(endOfDay) > Date.parse(submittedAt) ? endOfDay : submittedAt;
}

function statusView(
  state: SummarisableState,
  lastActivityAt: string,
  opts: SummaryOptions,
): PledgeStatusView {
  if (state.status === 'fulfilled' || state.status === 'withdrawn') return state.status;
  const silentForMs = opts.now.getTime() - Date.parse(lastActivityAt);
  return silentForMs > opts.lapseAfterDays * MS_PER_DAY ? 'lapsed' : 'active';
}

function targetProgress(
  target: Target,
  state: SummarisableState,
  sinceInstant: string,
  today: string,
): TargetProgress {
  const reduction = isReductionTarget(target);
  const latest = latestReport(
    state.progressReports.filter((r) => r.targetId === target.id && !r.supersededBy),
  );
  const since = calendarDateOf(sinceInstant);
  const progress: TargetProgress = {
    targetId: target.id,
    indicator: target.indicator,
    unit: target.unit,
    baseline: target.baseline,
    targetValue: target.targetValue,
    deadline: target.deadline,
    direction: reduction ? 'reduction' : 'increase',
    since,
    shareReached: null,
    reached: false,
    onTrack: null,
    overdue: target.deadline < today,
    latestVerification: 'unverified',
  };
  if (!latest) return progress;

  const share = Math.max(0, (latest.value - target.baseline) / (target.targetValue - target.baseline));
  const reached = reduction ? latest.value <= target.targetValue : latest.value >= target.targetValue;
  const span = daysBetween(since, target.deadline);
  const expectedShare = span <= 0 ? 1 : Math.min(1, Math.max(0, daysBetween(since, latest.asOf) / span));
  return {
    ...progress,
    latestReportId: latest.reportId,
    latestValue: latest.value,
    latestAsOf: latest.asOf,
    shareReached: share,
    reached,
    onTrack: reached || share + EPSILON >= expectedShare,
    overdue: progress.overdue && !reached,
    latestVerification: latestOutcome(state.verifications.filter((v) => v.reportId === latest.reportId)),
  };
}

/** Most recent by as-of date; on the same date the later recorded wins (reports are in recording order). */
function latestReport(reports: readonly SummarisedReport[]): SummarisedReport | undefined {
  return reports.reduce<SummarisedReport | undefined>((best, report) => {
    if (!best || report.asOf > best.asOf) return report;
    if (report.asOf === best.asOf && Date.parse(report.recordedAt) >= Date.parse(best.recordedAt))
      return report;
    return best;
  }, undefined);
}

function latestOutcome(verifications: VerificationState[]): VerificationView {
  return verifications.length === 0 ? 'unverified' : verifications[verifications.length - 1].outcome;
}

function latestInstant(instants: string[]): string | undefined {
  return instants.reduce<string | undefined>(
    (latest, instant) =>
      latest === undefined || Date.parse(instant) > Date.parse(latest) ? instant : latest,
    undefined,
  );
}
