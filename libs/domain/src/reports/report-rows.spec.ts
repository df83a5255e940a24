import { ACTOR, OTHER_ACTOR } from '../testing/pledge-fixtures';
import { buildAccountabilityReport } from './accountability-report';
import { reportColumns, reportRows } from './report-rows';
import { importedFrom, summaryOf } from './summary-fixtures';

const FIXED = [
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
];

describe('reportRows', () => {
  const report = buildAccountabilityReport('actor', [
    summaryOf({ id: 'p1', actor: ACTOR, terms: { financialCommitment: { amount: 0.1, currency: 'USD' } } }),
    summaryOf({ id: 'p2', actor: ACTOR, terms: { financialCommitment: { amount: 0.2, currency: 'USD' } } }),
    summaryOf({
      id: 'p3',
      actor: OTHER_ACTOR,
      terms: { financialCommitment: { amount: 5, currency: 'EUR' } },
    }),
  ]);

  it('gives one row per group, then the totals row', () => {
    expect(reportRows(report).map((row) => row.key)).toEqual(['org-kenya-ict', 'org-acme', 'all']);
  });

  it('has the fixed columns, then one commitment column per currency in currency order', () => {
    const columns = [...FIXED, 'commitment_EUR', 'commitment_USD'];
    expect(reportColumns(report)).toEqual(columns);
    for (const row of reportRows(report)) expect(Object.keys(row)).toEqual(columns);
  });

  it('fills every column from the group, 0 where a group committed nothing in a currency', () => {
    const [kenya, , totals] = reportRows(report);
    expect(kenya).toEqual({
      dimension: 'actor',
      key: 'org-kenya-ict',
      label: 'Kenya ICT Authority',
      pledges: 2,
      active: 2,
      lapsed: 0,
      fulfilled: 0,
      withdrawn: 0,
      targets_total: 4,
      targets_reached: 0,
      targets_on_track: 0,
      targets_off_track: 0,
      targets_no_progress: 4,
      targets_overdue: 0,
      watered_down_pledges: 0,
      imported: 0,
      verified_confirmed: 0,
      verified_disputed: 0,
      unverified: 2,
      pledges_with_disputes: 0,
      verifications_recorded_confirmed: 0,
      verifications_recorded_disputed: 0,
      commitment_EUR: 0,
      commitment_USD: 0.3,
    });
    expect(totals).toMatchObject({ key: 'all', label: 'All pledges', pledges: 3, commitment_EUR: 5 });
  });

  it('counts imported pledges per group and in the totals row', () => {
    const rows = reportRows(
      buildAccountabilityReport('actor', [
        summaryOf({ id: 'p1', actor: ACTOR, importedFrom: importedFrom() }),
        summaryOf({ id: 'p2', actor: ACTOR }),
        summaryOf({ id: 'p3', actor: OTHER_ACTOR, importedFrom: importedFrom('Another tracker') }),
      ]),
    );
    expect(rows.map(({ key, pledges, imported }) => [key, pledges, imported])).toEqual([
      ['org-kenya-ict', 2, 1],
      ['org-acme', 1, 1],
      ['all', 3, 2],
    ]);
  });

  it('has no commitment columns when nobody committed money', () => {
    const none = buildAccountabilityReport('country', [
      summaryOf({ terms: { financialCommitment: undefined } }),
    ]);
    expect(reportColumns(none)).toEqual(FIXED);
    expect(reportRows(none)).toEqual([
      expect.objectContaining({ dimension: 'country', key: 'KE', label: 'Kenya' }),
      expect.objectContaining({ dimension: 'country', key: 'all', pledges: 1 }),
    ]);
  });

  it('gives only the totals row for an empty report', () => {
    expect(reportRows(buildAccountabilityReport('region', []))).toEqual([
      expect.objectContaining({ dimension: 'region', key: 'all', pledges: 0 }),
    ]);
  });
});
