import { DomainErrorCode as E } from './domain-error';
import type { CorrectProgress, ReportProgress } from './pledge.commands';
import { given } from './testing/decider-specification';
import {
  ADMIN,
  NOW,
  OTHER_ORGANISATION,
  PLEDGE_ID,
  VERIFIER,
  context,
  pledgeFulfilled,
  pledgeSubmitted,
  pledgeWithdrawn,
  progressCorrected,
  progressReported,
} from './testing/pledge-fixtures';

const report = (overrides: Partial<ReportProgress> = {}): ReportProgress => ({
  type: 'ReportProgress',
  pledgeId: PLEDGE_ID,
  reportId: 'report-2',
  targetId: 'internet-gap',
  value: 17.5,
  asOf: '2025-06-15',
  narrative: 'Household survey, wave 2.',
  evidence: ['https://stats.example.ke/survey-2025.pdf', 'http://example.org/press'],
  ...overrides,
});

const correct = (overrides: Partial<CorrectProgress> = {}): CorrectProgress => ({
  type: 'CorrectProgress',
  pledgeId: PLEDGE_ID,
  reportId: 'report-1-fix',
  correctsReportId: 'report-1',
  value: 2300,
  asOf: '2025-03-31',
  narrative: 'Recounted.',
  evidence: [],
  reason: 'Double-counted dropouts',
  ...overrides,
});

describe('ReportProgress', () => {
  const submitted = pledgeSubmitted();

  it('records the measurement against the target, as of a date up to today (UTC)', () => {
    given([submitted])
      .when(report())
      .then([
        {
          type: 'ProgressReported',
          data: {
            pledgeId: PLEDGE_ID,
            reportId: 'report-2',
            targetId: 'internet-gap',
            value: 17.5,
            asOf: '2025-06-15',
            narrative: 'Household survey, wave 2.',
            evidence: ['https://stats.example.ke/survey-2025.pdf', 'http://example.org/press'],
            reportedAt: NOW.toISOString(),
          },
        },
      ]);
  });

  it('accepts an as-of date before the submission (e.g. a measurement already taken)', () => {
    expect(
      given([submitted])
        .when(report({ asOf: '2024-12-31' }))
        .events(),
    ).toHaveLength(1);
  });

  it('accepts an empty narrative and no evidence', () => {
    expect(
      given([submitted])
        .when(report({ narrative: '', evidence: [] }))
        .events(),
    ).toHaveLength(1);
  });

  describe('who and when', () => {
    it('refuses a pledge that does not exist', () => given([]).when(report()).thenThrows(E.PledgeNotFound));
    it('refuses another organisation', () =>
      given([submitted]).when(report(), context(OTHER_ORGANISATION)).thenThrows(E.NotPledgeOwner));
    it('refuses a verifier', () =>
      given([submitted]).when(report(), context(VERIFIER)).thenThrows(E.RoleNotAllowed));
    it('refuses an admin', () =>
      given([submitted]).when(report(), context(ADMIN)).thenThrows(E.RoleNotAllowed));
    it('refuses progress on a withdrawn pledge', () =>
      given([submitted, pledgeWithdrawn()]).when(report()).thenThrows(E.PledgeClosed));
    it('refuses progress on a fulfilled pledge', () =>
      given([submitted, pledgeFulfilled()]).when(report()).thenThrows(E.PledgeClosed));
  });

  it('refuses progress on a target the pledge does not have', () =>
    given([submitted])
      .when(report({ targetId: 'women-hired' }))
      .thenThrows(E.UnknownTarget, 'targetId'));

  it('refuses an as-of date in the future, by the UTC calendar', () => {
    given([submitted])
      .when(report({ asOf: '2025-06-16' }))
      .thenThrows(E.AsOfInFuture, 'asOf');
    // 23:30 at UTC-2 on the 15th is already the 16th in UTC.
    expect(
      given([submitted])
        .when(report({ asOf: '2025-06-16' }), context(undefined, new Date('2025-06-15T23:30:00-02:00')))
        .events(),
    ).toHaveLength(1);
  });

  it.each(['2025-02-30', '15/06/2025', '2025-06-15T10:00:00Z'])(
    'refuses as-of %p that is not a real date',
    (asOf) => given([submitted]).when(report({ asOf })).thenThrows(E.InvalidCommand, 'asOf'),
  );

  it.each([NaN, Infinity, '17' as unknown as number])('refuses value %p', (value) =>
    given([submitted]).when(report({ value })).thenThrows(E.InvalidCommand, 'value'),
  );

  it.each(['ftp://example.org/x', 'javascript:alert(1)', 'example.org/report', 'not a url'])(
    'refuses evidence %p that is not an http(s) URL',
    (link) =>
      given([submitted])
        .when(report({ evidence: ['https://ok.example.org', link] }))
        .thenThrows(E.InvalidCommand, 'evidence[1]'),
  );

  it('refuses a report id already used', () =>
    given([submitted, progressReported({ reportId: 'report-2' })])
      .when(report())
      .thenThrows(E.DuplicateProgressReport, 'reportId'));

  it('refuses an empty report id', () =>
    given([submitted])
      .when(report({ reportId: '' }))
      .thenThrows(E.InvalidCommand, 'reportId'));
});

describe('CorrectProgress', () => {
  const reported = [pledgeSubmitted(), progressReported()];

  it('records a new report on the same target that supersedes the earlier one', () => {
    given(reported)
      .when(correct())
      .then([
        {
          type: 'ProgressCorrected',
          data: {
            pledgeId: PLEDGE_ID,
            reportId: 'report-1-fix',
            correctsReportId: 'report-1',
            targetId: 'women-trained',
            value: 2300,
            asOf: '2025-03-31',
            narrative: 'Recounted.',
            evidence: [],
            reason: 'Double-counted dropouts',
            correctedAt: NOW.toISOString(),
          },
        },
      ]);
  });

  it('lets a correction itself be corrected', () => {
    expect(
      given([...reported, progressCorrected()])
        .when(correct({ reportId: 'report-1-fix-2', correctsReportId: 'report-1-fix' }))
        .events(),
    ).toHaveLength(1);
  });

  it('refuses to correct a report that does not exist', () =>
    given(reported)
      .when(correct({ correctsReportId: 'nope' }))
      .thenThrows(E.UnknownProgressReport, 'correctsReportId'));

  it('refuses to correct a report already corrected', () =>
    given([...reported, progressCorrected()])
      .when(correct({ reportId: 'report-1-fix-2' }))
      .thenThrows(E.ProgressAlreadyCorrected, 'correctsReportId'));

  it('requires a reason', () =>
    given(reported)
      .when(correct({ reason: '' }))
      .thenThrows(E.InvalidCommand, 'reason'));

  it('refuses a correcting report id already used', () =>
    given(reported)
      .when(correct({ reportId: 'report-1' }))
      .thenThrows(E.DuplicateProgressReport, 'reportId'));

  it('checks the corrected measurement like a report', () => {
    given(reported)
      .when(correct({ asOf: '2025-07-01' }))
      .thenThrows(E.AsOfInFuture, 'asOf');
    given(reported)
      .when(correct({ value: NaN }))
      .thenThrows(E.InvalidCommand, 'value');
    given(reported)
      .when(correct({ evidence: ['mailto:a@b.c'] }))
      .thenThrows(E.InvalidCommand, 'evidence[0]');
  });

  describe('who and when', () => {
    it('refuses another organisation', () =>
      given(reported).when(correct(), context(OTHER_ORGANISATION)).thenThrows(E.NotPledgeOwner));
    it('refuses a verifier', () =>
      given(reported).when(correct(), context(VERIFIER)).thenThrows(E.RoleNotAllowed));
    it('refuses a closed pledge', () =>
      given([...reported, pledgeFulfilled()])
        .when(correct())
        .thenThrows(E.PledgeClosed));
    it('refuses a pledge that does not exist', () => given([]).when(correct()).thenThrows(E.PledgeNotFound));
  });
});
