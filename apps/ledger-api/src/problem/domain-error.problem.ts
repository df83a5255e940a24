import { DomainError, DomainErrorCode } from '@ledger/domain';
import { Problem, problemType } from './problem';

/** One HTTP status per domain rule; the `satisfies` keeps it exhaustive when a code is added. */
const STATUS: Record<DomainErrorCode, number> = {
  [DomainErrorCode.PledgeNotFound]: 404,
  [DomainErrorCode.PledgeAlreadyExists]: 409,
  [DomainErrorCode.PledgeClosed]: 409,
  [DomainErrorCode.NotPledgeOwner]: 403,
  [DomainErrorCode.RoleNotAllowed]: 403,
  [DomainErrorCode.UnknownTarget]: 422,
  [DomainErrorCode.UnknownProgressReport]: 422,
  [DomainErrorCode.ProgressAlreadyCorrected]: 409,
  [DomainErrorCode.DuplicateProgressReport]: 409,
  [DomainErrorCode.AsOfInFuture]: 422,
  [DomainErrorCode.UnknownFramework]: 422,
  [DomainErrorCode.UnknownAction]: 422,
  [DomainErrorCode.InvalidCountry]: 422,
  [DomainErrorCode.InvalidRegion]: 422,
  [DomainErrorCode.InvalidCurrency]: 422,
  [DomainErrorCode.InvalidTerms]: 422,
  [DomainErrorCode.InvalidCommand]: 422,
  [DomainErrorCode.NoChange]: 422,
  [DomainErrorCode.DuplicateTarget]: 422,
  [DomainErrorCode.DuplicateVerification]: 409,
  [DomainErrorCode.HistoryRewrite]: 422,
} satisfies Record<DomainErrorCode, number>;

const TITLE: Record<number, string> = {
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict with the pledge as recorded',
  422: 'The request breaks a rule of the ledger',
};

/** 'terms.targets[1].deadline' → '/targets/1/deadline' (request bodies carry the terms at top level). */
export function fieldToPointer(field: string): string {
  const path = field.replace(/^terms\.?/, '').replace(/\[(\d+)\]/g, '.$1');
  return path ? `/${path.split('.').filter(Boolean).join('/')}` : '/';
}

export function domainErrorToProblem(error: DomainError): Problem {
  const status = STATUS[error.code];
  return {
    type: problemType(error.code),
    title: TITLE[status],
    status,
    detail: error.message,
    code: error.code,
    ...(error.field
      ? { 'invalid-params': [{ name: fieldToPointer(error.field), reason: error.message }] }
      : {}),
  };
}
