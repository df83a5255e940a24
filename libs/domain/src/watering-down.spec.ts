import { aReductionTarget, aTarget, someTerms } from './testing/pledge-fixtures';
import { findWateringDown } from './watering-down';

describe('findWateringDown', () => {
  const before = someTerms();

  it('finds nothing when the promise only grows', () => {
    const after = someTerms({
      targets: [
        aTarget({ targetValue: 20000, deadline: '2026-06-30' }),
        aReductionTarget({ targetValue: 5 }),
      ],
      financialCommitment: { amount: 3_000_000, currency: 'USD' },
    });
    expect(findWateringDown(before, after)).toEqual([]);
  });

  it('flags a lowered increase target', () => {
    const after = someTerms({ targets: [aTarget({ targetValue: 5000 }), aReductionTarget()] });
    expect(findWateringDown(before, after)).toEqual([
      { kind: 'target-lowered', targetId: 'women-trained', from: 10000, to: 5000 },
    ]);
  });

  it('flags a RAISED reduction target as lowered ambition (less of the gap is closed)', () => {
    const after = someTerms({ targets: [aTarget(), aReductionTarget({ targetValue: 15 })] });
    expect(findWateringDown(before, after)).toEqual([
      { kind: 'target-lowered', targetId: 'internet-gap', from: 10, to: 15 },
    ]);
  });

  it('flags a postponed deadline, and both findings when a target is lowered and postponed', () => {
    const after = someTerms({
      targets: [aTarget({ targetValue: 8000, deadline: '2027-06-30' }), aReductionTarget()],
    });
    expect(findWateringDown(before, after)).toEqual([
      { kind: 'target-lowered', targetId: 'women-trained', from: 10000, to: 8000 },
      { kind: 'deadline-postponed', targetId: 'women-trained', from: '2026-12-31', to: '2027-06-30' },
    ]);
  });

  it('flags a dropped target', () => {
    const after = someTerms({ targets: [aTarget()] });
    expect(findWateringDown(before, after)).toEqual([
      { kind: 'target-dropped', targetId: 'internet-gap', from: 10, to: null },
    ]);
  });

  it('flags a cut amount and a removed commitment', () => {
    expect(
      findWateringDown(before, someTerms({ financialCommitment: { amount: 1_500_000, currency: 'USD' } })),
    ).toEqual([{ kind: 'financial-commitment-cut', from: 2_000_000, to: 1_500_000 }]);
    expect(findWateringDown(before, someTerms({ financialCommitment: undefined }))).toEqual([
      { kind: 'financial-commitment-cut', from: 2_000_000, to: null },
    ]);
  });

  it('flags a currency change for a human to judge, as amounts cannot be compared', () => {
    const after = someTerms({ financialCommitment: { amount: 250_000_000, currency: 'KES' } });
    expect(findWateringDown(before, after)).toEqual([{ kind: 'currency-changed', from: 'USD', to: 'KES' }]);
  });

  it('does not compare values across a change of unit', () => {
    const after = someTerms({
      targets: [aTarget({ unit: 'thousand people', targetValue: 10 }), aReductionTarget()],
    });
    expect(findWateringDown(before, after)).toEqual([]);
  });

  it('ignores new targets and a commitment added where there was none', () => {
    const bare = someTerms({ financialCommitment: undefined });
    const after = someTerms({ targets: [...before.targets, aTarget({ id: 'mentors', targetValue: 50 })] });
    expect(findWateringDown(bare, after)).toEqual([]);
  });
});
