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
  const from = now.getTime();
  let first = Infinity;
  const consider = (instant: number) => {
    if (instant > from && instant < first) first = instant;
  };
  for (const summary of summaries) {
    if (summary.status === 'active') {
      // Lapsed once silent for strictly more than the period (see summarisePledge).
      consider(Date.parse(summary.lastProgressAt ?? summary.submittedAt) + lapseAfterDays * MS_PER_DAY + 1);
    }
    for (const target of summary.targets) {
      // Overdue from the first UTC day after the deadline.
      if (!target.reached && !target.overdue)
        consider(Date.parse(`${target.deadline}T00:00:00Z`) + MS_PER_DAY);
    }
  }
  return Number.isFinite(first) ? new Date(first).toISOString() : null;
}
