import { DomainError, DomainErrorCode } from '../domain-error';
import { evolve } from '../pledge.evolve';
import { initialPledgeState, type PledgeState } from '../pledge.state';
import { pledgeEventOf } from '../recorded-pledge-event';

/** The part of a recorded event (as the event store returns it) that the fold needs. */
export interface RecordedPledgeEvent {
  recordedAt: string;
  /** When what the event declares happened (the envelope's effective time); recordedAt when absent. */
  occurredAt?: string;
  type: string;
  payload: unknown;
  version?: number;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Milliseconds of an instant, or of a calendar date's first (`end: false`) or last (`end: true`) millisecond, UTC. */
function timeOf(value: string, end: boolean): number {
  if (DATE_ONLY.test(value)) return Date.parse(`${value}T${end ? '23:59:59.999' : '00:00:00.000'}Z`);
  return Date.parse(value);
}

/**
 * An event's effective time: when what it declares happened, as opposed to when the ledger recorded it. A
 * progress report (or its correction) is effective on the date it is "as of"; every other event at its
 * envelope's `occurredAt` (the moment it was declared: a pledge made, amended, verified, withdrawn).
 */
export function effectiveTime(event: RecordedPledgeEvent): string {
  if (event.type === 'ProgressReported' || event.type === 'ProgressCorrected') {
    const asOf = (event.payload as { asOf?: unknown } | null)?.asOf;
    if (typeof asOf === 'string') return asOf;
  }
  return event.occurredAt ?? event.recordedAt;
}

export interface StateAsOf {
  state: PledgeState;
  /** How many of the events were folded (those effective by then and, with `recordedBy`, recorded by then). */
  eventsIncluded: number;
  /** The latest stream version among them (0 when none). */
  lastVersion: number;
}

/**
 * The pledge as of `asOf` (a calendar date: the end of that day, UTC; or an instant), as the ledger knows it
 * now: the fold, in stream order, of every event effective at or before then, even one recorded later (a
 * progress report as of 2025-06-30 sent in August counts as of 2025-07-01). With `recordedBy`, only what the
 * ledger had recorded by that instant: "what did the ledger know then about the state as of that date".
 * A correction counts from its own as-of date; a report it corrects that is not yet effective stays out.
 */
export function stateAsOf(
  events: readonly RecordedPledgeEvent[],
  asOf: string,
  recordedBy?: string,
): StateAsOf {
  const cutoff = timeOf(asOf, true);
  const known = recordedBy === undefined ? Number.POSITIVE_INFINITY : Date.parse(recordedBy);
  if (Number.isNaN(cutoff) || Number.isNaN(known)) {
    throw new DomainError(
      DomainErrorCode.InvalidCommand,
      `asOf must be a date (YYYY-MM-DD) or an ISO 8601 instant, recordedAt an instant; got ${asOf}, ${String(recordedBy)}`,
      Number.isNaN(cutoff) ? 'asOf' : 'recordedAt',
    );
  }
  let state = initialPledgeState;
  let eventsIncluded = 0;
  let lastVersion = 0;
  events.forEach((event, i) => {
    if (Date.parse(event.recordedAt) > known) return;
    if (timeOf(effectiveTime(event), false) > cutoff) return;
    state = evolve(state, pledgeEventOf(event));
    eventsIncluded += 1;
    lastVersion = event.version ?? i + 1;
  });
  return { state, eventsIncluded, lastVersion };
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
