import { DomainError, DomainErrorCode } from '../domain-error';
import type { PledgeEvent } from '../pledge.events';
import { foldPledge } from '../pledge.evolve';
import { initialPledgeState } from '../pledge.state';
import {
  pledgeSubmitted,
  pledgeWithdrawn,
  progressCorrected,
  progressReported,
  SUBMITTED_AT,
} from '../testing/pledge-fixtures';
import { stateAtTime, type RecordedPledgeEvent } from './state-at';

const recorded = (event: PledgeEvent, recordedAt: string): RecordedPledgeEvent => ({
  recordedAt,
  type: event.type,
  payload: event.data,
});

const history: PledgeEvent[] = [
  pledgeSubmitted(),
  progressReported(),
  progressCorrected(),
  pledgeWithdrawn(),
];
const log: RecordedPledgeEvent[] = [
  recorded(history[0], SUBMITTED_AT), // 2025-01-10T09:00:00.000Z
  recorded(history[1], '2025-04-05T10:00:00.000Z'),
  recorded(history[2], '2025-04-20T10:00:00.000Z'),
  recorded(history[3], '2025-05-20T08:00:00.000Z'),
];

describe('stateAtTime', () => {
  it('is the initial state before the pledge was submitted', () => {
    expect(stateAtTime(log, '2025-01-01T00:00:00Z')).toEqual(initialPledgeState);
  });

  it('folds the events recorded up to the instant, in stream order', () => {
    expect(stateAtTime(log, '2025-04-10T00:00:00Z')).toEqual(foldPledge(history.slice(0, 2)));
    expect(stateAtTime(log, '2025-04-10T00:00:00Z')).toMatchObject({ version: 2, status: 'active' });
  });

  it('includes an event recorded exactly at the instant', () => {
    expect(stateAtTime(log, '2025-04-20T10:00:00.000Z').version).toBe(3);
    expect(stateAtTime(log, '2025-04-20T09:59:59.999Z').version).toBe(2);
  });

  it('compares instants, not spellings: another offset names the same moment', () => {
    expect(stateAtTime(log, '2025-04-20T12:00:00+02:00').version).toBe(3);
  });

  it('takes a Date as well as a string', () => {
    expect(stateAtTime(log, new Date('2025-06-01T00:00:00Z'))).toEqual(foldPledge(history));
    expect(stateAtTime(log, new Date('2025-06-01T00:00:00Z')).status).toBe('withdrawn');
  });

  it('shows a correction and the report it superseded as they stood', () => {
    const beforeFix = stateAtTime(log, '2025-04-19T00:00:00Z');
    expect(beforeFix.progressReports).toEqual([
      expect.objectContaining({ reportId: 'report-1', value: 2500 }),
    ]);
    expect(beforeFix.progressReports[0].supersededBy).toBeUndefined();
    const afterFix = stateAtTime(log, '2025-04-21T00:00:00Z');
    expect(afterFix.progressReports.map((r) => [r.reportId, r.supersededBy])).toEqual([
      ['report-1', 'report-1-fix'],
      ['report-1-fix', undefined],
    ]);
  });

  it('stops at the first event recorded later, so a clock that stepped back never skips an event', () => {
    const skewed = [
      log[0],
      log[1],
      { ...log[2], recordedAt: '2025-04-25T00:00:00Z' },
      { ...log[3], recordedAt: '2025-04-22T00:00:00Z' }, // recorded after the correction, stamped earlier
    ];
    expect(stateAtTime(skewed, '2025-04-23T00:00:00Z')).toEqual(foldPledge(history.slice(0, 2)));
  });

  it('is the initial state for an empty history', () => {
    expect(stateAtTime([], '2025-01-01T00:00:00Z')).toEqual(initialPledgeState);
  });

  it('refuses an instant it cannot read', () => {
    for (const at of ['yesterday', new Date('nonsense')]) {
      expect(() => stateAtTime(log, at)).toThrow(DomainError);
      expect(() => stateAtTime(log, at)).toThrow(
        expect.objectContaining({ code: DomainErrorCode.InvalidCommand, field: 'at' }),
      );
    }
  });

  it('refuses a stored event without a readable recording time', () => {
    expect(() => stateAtTime([{ ...log[0], recordedAt: 'n/a' }], '2025-06-01T00:00:00Z')).toThrow(RangeError);
  });
});
