import { applyTermsChanges, isReductionTarget } from './pledge-terms';
import { aReductionTarget, aTarget, someTerms } from './testing/pledge-fixtures';

describe('applyTermsChanges', () => {
  it('replaces only the fields named in the changes', () => {
    const terms = someTerms();
    const next = applyTermsChanges(terms, { title: 'New title', countries: ['KE', 'UG'] });
    expect(next).toEqual({ ...terms, title: 'New title', countries: ['KE', 'UG'] });
    expect(terms.title).not.toBe('New title');
  });

  it('removes the financial commitment on null and leaves no undefined key behind', () => {
    const next = applyTermsChanges(someTerms(), { financialCommitment: null });
    expect('financialCommitment' in next).toBe(false);
  });

  it('adds a financial commitment', () => {
    const next = applyTermsChanges(someTerms({ financialCommitment: undefined }), {
      financialCommitment: { amount: 5, currency: 'EUR' },
    });
    expect(next.financialCommitment).toEqual({ amount: 5, currency: 'EUR' });
  });
});

describe('isReductionTarget', () => {
  it('is true when the target value is below the baseline', () => {
    expect(isReductionTarget(aReductionTarget())).toBe(true);
    expect(isReductionTarget(aTarget())).toBe(false);
  });
});
