import type { PledgeEvent } from './pledge.events';

/** A stored or published event ({type, payload}) as the domain event it records ({type, data}). */
export function pledgeEventOf(recorded: { type: string; payload: unknown }): PledgeEvent {
  return { type: recorded.type, data: recorded.payload } as PledgeEvent;
}
