import { summarisePledge } from '../pledge-summary';
import { foldPledge } from '../pledge.evolve';
import {
  aReductionTarget,
  aTarget,
  NOW,
  pledgeSubmitted,
  pledgeWithdrawn,
  progressReported,
  someTerms,
} from '../testing/pledge-fixtures';
import type { PledgeEvent } from '../pledge.events';
import {
  buildAccountabilityReport,
  REPORT_DIMENSIONS,
  ReportDimension,
  reportAt,
  reportGroupKeys,
  ReportTransition,
} from './accountability-report';
import { reportValidUntil, upcomingTransitions } from './report-validity';
import { LAPSE_AFTER_DAYS, summaryOf } from './summary-fixtures';

const at = (instant: string | number) => new Date(instant);

/** Three pledges whose lapses and deadlines fall at different times (lapsing after 200 days), summarised at `now`. */
function threePledgesAt(now: Date) {
  const events: PledgeEvent[][] = [
    [pledgeSubmitted(someTerms({ targets: [aTarget({ deadline: '2025-08-15' })] }))],
    [pledgeSubmitted(someTerms(), '2025-03-01T00:00:00.000Z')],
    [pledgeSubmitted(), progressReported({ asOf: '2025-04-30', reportedAt: '2025-05-01T00:00:00.000Z' })],
  ];
  return events.map((stream, i) =>
    summarisePledge(
      foldPledge([
        { ...stream[0], data: { ...(stream[0].data as object), pledgeId: `p${i}` } } as PledgeEvent,
        ...stream.slice(1),
      ]),
      { now, lapseAfterDays: 200 },
    ),
  );
}

describe('reportValidUntil', () => {
  it('is when an active pledge without progress lapses, if no deadline passes first', () => {
    // Submitted 2025-01-10T09:00Z; deadlines 2026-12-31 and 2027-12-31.
    expect(reportValidUntil([summaryOf()], NOW, LAPSE_AFTER_DAYS)).toBe('2026-01-10T09:00:00.001Z');
  });

  it('counts the silence from the latest as-of date of progress, not from when it was sent', () => {
    const summary = summaryOf({
      then: [progressReported({ asOf: '2025-03-31', reportedAt: '2025-04-05T10:00:00.000Z' })],
    });
    expect(summary.progressClock).toBe('2025-03-31T23:59:59.999Z');
    expect(reportValidUntil([summary], NOW, LAPSE_AFTER_DAYS)).toBe(
      new Date(Date.parse('2025-03-31T23:59:59.999Z') + 365 * 86_400_000 + 1).toISOString(),
    );
  });

  it('is the day after the deadline of a target not yet reached, when that comes first', () => {
    const summary = summaryOf({
      terms: { targets: [aTarget({ deadline: '2025-09-30' }), aReductionTarget()] },
    });
    expect(reportValidUntil([summary], NOW, LAPSE_AFTER_DAYS)).toBe('2025-10-01T00:00:00.000Z');
  });

  it('ignores reached targets, overdue targets and the lapse of pledges that are no longer active', () => {
    const withdrawn = summaryOf({
      terms: { targets: [aTarget({ deadline: '2025-09-30' })] },
      then: [
        progressReported({ value: 10000, asOf: '2025-05-01', reportedAt: '2025-05-02T00:00:00.000Z' }),
        pledgeWithdrawn(),
      ],
    });
    expect(withdrawn.targets[0].reached).toBe(true);
    expect(reportValidUntil([withdrawn], NOW, LAPSE_AFTER_DAYS)).toBeNull();

    const overdue = summaryOf({
      terms: { targets: [aTarget({ deadline: '2025-01-31' })] },
      then: [pledgeWithdrawn()],
    });
    expect(overdue.targets[0].overdue).toBe(true);
    expect(reportValidUntil([overdue], NOW, LAPSE_AFTER_DAYS)).toBeNull();
  });

  it('is the earliest over many pledges, and null for none', () => {
    const late = summaryOf({ id: 'late', submittedAt: '2025-06-01T00:00:00.000Z' });
    const early = summaryOf({ id: 'early', terms: { targets: [aTarget({ deadline: '2025-07-31' })] } });
    expect(reportValidUntil([late, early], NOW, LAPSE_AFTER_DAYS)).toBe('2025-08-01T00:00:00.000Z');
    expect(reportValidUntil([], NOW, LAPSE_AFTER_DAYS)).toBeNull();
  });

  it('every report is the same just before it and differs from it on', () => {
    const summariesAt = threePledgesAt;
    let now = NOW;
    const steps: string[] = [];
    for (let until = reportValidUntil(summariesAt(now), now, 200); until;) {
      steps.push(until);
      const justBefore = at(Date.parse(until) - 1);
      for (const dimension of REPORT_DIMENSIONS) {
        expect(buildAccountabilityReport(dimension, summariesAt(justBefore))).toEqual(
          buildAccountabilityReport(dimension, summariesAt(now)),
        );
      }
      expect(buildAccountabilityReport('actor', summariesAt(at(until)))).not.toEqual(
        buildAccountabilityReport('actor', summariesAt(now)),
      );
      now = at(until);
      until = reportValidUntil(summariesAt(now), now, 200);
    }
    // Three lapses and three deadlines (two pledges share theirs), in time order.
    expect(steps).toEqual([
      '2025-07-29T09:00:00.001Z',
      '2025-08-16T00:00:00.000Z',
      '2025-09-17T00:00:00.001Z',
      expect.stringMatching(/^2025-11-17T/),
      '2027-01-01T00:00:00.000Z',
      '2028-01-01T00:00:00.000Z',
    ]);
  });
  it('a report with the transitions of its pledges applied is the report computed later (reportAt)', () => {
    const summariesAt = threePledgesAt;
    const compiledAt = NOW;
    const transitionsOf = (dimension: ReportDimension): ReportTransition[] =>
      summariesAt(compiledAt).flatMap((summary) =>
        upcomingTransitions(summary, 200)
          .filter((t) => t.at > compiledAt.getTime())
          .map((t) => ({
            at: new Date(t.at).toISOString(),
            kind: t.kind,
            targets: t.targets,
            groups: reportGroupKeys(dimension, summary),
          })),
      );
    for (const later of [
      '2025-07-29T09:00:00.001Z',
      '2025-09-20T00:00:00.000Z',
      '2028-06-01T00:00:00.000Z',
    ]) {
      for (const dimension of REPORT_DIMENSIONS) {
        const compiled = buildAccountabilityReport(dimension, summariesAt(compiledAt));
        const { report, next } = reportAt(compiled, transitionsOf(dimension), at(later));
        expect(report).toEqual(buildAccountabilityReport(dimension, summariesAt(at(later))));
        expect(next).toBe(reportValidUntil(summariesAt(at(later)), at(later), 200));
      }
    }
  });
});
