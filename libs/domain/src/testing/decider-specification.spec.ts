import { DomainErrorCode as E } from '../domain-error';
import { given } from './decider-specification';
import { PLEDGE_ID, pledgeSubmitted } from './pledge-fixtures';

// The helper must fail loudly when an expectation is wrong, or every spec using it proves nothing.
describe('decider specification helper', () => {
  const withdraw = { type: 'WithdrawPledge', pledgeId: PLEDGE_ID, reason: 'r' } as const;

  it('fails when other events are produced', () => {
    expect(() => given([pledgeSubmitted()]).when(withdraw).then([])).toThrow();
  });

  it('fails when a command expected to throw is accepted', () => {
    expect(() => given([pledgeSubmitted()]).when(withdraw).thenThrows(E.PledgeClosed)).toThrow(/accepted/);
  });

  it('fails on the wrong code or field', () => {
    expect(() => given([]).when(withdraw).thenThrows(E.PledgeClosed)).toThrow(/pledge-not-found/);
    expect(() =>
      given([pledgeSubmitted()])
        .when({ ...withdraw, reason: '' })
        .thenThrows(E.InvalidCommand, 'note'),
    ).toThrow(/wrong field/);
  });
});
