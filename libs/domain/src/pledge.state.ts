import type { Actor } from './actor';
import type { PledgeTerms } from './pledge-terms';
import type { VerificationOutcome } from './pledge.events';
import type { WateringDownFinding } from './watering-down';

export interface ProgressReportState {
  reportId: string;
  targetId: string;
  value: number;
  asOf: string;
  narrative: string;
  evidence: string[];
  /** When the report (or correction) was recorded. */
  recordedAt: string;
  /** The report that corrected this one; a superseded report no longer counts but stays in history. */
  supersededBy?: string;
  /** The report this one corrects. */
  corrects?: string;
  correctionReason?: string;
}

export interface VerificationState {
  verificationId: string;
  verifier: { id: string; name: string };
  outcome: VerificationOutcome;
  note: string;
  /** Absent when the pledge as a whole was verified. */
  reportId?: string;
  recordedAt: string;
}

export type PledgeStatus = 'none' | 'active' | 'fulfilled' | 'withdrawn';

/** The fold of a pledge's events; never stored as the truth. */
export interface PledgeState {
  exists: boolean;
  pledgeId?: string;
  /** Number of events folded: the stream version the next event must follow. */
  version: number;
  status: PledgeStatus;
  actor?: Actor;
  /** Current terms, amendments applied. */
  terms?: PledgeTerms;
  submittedAt?: string;
  /** When each current target entered the terms (submission or the amendment that added it). */
  targetsSince: Readonly<Record<string, string>>;
  /** In recording order, superseded ones included. */
  progressReports: ProgressReportState[];
  /** In recording order. */
  verifications: VerificationState[];
  amendments: number;
  lastAmendedAt?: string;
  /** Every finding of every amendment, in order. */
  wateringDown: WateringDownFinding[];
  fulfilledAt?: string;
  fulfilmentNote?: string;
  withdrawnAt?: string;
  withdrawalReason?: string;
  /** Events brought in by an import (absent on states folded before imports existed: read as 0). */
  importedEvents?: number;
  /** Names of the sources imported events came from, in order of first appearance. */
  importSources?: string[];
  /** The submission itself was imported: the pledge was made elsewhere and migrated to the ledger. */
  importedSubmission?: boolean;
}

export const initialPledgeState: PledgeState = Object.freeze({
  exists: false,
  version: 0,
  status: 'none',
  targetsSince: Object.freeze({}),
  progressReports: Object.freeze([]) as unknown as ProgressReportState[],
  verifications: Object.freeze([]) as unknown as VerificationState[],
  amendments: 0,
  wateringDown: Object.freeze([]) as unknown as WateringDownFinding[],
  importedEvents: 0,
  importSources: Object.freeze([]) as unknown as string[],
  importedSubmission: false,
}) as PledgeState;

export function isClosed(state: PledgeState): boolean {
  return state.status === 'fulfilled' || state.status === 'withdrawn';
}
