import { MongoServerError } from 'mongodb';

/** MongoDB (and FerretDB) report a unique-index violation as code 11000. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (error instanceof MongoServerError) return error.code === 11000;
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
