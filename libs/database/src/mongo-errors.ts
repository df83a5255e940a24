import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

/** MongoDB (and FerretDB) report a unique-index violation as code 11000. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (error instanceof MongoServerError) return error.code === 11000;
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

const SOCKET_FAILURES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTCONN']);

/**
 * The database is unreachable or went away mid-operation (HTTP 503, a passing state), as opposed to a
 * request it refused. The driver reports most of this as its network and selection errors; a write on a
 * pooled connection the server already closed can surface as Node's own socket error.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError
  )
    return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && SOCKET_FAILURES.has(code);
}
