import { PLEDGE_EVENT_TYPES, type PledgeEvent } from './pledge.events';
import { evolve, foldPledge } from './pledge.evolve';
import { initialPledgeState } from './pledge.state';
import {
  ACTOR,
  PLEDGE_ID,
  SUBMITTED_AT,
  aTarget,
  pledgeFulfilled,
  pledgeSubmitted,
  pledgeWithdrawn,
  progressCorrected,
  progressReported,
  someTerms,
  verificationRecorded,
} from './testing/pledge-fixtures';

describe('evolve', () => {
  it('starts from a pledge that does not exist', () => {
    expect(initialPledgeState).toMatchObject({ exists: false, version: 0, status: 'none', amendments: 0 });
    expect(foldPledge([])).toBe(initialPledgeState);
  });

  it('makes a submitted pledge active with its actor and terms', () => {
    const state = foldPledge([pledgeSubmitted()]);
    expect(state).toMatchObject({
      exists: true,
      pledgeId: PLEDGE_ID,
      version: 1,
      status: 'active',
      actor: ACTOR,
      terms: someTerms(),
      submittedAt: SUBMITTED_AT,
      targetsSince: { 'women-trained': SUBMITTED_AT, 'internet-gap': SUBMITTED_AT },
    });
  });

  it('applies an amendment, counts it, accumulates watering-down and dates newly added targets', () => {
    const amended: PledgeEvent = {
      type: 'PledgeAmended',
      data: {
        pledgeId: PLEDGE_ID,
        reason: 'Scope change',
        previous: {
          targets: someTerms().targets,
          financialCommitment: { amount: 2_000_000, currency: 'USD' },
        },
        changes: {
          targets: [aTarget(), aTarget({ id: 'mentors', targetValue: 40 })],
          financialCommitment: null,
        },
        wateringDown: [
          { kind: 'target-dropped', targetId: 'internet-gap', from: 10, to: null },
          { kind: 'financial-commitment-cut', from: 2_000_000, to: null },
        ],
        amendedAt: '2025-03-01T00:00:00.000Z',
      },
    };
    const state = foldPledge([pledgeSubmitted(), amended]);
    expect(state.version).toBe(2);
    expect(state.amendments).toBe(1);
    expect(state.lastAmendedAt).toBe('2025-03-01T00:00:00.000Z');
    expect(state.terms?.targets.map((t) => t.id)).toEqual(['women-trained', 'mentors']);
    expect(state.terms && 'financialCommitment' in state.terms).toBe(false);
    expect(state.targetsSince).toEqual({
      'women-trained': SUBMITTED_AT,
      mentors: '2025-03-01T00:00:00.000Z',
    });
    expect(state.wateringDown).toHaveLength(2);
  });

  it('keeps a corrected report in history, marked as superseded', () => {
    const state = foldPledge([pledgeSubmitted(), progressReported(), progressCorrected()]);
    expect(state.progressReports).toEqual([
      expect.objectContaining({ reportId: 'report-1', value: 2500, supersededBy: 'report-1-fix' }),
      expect.objectContaining({
        reportId: 'report-1-fix',
        value: 2300,
        corrects: 'report-1',
        correctionReason: 'Double-counted dropouts',
        recordedAt: '2025-04-20T10:00:00.000Z',
      }),
    ]);
  });

  it('closes the pledge on fulfilment or withdrawal', () => {
    expect(foldPledge([pledgeSubmitted(), pledgeFulfilled()])).toMatchObject({
      status: 'fulfilled',
      fulfilledAt: '2025-05-20T08:00:00.000Z',
      fulfilmentNote: 'All targets met.',
    });
    expect(foldPledge([pledgeSubmitted(), pledgeWithdrawn()])).toMatchObject({
      status: 'withdrawn',
      withdrawnAt: '2025-05-20T08:00:00.000Z',
      withdrawalReason: 'Funding lost.',
    });
  });

  it('records verifications without changing the lifecycle, also after closing', () => {
    const state = foldPledge([
      pledgeSubmitted(),
      progressReported(),
      pledgeWithdrawn(),
      verificationRecorded({ reportId: 'report-1', outcome: 'disputed', note: 'No registers found' }),
    ]);
    expect(state.status).toBe('withdrawn');
    expect(state.verifications).toEqual([
      expect.objectContaining({
        verificationId: 'verification-1',
        outcome: 'disputed',
        reportId: 'report-1',
      }),
    ]);
    expect('reportId' in foldPledge([pledgeSubmitted(), verificationRecorded()]).verifications[0]).toBe(
      false,
    );
  });

  it('never mutates the state it is given', () => {
    const frozen = deepFreeze(foldPledge([pledgeSubmitted(), progressReported()]));
    expect(() => evolve(frozen, progressCorrected())).not.toThrow();
    expect(() => evolve(frozen, verificationRecorded())).not.toThrow();
    expect(frozen.progressReports).toHaveLength(1);
  });

  it('never throws on recorded history the rules would refuse today, and still counts the version', () => {
    const orphans: PledgeEvent[] = [
      progressReported(),
      progressCorrected({ correctsReportId: 'missing' }),
      { type: 'PledgeAmended', data: { ...amendedData(), changes: { title: 'x' } } },
      pledgeFulfilled(),
    ];
    const state = foldPledge(orphans);
    expect(state.version).toBe(4);
    expect(state.exists).toBe(false);
    expect(state.progressReports).toHaveLength(2);
  });

  it('ignores an event type it does not know, but counts it', () => {
    const state = evolve(foldPledge([pledgeSubmitted()]), {
      type: 'FromTheFuture',
      data: {},
    } as unknown as PledgeEvent);
    expect(state.version).toBe(2);
    expect(state.status).toBe('active');
  });

  it('handles every event type', () => {
    expect(PLEDGE_EVENT_TYPES).toHaveLength(7);
  });
});

function amendedData() {
  return {
    pledgeId: PLEDGE_ID,
    reason: 'r',
    previous: {},
    changes: {},
    wateringDown: [],
    amendedAt: '2025-03-01T00:00:00.000Z',
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
