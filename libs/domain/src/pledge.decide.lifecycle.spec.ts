import { decide } from './pledge.decide';
import { DomainErrorCode as E } from './domain-error';
import type { FulfilPledge, RecordVerification, WithdrawPledge } from './pledge.commands';
import { foldPledge } from './pledge.evolve';
import { given } from './testing/decider-specification';
import {
  ADMIN,
  NOW,
  ORGANISATION,
  OTHER_ORGANISATION,
  PLEDGE_ID,
  VERIFIER,
  context,
  pledgeFulfilled,
  pledgeSubmitted,
  pledgeWithdrawn,
  progressCorrected,
  progressReported,
  verificationRecorded,
} from './testing/pledge-fixtures';

const fulfil = (note = 'All 10,000 women trained.'): FulfilPledge => ({
  type: 'FulfilPledge',
  pledgeId: PLEDGE_ID,
  note,
});
const withdraw = (reason = 'Programme funding ended.'): WithdrawPledge => ({
  type: 'WithdrawPledge',
  pledgeId: PLEDGE_ID,
  reason,
});
const verify = (overrides: Partial<RecordVerification> = {}): RecordVerification => ({
  type: 'RecordVerification',
  pledgeId: PLEDGE_ID,
  verificationId: 'verification-2',
  outcome: 'confirmed',
  note: 'Matches the national survey.',
  ...overrides,
});

describe('FulfilPledge', () => {
  const submitted = pledgeSubmitted();

  it('closes an active pledge as fulfilled', () =>
    given([submitted])
      .when(fulfil())
      .then([
        {
          type: 'PledgeFulfilled',
          data: { pledgeId: PLEDGE_ID, note: 'All 10,000 women trained.', fulfilledAt: NOW.toISOString() },
        },
      ]));

  it('accepts an empty note', () => {
    const [event] = given([submitted]).when(fulfil('')).events();
    expect(event.type === 'PledgeFulfilled' && event.data.note).toBe('');
  });

  it('refuses a pledge that does not exist', () => given([]).when(fulfil()).thenThrows(E.PledgeNotFound));
  it('refuses another organisation', () =>
    given([submitted]).when(fulfil(), context(OTHER_ORGANISATION)).thenThrows(E.NotPledgeOwner));
  it('refuses a verifier', () =>
    given([submitted]).when(fulfil(), context(VERIFIER)).thenThrows(E.RoleNotAllowed));
  it('refuses a pledge already fulfilled', () =>
    given([submitted, pledgeFulfilled()]).when(fulfil()).thenThrows(E.PledgeClosed));
  it('refuses a withdrawn pledge', () =>
    given([submitted, pledgeWithdrawn()]).when(fulfil()).thenThrows(E.PledgeClosed));
});

describe('WithdrawPledge', () => {
  const submitted = pledgeSubmitted();

  it('closes an active pledge as withdrawn, with the reason', () =>
    given([submitted])
      .when(withdraw())
      .then([
        {
          type: 'PledgeWithdrawn',
          data: { pledgeId: PLEDGE_ID, reason: 'Programme funding ended.', withdrawnAt: NOW.toISOString() },
        },
      ]));

  it('requires a reason', () =>
    given([submitted]).when(withdraw(' ')).thenThrows(E.InvalidCommand, 'reason'));
  it('refuses a pledge that does not exist', () => given([]).when(withdraw()).thenThrows(E.PledgeNotFound));
  it('refuses another organisation', () =>
    given([submitted]).when(withdraw(), context(OTHER_ORGANISATION)).thenThrows(E.NotPledgeOwner));
  it('refuses an admin', () =>
    given([submitted]).when(withdraw(), context(ADMIN)).thenThrows(E.RoleNotAllowed));
  it('refuses a pledge already withdrawn', () =>
    given([submitted, pledgeWithdrawn()]).when(withdraw()).thenThrows(E.PledgeClosed));
  it('refuses a fulfilled pledge', () =>
    given([submitted, pledgeFulfilled()]).when(withdraw()).thenThrows(E.PledgeClosed));
});

describe('RecordVerification', () => {
  const history = [pledgeSubmitted(), progressReported()];
  const asVerifier = context(VERIFIER);

  it('records a verification of the pledge as a whole, in the verifier’s name', () =>
    given(history)
      .when(verify(), asVerifier)
      .then([
        {
          type: 'VerificationRecorded',
          data: {
            pledgeId: PLEDGE_ID,
            verificationId: 'verification-2',
            verifier: { id: VERIFIER.id, name: VERIFIER.name },
            outcome: 'confirmed',
            note: 'Matches the national survey.',
            recordedAt: NOW.toISOString(),
          },
        },
      ]));

  it('records a dispute of one progress report', () => {
    const [event] = given(history)
      .when(verify({ outcome: 'disputed', reportId: 'report-1', note: 'Registers show 1,900.' }), asVerifier)
      .events();
    expect(event.type === 'VerificationRecorded' && event.data).toMatchObject({
      outcome: 'disputed',
      reportId: 'report-1',
    });
  });

  it('may verify a superseded report: auditing looks at history too', () => {
    expect(
      given([...history, progressCorrected()])
        .when(verify({ reportId: 'report-1' }), asVerifier)
        .events(),
    ).toHaveLength(1);
  });

  it('continues after the pledge is closed', () => {
    expect(
      given([...history, pledgeWithdrawn()])
        .when(verify(), asVerifier)
        .events(),
    ).toHaveLength(1);
    expect(
      given([...history, pledgeFulfilled()])
        .when(verify(), asVerifier)
        .events(),
    ).toHaveLength(1);
  });

  it('refuses an organisation, even the pledge owner', () => {
    given(history).when(verify(), context(ORGANISATION)).thenThrows(E.RoleNotAllowed);
    given(history).when(verify(), context(OTHER_ORGANISATION)).thenThrows(E.RoleNotAllowed);
  });
  it('refuses an admin', () => given(history).when(verify(), context(ADMIN)).thenThrows(E.RoleNotAllowed));
  it('refuses a pledge that does not exist', () =>
    given([]).when(verify(), asVerifier).thenThrows(E.PledgeNotFound));

  it('refuses a report the pledge does not have', () =>
    given(history)
      .when(verify({ reportId: 'report-9' }), asVerifier)
      .thenThrows(E.UnknownProgressReport, 'reportId'));

  it('refuses a verification id already used', () =>
    given([...history, verificationRecorded({ verificationId: 'verification-2' })])
      .when(verify(), asVerifier)
      .thenThrows(E.DuplicateVerification, 'verificationId'));

  it('requires the grounds of a dispute, not of a confirmation', () => {
    given(history)
      .when(verify({ outcome: 'disputed', note: ' ' }), asVerifier)
      .thenThrows(E.InvalidCommand, 'note');
    expect(
      given(history)
        .when(verify({ note: '' }), asVerifier)
        .events(),
    ).toHaveLength(1);
  });

  it('refuses an unknown outcome', () =>
    given(history)
      .when(verify({ outcome: 'maybe' as never }), asVerifier)
      .thenThrows(E.InvalidCommand, 'outcome'));
});

describe('decide', () => {
  it('refuses, as a wiring bug, a command applied to another pledge’s state', () => {
    expect(() =>
      decide({ ...withdraw(), pledgeId: 'another-pledge' }, foldPledge([pledgeSubmitted()]), context()),
    ).toThrow(/another-pledge/);
  });
});
