import { AsyncLocalStorage } from 'node:async_hooks';
import { ServiceUnavailableException } from '@nestjs/common';

/**
 * The deadline of the work in progress (an HTTP request, while its handler runs): an AbortSignal that fires
 * when the server's deadline passes or the client goes away. Database reads made on its behalf pass it to
 * the driver, so work for a client that gave up stops and frees its connection; a write checks it before
 * its commit point. Outside a request (relay, projector, CLI) there is none and nothing is cut short.
 */
const current = new AsyncLocalStorage<AbortSignal>();

export function runWithDeadline<T>(signal: AbortSignal, work: () => T): T {
  return current.run(signal, work);
}

export function currentDeadline(): AbortSignal | undefined {
  return current.getStore();
}

/** Driver options for a read on behalf of the current request: `{ signal }`, or nothing outside one. */
export function deadlineOptions(): { signal?: AbortSignal } {
  const signal = current.getStore();
  return signal ? { signal } : {};
}

/** The error a request's work stops with once its deadline passed or its client left (HTTP 503). */
export class DeadlineExceededError extends ServiceUnavailableException {
  constructor(reason?: unknown) {
    super(
      typeof reason === 'string' ? reason : reason instanceof Error ? reason.message : 'deadline exceeded',
    );
    this.name = 'DeadlineExceededError';
  }
}

/** Throws DeadlineExceededError if the current request's deadline has passed (call before a commit point). */
export function throwIfPastDeadline(): void {
  const signal = current.getStore();
  if (signal?.aborted) throw new DeadlineExceededError(signal.reason);
}

/** Runs work that outlives the request that started it (shared by several callers) without its deadline. */
export function runWithoutDeadline<T>(work: () => T): T {
  return current.exit(work);
}
