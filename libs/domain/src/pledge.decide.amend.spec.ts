import { DomainErrorCode as E } from './domain-error';
import type { PledgeTermsChanges } from './pledge-terms';
import type { AmendPledge } from './pledge.commands';
import { given } from './testing/decider-specification';
import {
  ADMIN,
  NOW,
  OTHER_ORGANISATION,
  PLEDGE_ID,
  VERIFIER,
  aReductionTarget,
  aTarget,
  context,
  pledgeFulfilled,
  pledgeSubmitted,
  pledgeWithdrawn,
  progressReported,
  someTerms,
} from './testing/pledge-fixtures';

const amend = (changes: PledgeTermsChanges | unknown, reason = 'Budget revision 2025'): AmendPledge => ({
  type: 'AmendPledge',
  pledgeId: PLEDGE_ID,
  reason,
  changes: changes as PledgeTermsChanges,
});

describe('AmendPledge', () => {
  const submitted = pledgeSubmitted();

  it('records only what changed, with its previous value, the reason and no watering-down for a pure gain', () => {
    given([submitted])
      .when(amend({ title: 'Close the digital skills gap in East Africa', countries: ['KE', 'UG'] }))
      .then([
        {
          type: 'PledgeAmended',
          data: {
            pledgeId: PLEDGE_ID,
            reason: 'Budget revision 2025',
            previous: { title: someTerms().title, countries: ['KE'] },
            changes: { title: 'Close the digital skills gap in East Africa', countries: ['KE', 'UG'] },
            wateringDown: [],
            amendedAt: NOW.toISOString(),
          },
        },
      ]);
  });

  it('leaves out of the event the fields sent unchanged', () => {
    const [event] = given([submitted])
      .when(amend({ description: someTerms().description, global: true }))
      .events();
    expect(event.type === 'PledgeAmended' && event.data.changes).toEqual({ global: true });
  });

  it('flags watering-down in the event: lowered target, postponed deadline, cut amount', () => {
    const [event] = given([submitted])
      .when(
        amend({
          targets: [aTarget({ targetValue: 6000 }), aReductionTarget({ deadline: '2028-12-31' })],
          financialCommitment: { amount: 1_000_000, currency: 'USD' },
        }),
      )
      .events();
    expect(event.type === 'PledgeAmended' && event.data.wateringDown).toEqual([
      { kind: 'target-lowered', targetId: 'women-trained', from: 10000, to: 6000 },
      { kind: 'deadline-postponed', targetId: 'internet-gap', from: '2027-12-31', to: '2028-12-31' },
      { kind: 'financial-commitment-cut', from: 2_000_000, to: 1_000_000 },
    ]);
  });

  it('removes the financial commitment on null, recording null as the new value', () => {
    const [event] = given([submitted])
      .when(amend({ financialCommitment: null }))
      .events();
    expect(event.type === 'PledgeAmended' && event.data).toMatchObject({
      previous: { financialCommitment: { amount: 2_000_000, currency: 'USD' } },
      changes: { financialCommitment: null },
      wateringDown: [{ kind: 'financial-commitment-cut', from: 2_000_000, to: null }],
    });
  });

  it('adds a financial commitment where there was none, recording null as the previous value', () => {
    const [event] = given([pledgeSubmitted(someTerms({ financialCommitment: undefined }))])
      .when(amend({ financialCommitment: { amount: 10, currency: 'EUR' } }))
      .events();
    expect(event.type === 'PledgeAmended' && event.data).toMatchObject({
      previous: { financialCommitment: null },
      changes: { financialCommitment: { amount: 10, currency: 'EUR' } },
      wateringDown: [],
    });
  });

  it('lets a target without progress be dropped, flagged as watering-down', () => {
    const [event] = given([submitted, progressReported({ targetId: 'women-trained' })])
      .when(amend({ targets: [aTarget()] }))
      .events();
    expect(event.type === 'PledgeAmended' && event.data.wateringDown).toEqual([
      { kind: 'target-dropped', targetId: 'internet-gap', from: 10, to: null },
    ]);
  });

  describe('who and when', () => {
    it('refuses a pledge that does not exist', () =>
      given([])
        .when(amend({ title: 'x' }))
        .thenThrows(E.PledgeNotFound));
    it('refuses another organisation', () =>
      given([submitted])
        .when(amend({ title: 'x' }), context(OTHER_ORGANISATION))
        .thenThrows(E.NotPledgeOwner));
    it('refuses a verifier', () =>
      given([submitted])
        .when(amend({ title: 'x' }), context(VERIFIER))
        .thenThrows(E.RoleNotAllowed));
    it('refuses an admin', () =>
      given([submitted])
        .when(amend({ title: 'x' }), context(ADMIN))
        .thenThrows(E.RoleNotAllowed));
    it('refuses a withdrawn pledge', () =>
      given([submitted, pledgeWithdrawn()])
        .when(amend({ title: 'x' }))
        .thenThrows(E.PledgeClosed));
    it('refuses a fulfilled pledge', () =>
      given([submitted, pledgeFulfilled()])
        .when(amend({ title: 'x' }))
        .thenThrows(E.PledgeClosed));
  });

  it('requires a reason', () =>
    given([submitted])
      .when(amend({ title: 'x' }, '  '))
      .thenThrows(E.InvalidCommand, 'reason'));

  it('requires changes to be an object', () =>
    given([submitted])
      .when(amend(['title']))
      .thenThrows(E.InvalidCommand, 'changes'));

  it('refuses an amendment that changes nothing', () => {
    given([submitted]).when(amend({})).thenThrows(E.NoChange);
    given([submitted])
      .when(amend({ title: `  ${someTerms().title} ` }))
      .thenThrows(E.NoChange);
    given([submitted])
      .when(amend({ countries: ['KE'], unknownField: 1 }))
      .thenThrows(E.NoChange);
  });

  it('validates the amended terms like a submission, naming the field under "changes"', () => {
    given([submitted])
      .when(amend({ countries: ['ke'] }))
      .thenThrows(E.InvalidCountry, 'changes.countries[0]');
    given([submitted])
      .when(amend({ targets: [aTarget(), aTarget()] }))
      .thenThrows(E.DuplicateTarget, 'changes.targets[1]');
    given([submitted])
      .when(amend({ actions: [{ framework: 'gender-caucus', action: 'nope' }] }))
      .thenThrows(E.UnknownAction, 'changes.actions[0].action');
    given([submitted])
      .when(amend({ financialCommitment: { amount: 5, currency: 'usd' } }))
      .thenThrows(E.InvalidCurrency, 'changes.financialCommitment.currency');
    given([submitted])
      .when(amend({ targets: [] }))
      .thenThrows(E.InvalidTerms, 'changes.targets');
    given([submitted])
      .when(amend({ title: '' }))
      .thenThrows(E.InvalidTerms, 'changes.title');
  });

  describe('history cannot be rewritten', () => {
    const reported = [submitted, progressReported({ targetId: 'internet-gap', value: 18 })];

    it('refuses to drop a target that has progress reports', () =>
      given(reported)
        .when(amend({ targets: [aTarget()] }))
        .thenThrows(E.HistoryRewrite, 'changes.targets'));

    it('refuses to change the unit of a target that has progress reports', () =>
      given(reported)
        .when(amend({ targets: [aTarget(), aReductionTarget({ unit: 'percent' })] }))
        .thenThrows(E.HistoryRewrite, 'changes.targets[1].unit'));

    it('still lets the reported target be amended otherwise (flagged when weakened)', () => {
      const [event] = given(reported)
        .when(amend({ targets: [aTarget(), aReductionTarget({ targetValue: 12 })] }))
        .events();
      expect(event.type === 'PledgeAmended' && event.data.wateringDown).toEqual([
        { kind: 'target-lowered', targetId: 'internet-gap', from: 10, to: 12 },
      ]);
    });
  });
});
