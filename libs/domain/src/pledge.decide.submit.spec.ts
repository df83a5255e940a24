import { DomainErrorCode as E } from './domain-error';
import type { PledgeTerms } from './pledge-terms';
import type { SubmitPledge } from './pledge.commands';
import { given } from './testing/decider-specification';
import {
  ACTOR,
  ADMIN,
  NOW,
  ORGANISATION,
  PLEDGE_ID,
  VERIFIER,
  aReductionTarget,
  aTarget,
  context,
  pledgeSubmitted,
  someTerms,
} from './testing/pledge-fixtures';

const submit = (terms: unknown = someTerms()): SubmitPledge => ({
  type: 'SubmitPledge',
  pledgeId: PLEDGE_ID,
  terms: terms as PledgeTerms,
});

describe('SubmitPledge', () => {
  it('records the pledge in the name of the calling organisation, at the context time', () => {
    given([])
      .when(submit())
      .then([
        {
          type: 'PledgeSubmitted',
          data: { pledgeId: PLEDGE_ID, actor: ACTOR, terms: someTerms(), submittedAt: NOW.toISOString() },
        },
      ]);
  });

  it('records clean terms: trimmed text, only known fields, defaults for absent scope fields', () => {
    const [event] = given([])
      .when(
        submit({
          ...someTerms({ title: '  Skills for women  ', global: undefined, regions: undefined }),
          countries: ['KE'],
          sneaky: 'extra field',
          financialCommitment: undefined,
          targets: [{ ...aTarget(), indicator: ' Women trained ', comment: 'dropped' }],
        }),
      )
      .events();
    expect(event.type === 'PledgeSubmitted' && event.data.terms).toEqual({
      ...someTerms({
        title: 'Skills for women',
        global: false,
        regions: [],
        targets: [{ ...aTarget(), indicator: 'Women trained' }],
      }),
      financialCommitment: undefined,
    });
    expect(Object.keys(event.type === 'PledgeSubmitted' ? event.data.terms : {})).not.toContain(
      'financialCommitment',
    );
  });

  it('records only the actor identity of the principal', () => {
    const principal = { ...ORGANISATION, actor: { ...ACTOR, secret: 'x' } as typeof ACTOR };
    const [event] = given([]).when(submit(), context(principal)).events();
    expect(event.type === 'PledgeSubmitted' && event.data.actor).toEqual(ACTOR);
  });

  describe('who may submit', () => {
    it('refuses a verifier', () => given([]).when(submit(), context(VERIFIER)).thenThrows(E.RoleNotAllowed));
    it('refuses an admin', () => given([]).when(submit(), context(ADMIN)).thenThrows(E.RoleNotAllowed));
    it('refuses an organisation principal without an actor', () =>
      given([])
        .when(submit(), context({ ...ORGANISATION, actor: undefined }))
        .thenThrows(E.RoleNotAllowed));
  });

  it('refuses a pledge that already exists', () =>
    given([pledgeSubmitted()]).when(submit()).thenThrows(E.PledgeAlreadyExists));

  it('refuses an empty pledge id', () =>
    given([])
      .when({ ...submit(), pledgeId: '' })
      .thenThrows(E.InvalidCommand, 'pledgeId'));

  describe('terms', () => {
    const withTerms = (overrides: Partial<Record<keyof PledgeTerms, unknown>>) =>
      given([]).when(submit({ ...someTerms(), ...overrides }));

    it('refuses terms that are not an object', () =>
      given([]).when(submit(null)).thenThrows(E.InvalidTerms, 'terms'));
    it('requires a title', () => withTerms({ title: '   ' }).thenThrows(E.InvalidTerms, 'terms.title'));
    it('requires a description', () =>
      withTerms({ description: '' }).thenThrows(E.InvalidTerms, 'terms.description'));

    it('requires at least one action', () =>
      withTerms({ actions: [] }).thenThrows(E.InvalidTerms, 'terms.actions'));
    it('refuses an action of an unknown framework', () =>
      withTerms({ actions: [{ framework: 'sdg5', action: 'policies' }] }).thenThrows(
        E.UnknownFramework,
        'terms.actions[0].framework',
      ));
    it('refuses an unknown action of a known framework', () =>
      withTerms({
        actions: [
          { framework: 'wsis10-gender-gap', action: 'access' },
          { framework: 'gender-caucus', action: 'policies' },
        ],
      }).thenThrows(E.UnknownAction, 'terms.actions[1].action'));
    it('refuses the same action twice', () =>
      withTerms({
        actions: [
          { framework: 'gender-caucus', action: 'governance-reform' },
          { framework: 'gender-caucus', action: 'governance-reform' },
        ],
      }).thenThrows(E.InvalidTerms, 'terms.actions[1]'));

    it('refuses a country that is not an uppercase alpha-2 code', () => {
      withTerms({ countries: ['KE', 'ug'] }).thenThrows(E.InvalidCountry, 'terms.countries[1]');
      withTerms({ countries: ['KEN'] }).thenThrows(E.InvalidCountry, 'terms.countries[0]');
      withTerms({ countries: ['XY'] }).thenThrows(E.InvalidCountry, 'terms.countries[0]');
    });
    it('refuses a country listed twice', () =>
      withTerms({ countries: ['KE', 'UG', 'KE'] }).thenThrows(E.InvalidTerms, 'terms.countries[2]'));
    it('refuses an unknown region', () =>
      withTerms({ regions: ['east-africa'] }).thenThrows(E.InvalidRegion, 'terms.regions[0]'));
    it('refuses a region listed twice', () =>
      withTerms({ regions: ['africa', 'africa'] }).thenThrows(E.InvalidTerms, 'terms.regions[1]'));
    it('requires a place: a country, a region or global', () =>
      withTerms({ countries: [], regions: [], global: false }).thenThrows(E.InvalidTerms, 'terms.countries'));
    it('accepts a global pledge without countries or regions', () => {
      expect(
        given([])
          .when(submit(someTerms({ countries: [], regions: [], global: true })))
          .events(),
      ).toHaveLength(1);
    });
    it('refuses a non-boolean global', () =>
      withTerms({ global: 'yes' }).thenThrows(E.InvalidTerms, 'terms.global'));

    it('requires at least one target', () =>
      withTerms({ targets: [] }).thenThrows(E.InvalidTerms, 'terms.targets'));
    it('refuses two targets with the same id', () =>
      withTerms({ targets: [aTarget(), aReductionTarget({ id: 'women-trained' })] }).thenThrows(
        E.DuplicateTarget,
        'terms.targets[1]',
      ));
    it.each(['Women', 'women_trained', '-x', '', 'a'.repeat(41)])('refuses target id %p', (id) =>
      withTerms({ targets: [aTarget({ id })] }).thenThrows(E.InvalidTerms, 'terms.targets[0].id'),
    );
    it('requires an indicator and a unit', () => {
      withTerms({ targets: [aTarget({ indicator: ' ' })] }).thenThrows(
        E.InvalidTerms,
        'terms.targets[0].indicator',
      );
      withTerms({ targets: [aTarget({ unit: '' })] }).thenThrows(E.InvalidTerms, 'terms.targets[0].unit');
    });
    it.each(['2026-02-30', '2026-12-31T00:00:00Z', '31/12/2026', ''])('refuses deadline %p', (deadline) =>
      withTerms({ targets: [aReductionTarget(), aTarget({ deadline })] }).thenThrows(
        E.InvalidTerms,
        'terms.targets[1].deadline',
      ),
    );
    it('refuses a target value equal to the baseline', () =>
      withTerms({ targets: [aTarget({ baseline: 5, targetValue: 5 })] }).thenThrows(
        E.InvalidTerms,
        'terms.targets[0].targetValue',
      ));
    it.each([NaN, Infinity, '10'])('refuses a non-finite or non-numeric baseline %p', (baseline) =>
      withTerms({ targets: [{ ...aTarget(), baseline } as never] }).thenThrows(
        E.InvalidTerms,
        'terms.targets[0].baseline',
      ),
    );
    it('refuses a non-finite target value', () =>
      withTerms({ targets: [aTarget({ targetValue: -Infinity })] }).thenThrows(
        E.InvalidTerms,
        'terms.targets[0].targetValue',
      ));

    it.each([-10000, 1e16])('refuses a target value of %p (never negative, never absurd)', (targetValue) =>
      withTerms({ targets: [aTarget({ targetValue })] }).thenThrows(
        E.InvalidTerms,
        'terms.targets[0].targetValue',
      ),
    );
    it('refuses a negative baseline', () =>
      withTerms({ targets: [aTarget({ baseline: -1 })] }).thenThrows(
        E.InvalidTerms,
        'terms.targets[0].baseline',
      ));
    it.each([0, -100, 1e308])('refuses a financial commitment of %p', (amount) =>
      withTerms({ financialCommitment: { amount, currency: 'USD' } }).thenThrows(
        E.InvalidTerms,
        'terms.financialCommitment.amount',
      ),
    );
    it.each(['usd', 'DOLLARS', 'XXX'])('refuses currency %p', (currency) =>
      withTerms({ financialCommitment: { amount: 10, currency } }).thenThrows(
        E.InvalidCurrency,
        'terms.financialCommitment.currency',
      ),
    );
  });
});
