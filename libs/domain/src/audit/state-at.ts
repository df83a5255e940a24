import { DomainError, DomainErrorCode } from '../domain-error';
import { evolve } from '../pledge.evolve';
import { initialPledgeState, type PledgeState } from '../pledge.state';
import { pledgeEventOf } from '../recorded-pledge-event';

/** The part of a recorded event (as the event store returns it) that the fold needs. */
export interface RecordedPledgeEvent {
  recordedAt: string;
  type: string;
  payload: unknown;
}

/**
 * The pledge as it stood at `at`: the fold of its events, in stream order, recorded at or before that instant.
 * Folding stops at the first event recorded later, so a clock that stepped back never yields a state that
 * skips an event: every answer is a state the pledge really had.
 */
export function stateAtTime(events: readonly RecordedPledgeEvent[], at: string | Date): PledgeState {
  const cutoff = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(cutoff)) {
    throw new DomainError(
      DomainErrorCode.InvalidCommand,
      `at must be an ISO 8601 instant, got ${String(at)}`,
      'at',
    );
  }
  let state = initialPledgeState;
  for (const event of events) {
    const recordedAt = Date.parse(event.recordedAt);
    if (Number.isNaN(recordedAt)) {
      throw new RangeError(`Event ${state.version + 1} has no valid recordedAt: ${String(event.recordedAt)}`);
    }
    if (recordedAt > cutoff) break;
    state = evolve(state, pledgeEventOf(event));
  }
  return state;
}
