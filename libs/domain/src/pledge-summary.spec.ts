import { DomainError } from './domain-error';
import { summarisePledge, withoutReportText, type PledgeSummary } from './pledge-summary';
import type { PledgeEvent } from './pledge.events';
import { evolve, foldPledge } from './pledge.evolve';
import type { PledgeState } from './pledge.state';
import {
  NOW,
  PLEDGE_ID,
  SUBMITTED_AT,
  aReductionTarget,
  aTarget,
  pledgeFulfilled,
  pledgeSubmitted,
  pledgeWithdrawn,
  progressCorrected,
  progressReported,
  someTerms,
  verificationRecorded,
} from './testing/pledge-fixtures';

// Submitted 2025-01-10; 'women-trained' 0 → 10000 people by 2026-12-31 (720 days);
// 'internet-gap' 20 → 10 percentage points by 2027-12-31 (1085 days). Now is 2025-06-15.
const summarise = (events: PledgeEvent[], now = NOW, lapseAfterDays = 180): PledgeSummary =>
  summarisePledge(foldPledge(events), { now, lapseAfterDays });

const IMPORTED = {
  kind: 'import' as const,
  importId: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b',
  source: { name: 'WSIS stocktaking (spreadsheet)', retrievedOn: '2026-11-30' },
  originalAuthor: 'Focal point, Ministry of ICT',
  sourceRef: 'KE-2016-004',
  row: 1,
  rowHash: 'a'.repeat(64),
};

const target = (summary: PledgeSummary, id: string) => summary.targets.find((t) => t.targetId === id)!;

const gapReport = (value: number, asOf = '2025-06-01', reportId = `gap-${value}`) =>
  progressReported({
    reportId,
    targetId: 'internet-gap',
    value,
    asOf,
    reportedAt: '2025-06-05T00:00:00.000Z',
  });

describe('summarisePledge', () => {
  it('describes a fresh pledge: every target without progress, unverified, not watered down', () => {
    const summary = summarise([pledgeSubmitted()]);
    expect(summary).toEqual({
      pledgeId: PLEDGE_ID,
      actor: expect.objectContaining({ id: 'org-kenya-ict' }),
      terms: someTerms(),
      status: 'active',
      targets: [
        {
          targetId: 'women-trained',
          indicator: aTarget().indicator,
          unit: 'people',
          baseline: 0,
          targetValue: 10000,
          deadline: '2026-12-31',
          direction: 'increase',
          since: '2025-01-10',
          shareReached: null,
          reached: false,
          onTrack: null,
          overdue: false,
          latestVerification: 'unverified',
        },
        expect.objectContaining({ targetId: 'internet-gap', direction: 'reduction', shareReached: null }),
      ],
      verification: 'unverified',
      verificationCounts: { confirmed: 0, disputed: 0 },
      wateringDown: [],
      wateredDown: false,
      amendments: 0,
      version: 1,
      submittedAt: SUBMITTED_AT,
      progressClock: SUBMITTED_AT,
      provenance: 'direct',
      importedEvents: 0,
      importSources: [],
    });
  });

  it('refuses a pledge that was never submitted', () => {
    expect(() => summarise([])).toThrow(DomainError);
  });

  describe('increase targets', () => {
    it('measures the share of the way from baseline to target and compares it with time elapsed', () => {
      // 2500 of 10000 (25 %) after 80 of 720 days (11 %): ahead of the straight line.
      const t = target(summarise([pledgeSubmitted(), progressReported()]), 'women-trained');
      expect(t).toMatchObject({
        latestReportId: 'report-1',
        latestValue: 2500,
        latestAsOf: '2025-03-31',
        shareReached: 0.25,
        reached: false,
        onTrack: true,
        overdue: false,
      });
    });

    it('is behind when the share reached trails the time elapsed', () => {
      // 500 of 10000 (5 %) after 156 of 720 days (22 %).
      const t = target(
        summarise([pledgeSubmitted(), progressReported({ value: 500, asOf: '2025-06-15' })]),
        'women-trained',
      );
      expect(t).toMatchObject({ shareReached: 0.05, onTrack: false });
    });

    it('reports shares above 1 when the target is exceeded', () => {
      const t = target(summarise([pledgeSubmitted(), progressReported({ value: 12000 })]), 'women-trained');
      expect(t).toMatchObject({ shareReached: 1.2, reached: true, onTrack: true });
    });
  });

  describe('reduction targets (a gap to close)', () => {
    it('counts a falling value as progress', () => {
      // gap 20 → 17.5 is 25 % of the way to 10, after 142 of 1085 days.
      const t = target(summarise([pledgeSubmitted(), gapReport(17.5)]), 'internet-gap');
      expect(t).toMatchObject({ direction: 'reduction', shareReached: 0.25, reached: false, onTrack: true });
    });

    it('clamps a widening gap to no progress, never a negative share', () => {
      const t = target(summarise([pledgeSubmitted(), gapReport(23)]), 'internet-gap');
      expect(t).toMatchObject({ shareReached: 0, reached: false, onTrack: false });
    });

    it('is reached at or below the target value', () => {
      expect(target(summarise([pledgeSubmitted(), gapReport(10)]), 'internet-gap')).toMatchObject({
        shareReached: 1,
        reached: true,
      });
      expect(target(summarise([pledgeSubmitted(), gapReport(8)]), 'internet-gap')).toMatchObject({
        shareReached: 1.2,
        reached: true,
      });
    });
  });

  describe('which report is the latest', () => {
    it('uses the correction, not the report it superseded', () => {
      const t = target(
        summarise([pledgeSubmitted(), progressReported(), progressCorrected()]),
        'women-trained',
      );
      expect(t).toMatchObject({ latestReportId: 'report-1-fix', latestValue: 2300, shareReached: 0.23 });
    });

    it('goes by as-of date, not by when the report was recorded', () => {
      const t = target(
        summarise([
          pledgeSubmitted(),
          progressReported({
            reportId: 'june',
            value: 4000,
            asOf: '2025-06-01',
            reportedAt: '2025-06-02T00:00:00Z',
          }),
          // recorded later, but about an earlier date: a late filing does not hide the newer figure
          progressReported({
            reportId: 'march',
            value: 2500,
            asOf: '2025-03-31',
            reportedAt: '2025-06-10T00:00:00Z',
          }),
        ]),
        'women-trained',
      );
      expect(t).toMatchObject({ latestReportId: 'june', latestValue: 4000 });
    });

    it('on the same as-of date, takes the later recorded', () => {
      const t = target(
        summarise([
          pledgeSubmitted(),
          progressReported({
            reportId: 'a',
            value: 3000,
            asOf: '2025-05-31',
            reportedAt: '2025-06-01T00:00:00Z',
          }),
          progressReported({
            reportId: 'b',
            value: 3100,
            asOf: '2025-05-31',
            reportedAt: '2025-06-03T00:00:00Z',
          }),
        ]),
        'women-trained',
      );
      expect(t.latestReportId).toBe('b');
    });

    it('falls back to an earlier report when the newest is corrected to an earlier date', () => {
      const t = target(
        summarise([
          pledgeSubmitted(),
          progressReported({ reportId: 'march', value: 2500, asOf: '2025-03-31' }),
          progressReported({ reportId: 'may', value: 3500, asOf: '2025-05-31' }),
          progressCorrected({
            reportId: 'may-fix',
            correctsReportId: 'may',
            value: 2000,
            asOf: '2025-02-28',
          }),
        ]),
        'women-trained',
      );
      expect(t).toMatchObject({ latestReportId: 'march', latestValue: 2500 });
    });
  });

  describe('deadlines', () => {
    const afterDeadline = new Date('2027-01-15T00:00:00Z');

    it('marks an unreached target overdue once its deadline has passed, and off track', () => {
      const t = target(
        summarise([pledgeSubmitted(), progressReported({ value: 9000, asOf: '2027-01-10' })], afterDeadline),
        'women-trained',
      );
      expect(t).toMatchObject({ overdue: true, onTrack: false, reached: false });
    });

    it('marks an unreached target without any progress overdue too', () => {
      expect(target(summarise([pledgeSubmitted()], afterDeadline), 'women-trained')).toMatchObject({
        overdue: true,
        onTrack: null,
      });
    });

    it('does not mark a reached target overdue', () => {
      const t = target(
        summarise([pledgeSubmitted(), progressReported({ value: 10000 })], afterDeadline),
        'women-trained',
      );
      expect(t).toMatchObject({ overdue: false, reached: true, onTrack: true });
    });

    it('is not overdue on the deadline day itself', () => {
      const onDeadline = new Date('2026-12-31T23:59:00Z');
      expect(target(summarise([pledgeSubmitted()], onDeadline), 'women-trained').overdue).toBe(false);
    });

    it('expects the full target at once when the deadline was already past at submission', () => {
      const terms = someTerms({ targets: [aTarget({ deadline: '2024-12-31' })] });
      const t = target(
        summarise([pledgeSubmitted(terms), progressReported({ value: 9999 })]),
        'women-trained',
      );
      expect(t).toMatchObject({ onTrack: false, overdue: true });
    });

    it('measures a target added by amendment from the amendment date', () => {
      const amended: PledgeEvent = {
        type: 'PledgeAmended',
        data: {
          pledgeId: PLEDGE_ID,
          reason: 'New mentoring strand',
          previous: { targets: someTerms().targets },
          changes: {
            targets: [
              ...someTerms().targets,
              aTarget({ id: 'mentors', baseline: 0, targetValue: 100, deadline: '2025-12-31' }),
            ],
          },
          wateringDown: [],
          amendedAt: '2025-05-01T00:00:00.000Z',
        },
      };
      // 10 of 100 mentors by 2025-06-01: 31 of 244 days since the amendment (13 %) → behind;
      // measured from the submission (142 of 355 days, 40 %) it would be far more behind.
      const behind = target(
        summarise([
          pledgeSubmitted(),
          amended,
          progressReported({ targetId: 'mentors', value: 10, asOf: '2025-06-01' }),
        ]),
        'mentors',
      );
      expect(behind).toMatchObject({ since: '2025-05-01', onTrack: false });
      const ahead = target(
        summarise([
          pledgeSubmitted(),
          amended,
          progressReported({ targetId: 'mentors', value: 20, asOf: '2025-06-01' }),
        ]),
        'mentors',
      );
      expect(ahead).toMatchObject({ since: '2025-05-01', onTrack: true });
    });
  });

  describe('status', () => {
    it('is lapsed when nothing was reported within the lapse window since submission', () => {
      // 156 days since submission
      expect(summarise([pledgeSubmitted()], NOW, 150).status).toBe('lapsed');
      expect(summarise([pledgeSubmitted()], NOW, 160).status).toBe('active');
    });

    it('counts from the latest as-of date of progress (effective), not from when it was recorded', () => {
      // Both as of 2025-03-31, sent 2025-04-05 and 2025-04-20: 75.4 days since the end of 2025-03-31.
      const events = [pledgeSubmitted(), progressReported(), progressCorrected()];
      const summary = summarise(events, NOW, 80);
      expect(summary).toMatchObject({
        status: 'active',
        lastProgressAt: '2025-04-20T10:00:00.000Z',
        progressClock: '2025-03-31T23:59:59.999Z',
      });
      // 56 days after the correction was sent, but 75 after the date it is as of: lapsed at 60.
      expect(summarise(events, NOW, 60).status).toBe('lapsed');
    });

    it('lapses a pledge whose history was imported with old dates, however recently it was recorded', () => {
      const events: PledgeEvent[] = [
        { ...pledgeSubmitted(someTerms(), '2016-03-08T00:00:00.000Z'), provenance: IMPORTED },
        {
          ...progressReported({ asOf: '2019-06-30', reportedAt: '2019-07-15T00:00:00.000Z' }),
          provenance: IMPORTED,
        },
      ];
      const summary = summarise(events, NOW, 180);
      expect(summary).toMatchObject({
        status: 'lapsed',
        progressClock: '2019-06-30T23:59:59.999Z',
        provenance: 'imported',
        importedEvents: 2,
        importSources: ['WSIS stocktaking (spreadsheet)'],
      });
      // The same history written through the API this year is not lapsed: the as-of date decides, not the sending.
      const recent = summarise(
        [pledgeSubmitted(), progressReported({ asOf: '2025-05-31', reportedAt: '2025-06-01T00:00:00.000Z' })],
        NOW,
        180,
      );
      expect(recent).toMatchObject({ status: 'active', provenance: 'direct', importedEvents: 0 });
    });

    it('counts the submission when it is later than every as-of date', () => {
      const events = [pledgeSubmitted(), progressReported({ asOf: '2024-12-31' })];
      expect(summarise(events, NOW, 160).progressClock).toBe(SUBMITTED_AT);
    });

    it('is not lapsed at exactly the window boundary', () => {
      const exactly = new Date(Date.parse(SUBMITTED_AT) + 30 * 86_400_000);
      expect(summarise([pledgeSubmitted()], exactly, 30).status).toBe('active');
    });

    it('does not count an amendment or a verification as progress', () => {
      const events: PledgeEvent[] = [
        pledgeSubmitted(),
        verificationRecorded({ recordedAt: '2025-06-01T00:00:00Z' }),
      ];
      expect(summarise(events, NOW, 150).status).toBe('lapsed');
    });

    it('shows fulfilled and withdrawn pledges as such, never as lapsed', () => {
      expect(summarise([pledgeSubmitted(), pledgeFulfilled()], NOW, 1)).toMatchObject({
        status: 'fulfilled',
        fulfilledAt: '2025-05-20T08:00:00.000Z',
      });
      expect(summarise([pledgeSubmitted(), pledgeWithdrawn()], NOW, 1)).toMatchObject({
        status: 'withdrawn',
        withdrawnAt: '2025-05-20T08:00:00.000Z',
      });
    });
  });

  describe('verification', () => {
    it('takes the latest verification of the pledge as a whole, and counts all', () => {
      const summary = summarise([
        pledgeSubmitted(),
        progressReported(),
        verificationRecorded({ verificationId: 'v1', outcome: 'confirmed' }),
        verificationRecorded({ verificationId: 'v2', outcome: 'disputed', note: 'Figures unsupported' }),
        verificationRecorded({ verificationId: 'v3', outcome: 'confirmed', reportId: 'report-1' }),
      ]);
      expect(summary.verification).toBe('disputed');
      expect(summary.verificationCounts).toEqual({ confirmed: 2, disputed: 1 });
      expect(target(summary, 'women-trained').latestVerification).toBe('confirmed');
    });

    it('stays unverified when only reports were verified', () => {
      const summary = summarise([
        pledgeSubmitted(),
        progressReported(),
        verificationRecorded({ outcome: 'disputed', reportId: 'report-1', note: 'No registers' }),
      ]);
      expect(summary.verification).toBe('unverified');
      expect(target(summary, 'women-trained').latestVerification).toBe('disputed');
    });

    it('does not carry a verification of a superseded report over to its correction', () => {
      const summary = summarise([
        pledgeSubmitted(),
        progressReported(),
        verificationRecorded({ reportId: 'report-1' }),
        progressCorrected(),
      ]);
      expect(target(summary, 'women-trained').latestVerification).toBe('unverified');
    });
  });

  it('surfaces watering-down and the number of amendments', () => {
    const amended: PledgeEvent = {
      type: 'PledgeAmended',
      data: {
        pledgeId: PLEDGE_ID,
        reason: 'Budget cut',
        previous: { targets: someTerms().targets },
        changes: { targets: [aTarget({ targetValue: 5000 }), aReductionTarget()] },
        wateringDown: [{ kind: 'target-lowered', targetId: 'women-trained', from: 10000, to: 5000 }],
        amendedAt: '2025-02-01T00:00:00.000Z',
      },
    };
    const summary = summarise([pledgeSubmitted(), amended, progressReported()]);
    expect(summary).toMatchObject({ wateredDown: true, amendments: 1, version: 3 });
    expect(summary.wateringDown).toEqual([
      { kind: 'target-lowered', targetId: 'women-trained', from: 10000, to: 5000 },
    ]);
    expect(target(summary, 'women-trained')).toMatchObject({ targetValue: 5000, shareReached: 0.5 });
  });

  describe('a state kept without the text of its reports (as the summary read model stores it)', () => {
    const history: PledgeEvent[] = [
      pledgeSubmitted(),
      progressReported({ reportId: 'march', value: 2500, asOf: '2025-03-31' }),
      progressReported({ reportId: 'may', value: 3500, asOf: '2025-05-31' }),
      verificationRecorded(),
      progressCorrected({ reportId: 'may-fix', correctsReportId: 'may', value: 2000, asOf: '2025-02-28' }),
      gapReport(15),
    ];

    it('drops the narrative, evidence and correction reason, and nothing else', () => {
      const full = foldPledge(history);
      const kept = withoutReportText(full);
      expect(JSON.stringify(kept)).not.toContain('Recounted');
      expect(kept.progressReports.map((r) => Object.keys(r).sort())).toContainEqual([
        'asOf',
        'corrects',
        'recordedAt',
        'reportId',
        'targetId',
        'value',
      ]);
      expect({ ...kept, progressReports: [] }).toEqual({ ...full, progressReports: [] });
    });

    it('summarises to the same numbers as the full state, also when later events are folded onto it', () => {
      const full = foldPledge(history);
      expect(
        summarisePledge(withoutReportText(foldPledge(history)), { now: NOW, lapseAfterDays: 180 }),
      ).toEqual(summarisePledge(full, { now: NOW, lapseAfterDays: 180 }));
      // Fold the last two events onto a kept state, as the projection does event by event.
      let kept = withoutReportText(foldPledge(history.slice(0, 4))) as PledgeState;
      for (const event of history.slice(4)) kept = withoutReportText(evolve(kept, event)) as PledgeState;
      expect(summarisePledge(kept, { now: NOW, lapseAfterDays: 180 })).toEqual(
        summarisePledge(full, { now: NOW, lapseAfterDays: 180 }),
      );
    });
  });
});
