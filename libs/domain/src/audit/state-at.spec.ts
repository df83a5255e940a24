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
import { effectiveTime, stateAsOf, stateAtTime, type RecordedPledgeEvent } from './state-at';

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

describe('stateAsOf (effective time) versus stateAtTime (recorded time)', () => {
  // Submitted on 2025-01-10; the report is as of 2025-03-31 but recorded on 2025-04-05; its correction (as of
  // 2025-03-31 too) recorded on 2025-04-20; withdrawn on 2025-05-20.
  it('an event is effective when it says: a report on its as-of date, the rest when they were declared', () => {
    expect(effectiveTime(log[1])).toBe('2025-03-31');
    expect(effectiveTime(log[0])).toBe(SUBMITTED_AT);
    expect(effectiveTime({ ...log[3], occurredAt: '2025-05-01T00:00:00Z' })).toBe('2025-05-01T00:00:00Z');
  });

  it('as of a date, the report sent later already counts; as recorded then, it does not', () => {
    const asOf = stateAsOf(log, '2025-04-01');
    expect(asOf.state.progressReports.map((r) => r.reportId)).toEqual(['report-1', 'report-1-fix']);
    expect(asOf.eventsIncluded).toBe(3);
    expect(asOf.lastVersion).toBe(3);
    expect(asOf.state.status).toBe('active');
    expect(stateAtTime(log, '2025-04-01T23:59:59.999Z').progressReports).toEqual([]);
  });

  it('a calendar date includes the whole of that day, and nothing of the next', () => {
    expect(stateAsOf(log, '2025-03-31').eventsIncluded).toBe(3);
    expect(stateAsOf(log, '2025-03-30').eventsIncluded).toBe(1);
    expect(stateAsOf(log, '2025-05-20').state.status).toBe('withdrawn');
    expect(stateAsOf(log, '2025-05-19').state.status).toBe('active');
  });

  it('before the pledge was made it does not exist, whatever was recorded since', () => {
    expect(stateAsOf(log, '2025-01-09').state).toEqual(initialPledgeState);
  });

  it('both times at once: as of a date, as the ledger knew it at an instant', () => {
    const knownThen = stateAsOf(log, '2025-04-01', '2025-04-10T00:00:00Z');
    expect(knownThen.state.progressReports.map((r) => [r.reportId, r.value])).toEqual([['report-1', 2500]]);
    expect(knownThen.eventsIncluded).toBe(2);
  });

  it('refuses a date or instant it cannot read, naming which', () => {
    expect(() => stateAsOf(log, '2025-13-45x')).toThrow(DomainError);
    expect(() => stateAsOf(log, '2025-04-01', 'yesterday')).toThrow(/recordedAt/);
  });
});
