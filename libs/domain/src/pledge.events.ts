import type { Actor } from './actor';
import type { PledgeTerms, PledgeTermsChanges } from './pledge-terms';
import type { WateringDownFinding } from './watering-down';

// The pledge's history. Recorded events are never rewritten: change a shape only with a new schema version
// upcast on read. Timestamps are ISO 8601 instants taken from the decision context; as-of dates are YYYY-MM-DD.
// Payloads hold no `undefined` values (an absent optional field is left out), so they survive JSON, BSON and
// canonical hashing unchanged.

export type PledgeSubmitted = {
  type: 'PledgeSubmitted';
  data: { pledgeId: string; actor: Actor; terms: PledgeTerms; submittedAt: string };
};

export type PledgeAmended = {
  type: 'PledgeAmended';
  data: {
    pledgeId: string;
    reason: string;
    /** The earlier value of every changed field; `financialCommitment: null` means there was none. */
    previous: PledgeTermsChanges;
    /** Only the fields that changed, as validated; `financialCommitment: null` means it was removed. */
    changes: PledgeTermsChanges;
    wateringDown: WateringDownFinding[];
    amendedAt: string;
  };
};

export type ProgressReported = {
  type: 'ProgressReported';
  data: {
    pledgeId: string;
    reportId: string;
    targetId: string;
    value: number;
    asOf: string;
    narrative: string;
    evidence: string[];
    reportedAt: string;
  };
};

export type ProgressCorrected = {
  type: 'ProgressCorrected';
  data: {
    pledgeId: string;
    /** The correcting report's own id. */
    reportId: string;
    correctsReportId: string;
    targetId: string;
    value: number;
    asOf: string;
    narrative: string;
    evidence: string[];
    reason: string;
    correctedAt: string;
  };
};

export type PledgeFulfilled = {
  type: 'PledgeFulfilled';
  data: { pledgeId: string; note: string; fulfilledAt: string };
};

export type PledgeWithdrawn = {
  type: 'PledgeWithdrawn';
  data: { pledgeId: string; reason: string; withdrawnAt: string };
};

export type VerificationRecorded = {
  type: 'VerificationRecorded';
  data: {
    pledgeId: string;
    verificationId: string;
    verifier: { id: string; name: string };
    outcome: 'confirmed' | 'disputed';
    note: string;
    /** Set when a progress report is verified; absent when the pledge as a whole is. */
    reportId?: string;
    recordedAt: string;
  };
};

/**
 * Where an imported event came from (the envelope's `provenance`): the import, the source and who wrote the
 * record there. Events written through the API have none.
 */
export interface ImportedFrom {
  kind: 'import';
  importId: string;
  source: { name: string; url?: string; retrievedOn: string };
  originalAuthor: string;
  sourceRef: string;
  row: number;
  rowHash: string;
}

type Payloads =
  | PledgeSubmitted
  | PledgeAmended
  | ProgressReported
  | ProgressCorrected
  | PledgeFulfilled
  | PledgeWithdrawn
  | VerificationRecorded;

/** A pledge event: its type and data, and (for imported history) where it came from. */
export type PledgeEvent = Payloads & { provenance?: ImportedFrom };

export type PledgeEventType = PledgeEvent['type'];

export type VerificationOutcome = VerificationRecorded['data']['outcome'];

export const PLEDGE_EVENT_TYPES: readonly PledgeEventType[] = Object.freeze([
  'PledgeSubmitted',
  'PledgeAmended',
  'ProgressReported',
  'ProgressCorrected',
  'PledgeFulfilled',
  'PledgeWithdrawn',
  'VerificationRecorded',
] as const);

export function isPledgeEventType(type: unknown): type is PledgeEventType {
  return typeof type === 'string' && (PLEDGE_EVENT_TYPES as readonly string[]).includes(type);
}

/** Stream of one pledge in the event store (DESIGN.md §2): `pledge-<pledgeId>`. */
export function pledgeStreamId(pledgeId: string): string {
  return `pledge-${pledgeId}`;
}

export function pledgeIdOfStream(streamId: string): string | undefined {
  return streamId.startsWith('pledge-') ? streamId.slice('pledge-'.length) : undefined;
}
