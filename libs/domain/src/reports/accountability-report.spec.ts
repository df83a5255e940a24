import { ActionCatalogue, BUILT_IN_FRAMEWORKS } from '../action-frameworks';
import type { PledgeEvent } from '../pledge.events';
import {
  ACTOR,
  OTHER_ACTOR,
  aTarget,
  pledgeFulfilled,
  pledgeWithdrawn,
  progressReported,
  someTerms,
  verificationRecorded,
} from '../testing/pledge-fixtures';
import {
  AccountabilityReportBuilder,
  buildAccountabilityReport,
  isReportDimension,
  REPORT_DIMENSIONS,
  type AccountabilityReport,
  type ReportDimension,
  type ReportGroup,
} from './accountability-report';
import { importedFrom, summaryOf } from './summary-fixtures';

// Every scenario folds real events and summarises them (now: 2025-06-15), then reports on the summaries.

const group = (report: AccountabilityReport, key: string): ReportGroup => {
  const found = report.groups.find((g) => g.key === key);
  if (!found) throw new Error(`no group ${key} in ${report.groups.map((g) => g.key).join(', ')}`);
  return found;
};
const keys = (report: AccountabilityReport) => report.groups.map((g) => g.key);

const usd = (amount: number) => ({ amount, currency: 'USD' });
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const UNESCO = {
  id: 'org-unesco',
  name: 'UNESCO',
  type: 'international-organisation',
  country: 'FR',
} as const;

const amendment = (wateringDown: boolean): PledgeEvent => ({
  type: 'PledgeAmended',
  data: {
    pledgeId: 'ignored',
    reason: wateringDown ? 'Budget cut' : 'Clearer title',
    previous: wateringDown ? { financialCommitment: usd(2_000_000) } : { title: someTerms().title },
    changes: wateringDown ? { financialCommitment: usd(1_000_000) } : { title: 'A clearer title' },
    wateringDown: wateringDown ? [{ kind: 'financial-commitment-cut', from: 2_000_000, to: 1_000_000 }] : [],
    amendedAt: '2025-02-01T00:00:00.000Z',
  },
});

describe('buildAccountabilityReport', () => {
  describe('with no pledges', () => {
    it.each(REPORT_DIMENSIONS)('reports no %s groups and zero totals', (dimension) => {
      const report = buildAccountabilityReport(dimension, []);
      expect(report.groups).toEqual([]);
      expect(report.totals).toEqual({
        key: 'all',
        label: 'All pledges',
        pledges: 0,
        byStatus: { active: 0, lapsed: 0, fulfilled: 0, withdrawn: 0 },
        financialCommitments: [],
        targets: { total: 0, reached: 0, onTrack: 0, offTrack: 0, noProgress: 0, overdue: 0 },
        wateredDownPledges: 0,
        imported: 0,
        verification: {
          confirmed: 0,
          disputed: 0,
          unverified: 0,
          pledgesWithDisputes: 0,
          recorded: { confirmed: 0, disputed: 0 },
        },
      });
    });
  });

  describe('by actor', () => {
    const summaries = [
      summaryOf({ id: 'p1', actor: ACTOR }),
      summaryOf({ id: 'p2', actor: OTHER_ACTOR, terms: { financialCommitment: eur(500) } }),
      summaryOf({ id: 'p3', actor: ACTOR, terms: { financialCommitment: usd(1_000) } }),
    ];

    it('groups by actor id, labelled with the actor name, the biggest first', () => {
      const report = buildAccountabilityReport('actor', summaries);
      expect(report.groups.map(({ key, label, pledges }) => ({ key, label, pledges }))).toEqual([
        { key: 'org-kenya-ict', label: 'Kenya ICT Authority', pledges: 2 },
        { key: 'org-acme', label: 'Acme Telecom', pledges: 1 },
      ]);
      expect(group(report, 'org-kenya-ict').financialCommitments).toEqual([
        { currency: 'USD', amount: 2_001_000, pledges: 2 },
      ]);
      expect(report.totals.pledges).toBe(3);
    });

    it('has no note: every pledge has one actor, so the groups add up to the totals', () => {
      const report = buildAccountabilityReport('actor', summaries);
      expect(report).not.toHaveProperty('note');
      expect(report.groups.reduce((sum, g) => sum + g.pledges, 0)).toBe(report.totals.pledges);
    });

    it('labels a renamed actor with the name on its most recent pledge, whatever the input order', () => {
      const renamed = { ...ACTOR, name: 'Communications Authority of Kenya' };
      const older = summaryOf({ id: 'p-old', actor: ACTOR, submittedAt: '2025-01-10T09:00:00.000Z' });
      const newer = summaryOf({ id: 'p-new', actor: renamed, submittedAt: '2025-03-01T09:00:00.000Z' });
      expect(buildAccountabilityReport('actor', [older, newer]).groups[0].label).toBe(renamed.name);
      expect(buildAccountabilityReport('actor', [newer, older]).groups[0].label).toBe(renamed.name);
    });
  });

  describe('by actor type', () => {
    it('groups by the type of the actor, with a readable label', () => {
      const report = buildAccountabilityReport('actor-type', [
        summaryOf({ id: 'p1', actor: ACTOR }),
        summaryOf({ id: 'p2', actor: OTHER_ACTOR }),
        summaryOf({ id: 'p3', actor: UNESCO }),
        summaryOf({ id: 'p4', actor: { ...ACTOR, id: 'org-uganda', name: 'Uganda ICT', country: 'UG' } }),
      ]);
      expect(report.groups.map(({ key, label, pledges }) => [key, label, pledges])).toEqual([
        ['government', 'Government', 2],
        ['international-organisation', 'International organisation', 1],
        ['private-sector', 'Private sector', 1],
      ]);
    });
  });

  describe('pledge status', () => {
    // Submitted 2025-01-10; with a 100-day window and no progress, the pledge has lapsed by 2025-06-15.
    const summaries = [
      summaryOf({ id: 'active', then: [progressReported({ reportedAt: '2025-06-01T00:00:00.000Z' })] }),
      summaryOf({ id: 'lapsed', lapseAfterDays: 100 }),
      summaryOf({ id: 'fulfilled', then: [pledgeFulfilled()], lapseAfterDays: 100 }),
      summaryOf({ id: 'withdrawn', then: [pledgeWithdrawn()], lapseAfterDays: 100 }),
    ];

    it('counts lapsed and withdrawn pledges as such rather than dropping them', () => {
      const report = buildAccountabilityReport('actor', summaries);
      expect(report.totals.pledges).toBe(4);
      expect(report.totals.byStatus).toEqual({ active: 1, lapsed: 1, fulfilled: 1, withdrawn: 1 });
      expect(group(report, ACTOR.id).byStatus).toEqual({ active: 1, lapsed: 1, fulfilled: 1, withdrawn: 1 });
    });

    it('keeps the commitments of withdrawn and lapsed pledges in the totals, next to their status', () => {
      const report = buildAccountabilityReport('actor', [summaries[1], summaries[3]]);
      expect(report.totals.financialCommitments).toEqual([
        { currency: 'USD', amount: 4_000_000, pledges: 2 },
      ]);
      expect(report.totals.byStatus).toMatchObject({ lapsed: 1, withdrawn: 1 });
    });
  });

  describe('financial commitments', () => {
    it('never adds up amounts in different currencies, and lists currencies in order', () => {
      const report = buildAccountabilityReport('actor', [
        summaryOf({ id: 'p1', terms: { financialCommitment: usd(100) } }),
        summaryOf({ id: 'p2', terms: { financialCommitment: eur(250) } }),
        summaryOf({ id: 'p3', terms: { financialCommitment: usd(50) } }),
        summaryOf({ id: 'p4', terms: { financialCommitment: { amount: 1_000_000, currency: 'KES' } } }),
      ]);
      expect(report.totals.financialCommitments).toEqual([
        { currency: 'EUR', amount: 250, pledges: 1 },
        { currency: 'KES', amount: 1_000_000, pledges: 1 },
        { currency: 'USD', amount: 150, pledges: 2 },
      ]);
    });

    it('sums cents exactly: 0.1 + 0.2 USD is 0.3 USD', () => {
      const report = buildAccountabilityReport('actor', [
        summaryOf({ id: 'p1', terms: { financialCommitment: usd(0.1) } }),
        summaryOf({ id: 'p2', terms: { financialCommitment: usd(0.2) } }),
      ]);
      expect(report.totals.financialCommitments).toEqual([{ currency: 'USD', amount: 0.3, pledges: 2 }]);
    });

    it('sums many small amounts exactly, where floating point drifts', () => {
      const summaries = Array.from({ length: 10 }, (_, i) =>
        summaryOf({ id: `p${i}`, terms: { financialCommitment: usd(0.1) } }),
      );
      expect(buildAccountabilityReport('actor', summaries).totals.financialCommitments[0].amount).toBe(1);
    });

    it('sums large amounts with cents exactly', () => {
      const report = buildAccountabilityReport('actor', [
        summaryOf({ id: 'p1', terms: { financialCommitment: usd(12_345_678.91) } }),
        summaryOf({ id: 'p2', terms: { financialCommitment: usd(0.09) } }),
        summaryOf({ id: 'p3', terms: { financialCommitment: usd(7_654_321.1) } }),
      ]);
      expect(report.totals.financialCommitments[0].amount).toBe(20_000_000.1);
    });

    it('sums three-decimal currencies exactly too', () => {
      const kwd = (amount: number) => ({ amount, currency: 'KWD' });
      const report = buildAccountabilityReport('actor', [
        summaryOf({ id: 'p1', terms: { financialCommitment: kwd(1.001) } }),
        summaryOf({ id: 'p2', terms: { financialCommitment: kwd(2.002) } }),
      ]);
      expect(report.totals.financialCommitments[0].amount).toBe(3.003);
    });

    it('lists no currency for pledges without a commitment', () => {
      const report = buildAccountabilityReport('actor', [
        summaryOf({ id: 'p1', terms: { financialCommitment: undefined } }),
      ]);
      expect(report.totals.financialCommitments).toEqual([]);
      expect(report.groups[0].financialCommitments).toEqual([]);
    });

    it('uses the current commitment after an amendment', () => {
      const report = buildAccountabilityReport('actor', [summaryOf({ id: 'p1', then: [amendment(true)] })]);
      expect(report.totals.financialCommitments).toEqual([
        { currency: 'USD', amount: 1_000_000, pledges: 1 },
      ]);
    });
  });

  describe('by country', () => {
    const summaries = [
      summaryOf({ id: 'ke-ug', terms: { countries: ['KE', 'UG'], financialCommitment: usd(100) } }),
      summaryOf({ id: 'ke', terms: { countries: ['KE'], financialCommitment: usd(50) } }),
      summaryOf({ id: 'world', terms: { countries: [], regions: [], global: true } }),
      summaryOf({ id: 'nowhere', terms: { countries: [], regions: [], global: false } }),
    ];

    it('counts a multi-country pledge in each country, but once in the totals', () => {
      const report = buildAccountabilityReport('country', summaries);
      expect(group(report, 'KE')).toMatchObject({
        label: 'Kenya',
        pledges: 2,
        financialCommitments: [{ currency: 'USD', amount: 150, pledges: 2 }],
      });
      expect(group(report, 'UG')).toMatchObject({
        label: 'Uganda',
        pledges: 1,
        financialCommitments: [{ currency: 'USD', amount: 100, pledges: 1 }],
      });
      expect(report.totals.pledges).toBe(4);
      expect(report.totals.financialCommitments).toContainEqual({
        currency: 'USD',
        amount: 4_000_150, // the two pledges without a country keep the fixture's 2 000 000 each
        pledges: 4,
      });
      expect(report.groups.reduce((sum, g) => sum + g.pledges, 0)).toBeGreaterThan(report.totals.pledges);
      expect(report.note).toMatch(/several countries/);
    });

    it('puts a worldwide pledge naming no country under "global", one naming nothing under "unspecified"', () => {
      const report = buildAccountabilityReport('country', summaries);
      expect(group(report, 'global')).toMatchObject({ label: 'Global', pledges: 1 });
      expect(group(report, 'unspecified')).toMatchObject({ label: 'Unspecified', pledges: 1 });
    });

    it('files a worldwide pledge that also names countries under those countries only', () => {
      const report = buildAccountabilityReport('country', [
        summaryOf({ id: 'p1', terms: { countries: ['RW'], global: true } }),
      ]);
      expect(keys(report)).toEqual(['RW']);
      expect(report.groups[0].label).toBe('Rwanda');
    });

    it("labels countries with the library's official English name", () => {
      const report = buildAccountabilityReport('country', [
        summaryOf({ id: 'p1', terms: { countries: ['TZ', 'CD', 'XK'] } }),
      ]);
      expect(report.groups.map((g) => [g.key, g.label])).toEqual([
        ['CD', 'Democratic Republic of the Congo'],
        ['TZ', 'United Republic of Tanzania'],
        ['XK', 'Kosovo'],
      ]);
    });

    it('counts a country listed twice once', () => {
      const report = buildAccountabilityReport('country', [
        summaryOf({ id: 'p1', terms: { countries: ['KE', 'KE'] } }),
      ]);
      expect(report.groups).toHaveLength(1);
      expect(report.groups[0].pledges).toBe(1);
    });
  });

  describe('by region', () => {
    it('groups by region slug with the region name, and counts multi-region pledges in each', () => {
      const report = buildAccountabilityReport('region', [
        summaryOf({ id: 'p1', terms: { regions: ['eastern-africa', 'least-developed-countries'] } }),
        summaryOf({ id: 'p2', terms: { regions: ['eastern-africa'] } }),
        summaryOf({ id: 'p3', terms: { countries: ['FR'], regions: [], global: true } }),
        summaryOf({ id: 'p4', terms: { countries: ['FR'], regions: [], global: false } }),
      ]);
      expect(report.groups.map((g) => [g.key, g.label, g.pledges])).toEqual([
        ['eastern-africa', 'Eastern Africa', 2],
        ['global', 'Global', 1],
        ['least-developed-countries', 'Least Developed Countries (LDCs)', 1],
        ['unspecified', 'Unspecified', 1],
      ]);
      expect(report.totals.pledges).toBe(4);
      expect(report.note).toMatch(/several regions/);
    });
  });

  describe('by framework and action', () => {
    const summaries = [
      summaryOf({
        id: 'two-actions',
        terms: {
          actions: [
            { framework: 'wsis10-gender-gap', action: 'access' },
            { framework: 'wsis10-gender-gap', action: 'capacities' },
          ],
        },
      }),
      summaryOf({
        id: 'two-frameworks',
        terms: {
          actions: [
            { framework: 'wsis10-gender-gap', action: 'access' },
            { framework: 'gender-caucus', action: 'capacity-building' },
          ],
        },
      }),
    ];

    it('counts a pledge once per framework, however many of its actions it names', () => {
      const report = buildAccountabilityReport('framework', summaries);
      expect(report.groups.map((g) => [g.key, g.label, g.pledges])).toEqual([
        ['wsis10-gender-gap', 'WSIS+10 (2015) Action Plan to Close the Digital Gender Gap', 2],
        ['gender-caucus', 'WSIS Gender Caucus strategic priorities', 1],
      ]);
      expect(report.totals.pledges).toBe(2);
      expect(report.note).toMatch(/several frameworks/);
    });

    it('keys actions as framework/action, labelled with the action title', () => {
      const report = buildAccountabilityReport('action', summaries);
      expect(report.groups.map((g) => [g.key, g.label, g.pledges])).toEqual([
        [
          'wsis10-gender-gap/access',
          'Ensuring access to ICTs by women and girls and addressing the factors that hinder their use of technology',
          2,
        ],
        ['gender-caucus/capacity-building', 'Capacity building and training', 1],
        ['wsis10-gender-gap/capacities', 'Building the digital capacities of women and girls', 1],
      ]);
      expect(report.totals.pledges).toBe(2);
      expect(report.note).toMatch(/several actions/);
    });

    it("names a deployment's own framework from the catalogue it is given", () => {
      const catalogue = new ActionCatalogue([
        ...BUILT_IN_FRAMEWORKS,
        {
          code: 'acme-plan',
          name: 'Acme Inclusion Plan',
          source: 'Acme board minutes',
          actions: [{ code: 'hiring', title: 'Hire women engineers', description: 'd' }],
        },
      ]);
      const summaries = [summaryOf({ terms: { actions: [{ framework: 'acme-plan', action: 'hiring' }] } })];
      expect(buildAccountabilityReport('framework', summaries, catalogue).groups[0].label).toBe(
        'Acme Inclusion Plan',
      );
      expect(buildAccountabilityReport('action', summaries, catalogue).groups[0].label).toBe(
        'Hire women engineers',
      );
    });

    it('falls back to the code for a framework or action the catalogue does not know', () => {
      const summaries = [summaryOf({ terms: { actions: [{ framework: 'retired', action: 'old' }] } })];
      expect(buildAccountabilityReport('framework', summaries).groups[0]).toMatchObject({
        key: 'retired',
        label: 'retired',
      });
      expect(buildAccountabilityReport('action', summaries).groups[0]).toMatchObject({
        key: 'retired/old',
        label: 'retired/old',
      });
    });
  });

  describe('targets', () => {
    const target = (id: string, deadline = '2026-12-31') =>
      aTarget({ id, baseline: 0, targetValue: 100, deadline });
    const report = (id: string, value: number, asOf: string) =>
      progressReported({ reportId: `r-${id}`, targetId: id, value, asOf });
    // Now is 2025-06-15. 'late' and 'late-behind' are past their deadlines.
    const summary = summaryOf({
      terms: {
        targets: [
          target('reached'),
          target('ahead'),
          target('behind', '2025-12-31'),
          target('silent'),
          target('late', '2025-03-31'),
          target('late-behind', '2025-05-31'),
          target('reached-late', '2025-05-31'),
        ],
      },
      then: [
        report('reached', 100, '2025-03-31'),
        report('ahead', 50, '2025-03-31'),
        report('behind', 1, '2025-06-01'),
        report('late-behind', 10, '2025-05-01'),
        report('reached-late', 100, '2025-05-01'),
      ],
    });

    it('puts each target in one of reached, on track, off track or no progress', () => {
      const { targets } = buildAccountabilityReport('actor', [summary]).totals;
      expect(targets).toEqual({ total: 7, reached: 2, onTrack: 1, offTrack: 2, noProgress: 2, overdue: 2 });
      expect(targets.reached + targets.onTrack + targets.offTrack + targets.noProgress).toBe(targets.total);
    });

    it('counts overdue targets across those columns, never a reached one', () => {
      const late = summary.targets.filter((t) => t.overdue).map((t) => t.targetId);
      expect(late).toEqual(['late', 'late-behind']);
    });

    it('adds up the targets of every pledge in a group', () => {
      const fresh = summaryOf({ id: 'fresh', terms: { targets: [target('a'), target('b')] } });
      const { targets } = buildAccountabilityReport('actor', [summary, fresh]).groups[0];
      expect(targets).toMatchObject({ total: 9, noProgress: 4 });
    });
  });

  describe('watering-down and verification', () => {
    it('counts pledges that were watered down, once each', () => {
      const report = buildAccountabilityReport('actor', [
        summaryOf({ id: 'cut-twice', then: [amendment(true), amendment(true)] }),
        summaryOf({ id: 'reworded', then: [amendment(false)] }),
        summaryOf({ id: 'untouched' }),
      ]);
      expect(report.totals.wateredDownPledges).toBe(1);
    });

    it('counts each pledge by the latest verification of the pledge as a whole', () => {
      const report = buildAccountabilityReport('actor', [
        summaryOf({ id: 'confirmed', then: [verificationRecorded({ outcome: 'confirmed' })] }),
        summaryOf({
          id: 'disputed-later',
          then: [
            verificationRecorded({ verificationId: 'v1', outcome: 'confirmed' }),
            verificationRecorded({ verificationId: 'v2', outcome: 'disputed' }),
          ],
        }),
        summaryOf({
          id: 'only-a-report-verified',
          then: [progressReported(), verificationRecorded({ reportId: 'report-1' })],
        }),
        summaryOf({ id: 'never' }),
      ]);
      expect(report.totals.verification).toMatchObject({ confirmed: 1, disputed: 1, unverified: 2 });
    });

    it('counts disputes of progress reports too: the pledges they touch and every verification recorded', () => {
      const report = buildAccountabilityReport('actor', [
        summaryOf({
          id: 'report-disputed',
          then: [progressReported(), verificationRecorded({ reportId: 'report-1', outcome: 'disputed' })],
        }),
        summaryOf({
          id: 'pledge-confirmed-report-disputed',
          then: [
            progressReported(),
            verificationRecorded({ verificationId: 'v1', outcome: 'confirmed' }),
            verificationRecorded({ verificationId: 'v2', reportId: 'report-1', outcome: 'disputed' }),
          ],
        }),
        summaryOf({ id: 'clean', then: [verificationRecorded({ outcome: 'confirmed' })] }),
      ]);
      expect(report.totals.verification).toEqual({
        confirmed: 2,
        disputed: 0,
        unverified: 1,
        pledgesWithDisputes: 2,
        recorded: { confirmed: 2, disputed: 2 },
      });
    });
  });

  describe('provenance', () => {
    const imported = (event: PledgeEvent, row = 3): PledgeEvent => ({
      ...event,
      provenance: importedFrom(undefined, row),
    });
    const summaries = [
      summaryOf({ id: 'imported-ke', importedFrom: importedFrom(), terms: { countries: ['KE'] } }),
      summaryOf({
        id: 'imported-ke-ug-withdrawn',
        importedFrom: importedFrom('National gender action plan tracker'),
        terms: { countries: ['KE', 'UG'] },
        then: [imported(pledgeWithdrawn())],
      }),
      summaryOf({
        id: 'imported-then-direct',
        importedFrom: importedFrom(),
        actor: OTHER_ACTOR,
        terms: { countries: ['UG'] },
        then: [progressReported({ reportedAt: '2025-06-01T00:00:00.000Z' })],
      }),
      // Submitted through the API; imported history added to it later does not make it an imported pledge.
      summaryOf({
        id: 'direct-with-imported-progress',
        terms: { countries: ['KE'] },
        then: [imported(progressReported())],
      }),
      summaryOf({ id: 'direct', actor: OTHER_ACTOR, terms: { countries: ['RW'] } }),
    ];

    it('the summaries say which submissions came in through an import', () => {
      expect(summaries.map((s) => s.provenance)).toEqual([
        'imported',
        'imported',
        'imported',
        'direct',
        'direct',
      ]);
    });

    it('counts imported pledges in the totals, whatever their status, beside every other count', () => {
      const report = buildAccountabilityReport('actor', summaries);
      expect(report.totals).toMatchObject({
        pledges: 5,
        imported: 3,
        byStatus: { active: 4, lapsed: 0, fulfilled: 0, withdrawn: 1 },
      });
    });

    it('counts them in each group they belong to, once in the totals', () => {
      const byCountry = buildAccountabilityReport('country', summaries);
      expect(byCountry.groups.map((g) => [g.key, g.pledges, g.imported])).toEqual([
        ['KE', 3, 2],
        ['UG', 2, 2],
        ['RW', 1, 0],
      ]);
      expect(byCountry.totals.imported).toBe(3);
      const byActor = buildAccountabilityReport('actor', summaries);
      expect(byActor.groups.map((g) => [g.key, g.pledges, g.imported])).toEqual([
        [ACTOR.id, 3, 2],
        [OTHER_ACTOR.id, 2, 1],
      ]);
    });

    it.each(REPORT_DIMENSIONS)(
      'counts no imported pledge in the %s report of direct pledges',
      (dimension) => {
        const report = buildAccountabilityReport(dimension, summaries.slice(3));
        expect(report.totals.imported).toBe(0);
        expect(report.groups.every((g) => g.imported === 0)).toBe(true);
      },
    );
  });

  describe('order and repeatability', () => {
    const summaries = [
      summaryOf({ id: 'p1', terms: { countries: ['UG'] } }),
      summaryOf({ id: 'p2', terms: { countries: ['KE', 'TZ'], financialCommitment: usd(0.1) } }),
      summaryOf({ id: 'p3', terms: { countries: ['TZ'], financialCommitment: usd(0.2) } }),
      summaryOf({ id: 'p4', terms: { countries: ['KE'], financialCommitment: eur(0.7) } }),
      summaryOf({ id: 'p5', actor: OTHER_ACTOR, terms: { countries: ['RW'] }, importedFrom: importedFrom() }),
    ];

    it('sorts groups by number of pledges, then by key', () => {
      expect(keys(buildAccountabilityReport('country', summaries))).toEqual(['KE', 'TZ', 'RW', 'UG']);
    });

    it.each(REPORT_DIMENSIONS)('gives a deep-equal %s report whatever the input order', (dimension) => {
      const forwards = buildAccountabilityReport(dimension, summaries);
      const backwards = buildAccountabilityReport(dimension, [...summaries].reverse());
      const shuffled = buildAccountabilityReport(
        dimension,
        [3, 0, 4, 2, 1].map((i) => summaries[i]),
      );
      expect(backwards).toStrictEqual(forwards);
      expect(shuffled).toStrictEqual(forwards);
    });

    it.each(REPORT_DIMENSIONS)('gives the same totals by %s as by actor', (dimension) => {
      const byActor = buildAccountabilityReport('actor', summaries).totals;
      expect(buildAccountabilityReport(dimension, summaries).totals).toStrictEqual(byActor);
    });

    it.each(REPORT_DIMENSIONS)('survives a JSON round trip unchanged (%s)', (dimension) => {
      const report = buildAccountabilityReport(dimension, summaries);
      expect(JSON.parse(JSON.stringify(report))).toStrictEqual(report);
    });

    it.each(REPORT_DIMENSIONS)(
      'builds the same %s report one summary at a time, without keeping the summaries',
      (dimension) => {
        const builder = new AccountabilityReportBuilder(dimension);
        for (const summary of [...summaries].reverse()) builder.add(summary);
        expect(builder.build()).toStrictEqual(buildAccountabilityReport(dimension, summaries));
        // Building does not consume the tallies: a second build gives the same report.
        expect(builder.build()).toStrictEqual(builder.build());
      },
    );

    it('counts a pledge given twice once, at its latest version', () => {
      const before = summaryOf({ id: 'p1' });
      const after = summaryOf({ id: 'p1', then: [pledgeWithdrawn()] });
      for (const input of [
        [before, after],
        [after, before],
      ]) {
        const report = buildAccountabilityReport('actor', input);
        expect(report.totals.pledges).toBe(1);
        expect(report.totals.byStatus.withdrawn).toBe(1);
      }
    });
  });

  describe('dimensions', () => {
    it('knows the six dimensions', () => {
      expect(REPORT_DIMENSIONS).toEqual(['actor', 'actor-type', 'country', 'region', 'framework', 'action']);
      expect(REPORT_DIMENSIONS.every(isReportDimension)).toBe(true);
      expect(isReportDimension('currency')).toBe(false);
      expect(isReportDimension(undefined)).toBe(false);
    });

    it('refuses an unknown dimension', () => {
      expect(() => buildAccountabilityReport('currency' as ReportDimension, [summaryOf()])).toThrow(
        /Unknown report dimension "currency"/,
      );
    });
  });
});
