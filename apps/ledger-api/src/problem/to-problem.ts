import { HttpException } from '@nestjs/common';
import { DeadlineExceededError, isStoreUnavailable } from '@ledger/database';
import { isDomainError } from '@ledger/domain';
import { ExpectedVersionConflictError } from '@ledger/event-store';
import { domainErrorToProblem } from './domain-error.problem';
import { Problem, ProblemException, problemType } from './problem';

/** Errors about the request as a whole, raised by Fastify or Nest before any handler runs. */
const HTTP_ERRORS: Record<number, { code: string; title: string }> = {
  400: { code: 'invalid-request', title: 'The request is not valid' },
  404: { code: 'not-found', title: 'Not found' },
  405: { code: 'method-not-allowed', title: 'Method not allowed' },
  413: { code: 'body-too-large', title: 'Request body too large' },
  415: { code: 'unsupported-media-type', title: 'Unsupported media type' },
};

/**
 * Every error the API can raise, as one problem body. Unknown errors become a bare 500: their messages may
 * carry internals, so they are logged, never sent.
 */
export function toProblem(error: unknown): Problem {
  if (error instanceof ProblemException) return error.problem;
  if (isDomainError(error)) return domainErrorToProblem(error);
  if (error instanceof ExpectedVersionConflictError) {
    return {
      type: problemType('version-conflict'),
      title: 'The pledge has changed',
      status: 409,
      code: 'version-conflict',
      detail: `The pledge is at version ${error.actualVersion}, not ${error.expectedVersion}; read it again and retry with If-Match: "${error.actualVersion}".`,
      currentVersion: error.actualVersion,
    };
  }
  if (error instanceof DeadlineExceededError) {
    return {
      type: problemType('deadline-exceeded'),
      title: 'The request ran out of time',
      status: 503,
      code: 'deadline-exceeded',
      detail: `The server stopped working on the request (${error.message}). A write that had not reached its commit point recorded nothing; retry with the same Idempotency-Key to get the outcome of one that had.`,
    };
  }
  if (isStoreUnavailable(error)) {
    return {
      type: problemType('store-unavailable'),
      title: 'The ledger database is not answering',
      status: 503,
      code: 'store-unavailable',
      detail:
        'The database did not answer. A write that had not reached its commit point recorded nothing; retry with the same Idempotency-Key to get the outcome of one that had.',
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const detail =
      typeof response === 'string'
        ? response
        : String((response as { message?: unknown }).message ?? error.message);
    const known =
      /JSON/.test(detail) && status === 400
        ? { code: 'invalid-json', title: 'Malformed JSON' }
        : HTTP_ERRORS[status];
    const { code, title } = known ?? { code: `http-${status}`, title: 'Request refused' };
    return { type: problemType(code), title, status, code, detail };
  }
  const statusCode = (error as { statusCode?: number })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const { code, title } = HTTP_ERRORS[statusCode] ?? {
      code: `http-${statusCode}`,
      title: 'Request refused',
    };
    return { type: problemType(code), title, status: statusCode, code, detail: (error as Error).message };
  }
  return {
    type: problemType('internal'),
    title: 'Internal error',
    status: 500,
    code: 'internal',
    detail: 'The ledger could not complete the request. Nothing was recorded unless a later read shows it.',
  };
}
