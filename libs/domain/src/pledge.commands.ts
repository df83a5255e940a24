import type { PledgeTerms, PledgeTermsChanges } from './pledge-terms';
import type { VerificationOutcome } from './pledge.events';

// What callers ask of a pledge. Who asks and when come from the DecisionContext, never from the command.

export type SubmitPledge = { type: 'SubmitPledge'; pledgeId: string; terms: PledgeTerms };

export type AmendPledge = {
  type: 'AmendPledge';
  pledgeId: string;
  reason: string;
  /** `financialCommitment: null` removes the commitment. */
  changes: PledgeTermsChanges;
};

export type ReportProgress = {
  type: 'ReportProgress';
  pledgeId: string;
  reportId: string;
  targetId: string;
  value: number;
  asOf: string;
  narrative: string;
  evidence: string[];
};

/** Supersedes an earlier report with a new one on the same target; the earlier one stays in history. */
export type CorrectProgress = {
  type: 'CorrectProgress';
  pledgeId: string;
  reportId: string;
  correctsReportId: string;
  value: number;
  asOf: string;
  narrative: string;
  evidence: string[];
  reason: string;
};

export type FulfilPledge = { type: 'FulfilPledge'; pledgeId: string; note: string };

export type WithdrawPledge = { type: 'WithdrawPledge'; pledgeId: string; reason: string };

export type RecordVerification = {
  type: 'RecordVerification';
  pledgeId: string;
  verificationId: string;
  outcome: VerificationOutcome;
  note: string;
  reportId?: string;
};

export type PledgeCommand =
  | SubmitPledge
  | AmendPledge
  | ReportProgress
  | CorrectProgress
  | FulfilPledge
  | WithdrawPledge
  | RecordVerification;

export type PledgeCommandType = PledgeCommand['type'];
