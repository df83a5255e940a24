import type { PledgeSummary } from '../pledge-summary';

const MS_PER_DAY = 86_400_000;

/**
 * The first instant after `now` at which summarising the same pledges again can give other numbers: an active
 * pledge falling silent for longer than `lapseAfterDays` (it becomes lapsed), or the deadline of a target not
 * reached passing (it becomes overdue). Everything else in a report changes only with new events, so a report
 * computed at `now` stays true until then for the events it reflects. Null when time alone changes nothing.
 */
export function reportValidUntil(
  summaries: Iterable<PledgeSummary>,
  now: Date,
  lapseAfterDays: number,
): string | null {
  const validity = new ReportValidity(now, lapseAfterDays);
  for (const summary of summaries) validity.add(summary);
  return validity.until;
}

/** `reportValidUntil`, one summary at a time (for reports built while streaming a read model). */
export class ReportValidity {
  private first = Infinity;
  private readonly from: number;

  constructor(
    now: Date,
    private readonly lapseAfterDays: number,
  ) {
    this.from = now.getTime();
  }

  add(summary: PledgeSummary): void {
    for (const transition of upcomingTransitions(summary, this.lapseAfterDays)) this.consider(transition.at);
  }

  get until(): string | null {
    return Number.isFinite(this.first) ? new Date(this.first).toISOString() : null;
  }

  private consider(instant: number): void {
    if (instant > this.from && instant < this.first) this.first = instant;
  }
}

/** A change time alone makes to a pledge's summary: it lapses, or `targets` of its targets become overdue. */
export interface SummaryTransition {
  at: number;
  kind: 'lapse' | 'overdue';
  targets: number;
}

/**
 * Every change time alone will make to `summary` (computed at some instant) if no event comes: at most one
 * lapse (an active pledge silent for strictly more than `lapseAfterDays`, see summarisePledge) and the overdue
 * start of each target not reached (the first UTC day after its deadline). Instants may lie before the time
 * asked about; callers keep those after it.
 */
export function upcomingTransitions(summary: PledgeSummary, lapseAfterDays: number): SummaryTransition[] {
  const transitions: SummaryTransition[] = [];
  if (summary.status === 'active') {
    const at =
      Date.parse(summary.progressClock ?? summary.lastProgressAt ?? summary.submittedAt) +
      lapseAfterDays * MS_PER_DAY +
      1;
    transitions.push({ at, kind: 'lapse', targets: 0 });
  }
  const overdue = new Map<number, number>();
  for (const target of summary.targets) {
    if (target.reached || target.overdue) continue;
    const at = Date.parse(`${target.deadline}T00:00:00Z`) + MS_PER_DAY;
    overdue.set(at, (overdue.get(at) ?? 0) + 1);
  }
  for (const [at, targets] of overdue) transitions.push({ at, kind: 'overdue', targets });
  return transitions;
}
