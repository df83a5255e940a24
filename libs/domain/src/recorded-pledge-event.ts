import type { ImportedFrom, PledgeEvent } from './pledge.events';

/** A stored or published event ({type, payload, provenance?}) as the domain event it records ({type, data}). */
export function pledgeEventOf(recorded: {
  type: string;
  payload: unknown;
  provenance?: ImportedFrom | unknown;
}): PledgeEvent {
  const event = { type: recorded.type, data: recorded.payload } as PledgeEvent;
  if (recorded.provenance !== undefined && recorded.provenance !== null)
    event.provenance = recorded.provenance as ImportedFrom;
  return event;
}
