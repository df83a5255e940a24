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
    if (summary.status === 'active') {
      // Lapsed once silent for strictly more than the period (see summarisePledge).
      this.consider(
        Date.parse(summary.lastProgressAt ?? summary.submittedAt) + this.lapseAfterDays * MS_PER_DAY + 1,
      );
    }
    for (const target of summary.targets) {
      // Overdue from the first UTC day after the deadline.
      if (!target.reached && !target.overdue)
        this.consider(Date.parse(`${target.deadline}T00:00:00Z`) + MS_PER_DAY);
    }
  }

  get until(): string | null {
    return Number.isFinite(this.first) ? new Date(this.first).toISOString() : null;
  }

  private consider(instant: number): void {
    if (instant > this.from && instant < this.first) this.first = instant;
  }
}
