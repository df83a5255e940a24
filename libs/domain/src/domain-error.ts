// One code per broken rule, so each transport maps every domain error exhaustively (one HTTP status,
// one problem body) and clients can act on the code rather than parse the message.
export enum DomainErrorCode {
  PledgeNotFound = 'pledge-not-found',
  PledgeAlreadyExists = 'pledge-already-exists',
  PledgeClosed = 'pledge-closed',
  NotPledgeOwner = 'not-pledge-owner',
  RoleNotAllowed = 'role-not-allowed',
  UnknownTarget = 'unknown-target',
  UnknownProgressReport = 'unknown-progress-report',
  ProgressAlreadyCorrected = 'progress-already-corrected',
  DuplicateProgressReport = 'duplicate-progress-report',
  AsOfInFuture = 'as-of-in-future',
  UnknownFramework = 'unknown-framework',
  UnknownAction = 'unknown-action',
  InvalidCountry = 'invalid-country',
  InvalidRegion = 'invalid-region',
  InvalidCurrency = 'invalid-currency',
  InvalidTerms = 'invalid-terms',
  /** A command field outside the pledge terms is malformed: missing reason, bad date, bad evidence URL, ... */
  InvalidCommand = 'invalid-command',
  NoChange = 'no-change',
  DuplicateTarget = 'duplicate-target',
  DuplicateVerification = 'duplicate-verification',
  HistoryRewrite = 'history-rewrite',
}

export const DOMAIN_ERROR_CODES: readonly DomainErrorCode[] = Object.freeze(Object.values(DomainErrorCode));

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Where in the command the problem is, JSON-pointer-ish: 'terms.targets[1].deadline'. */
    readonly field?: string,
  ) {
    super(message);
    // Keeps `instanceof DomainError` true whatever the compile target.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
