import { Injectable, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Collection, Db } from 'mongodb';
import { InjectLedgerDb, isDuplicateKeyError } from '@ledger/database';
import { ProblemException, toProblem, PROBLEM_CONTENT_TYPE } from '../problem';

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface IdempotencyRecord {
  _id: string;
  fingerprint: string;
  state: 'pending' | 'done';
  /** What the request writes (a pledge id): where to look for what it recorded if its process died. */
  target: string;
  startedAt: Date;
  response?: RecordedResponse;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
/** A request still pending after this long is taken to have died with its process. */
const STALE_AFTER_MS = 30_000;

export function requestFingerprint(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/**
 * Idempotency-Key: the first request with a key runs; a retry with the same key and body gets the original
 * response (and no second event); the same key with a different body is refused with 422.
 */
@Injectable()
export class IdempotencyService implements OnModuleInit {
  private readonly records: Collection<IdempotencyRecord>;

  constructor(@InjectLedgerDb() db: Db) {
    this.records = db.collection<IdempotencyRecord>('idempotency_keys');
  }

  async onModuleInit(): Promise<void> {
    await this.records.createIndex({ startedAt: 1 }, { name: 'started_at' });
  }

  /**
   * Runs `run` once per (principal, key). `recover` answers for a request whose process died after recording
   * its events but before storing its response: it is given the target the first attempt wrote to.
   */
  async execute(
    principalId: string,
    key: string,
    fingerprint: string,
    target: string,
    run: () => Promise<RecordedResponse>,
    recover: (target: string) => Promise<RecordedResponse | undefined>,
  ): Promise<RecordedResponse & { replayed: boolean }> {
    if (!KEY_PATTERN.test(key)) {
      throw new ProblemException(
        400,
        'invalid-idempotency-key',
        'Invalid Idempotency-Key',
        'Idempotency-Key must be 1-200 visible ASCII characters.',
        {
          'invalid-params': [{ name: 'Idempotency-Key', reason: 'must be 1-200 visible ASCII characters' }],
        },
      );
    }
    const id = `${principalId}:${key}`;
    const startedAt = new Date();
    try {
      await this.records.insertOne({ _id: id, fingerprint, state: 'pending', target, startedAt });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.records.findOne({ _id: id });
      if (!existing) return this.execute(principalId, key, fingerprint, target, run, recover);
      if (existing.fingerprint !== fingerprint) {
        throw new ProblemException(
          422,
          'idempotency-key-reused',
          'Idempotency-Key reused with a different request',
          'This Idempotency-Key was already used for a different request; use a new key for a new request.',
          { 'invalid-params': [{ name: 'Idempotency-Key', reason: 'already used for a different request' }] },
        );
      }
      if (existing.state === 'done' && existing.response) return { ...existing.response, replayed: true };
      if (startedAt.getTime() - existing.startedAt.getTime() < STALE_AFTER_MS) {
        throw new ProblemException(
          409,
          'request-in-progress',
          'Request in progress',
          'A request with this Idempotency-Key is still being processed; retry shortly.',
        );
      }
      const takeover = await this.records.updateOne(
        { _id: id, state: 'pending', startedAt: existing.startedAt },
        { $set: { startedAt } },
      );
      if (takeover.modifiedCount !== 1) {
        throw new ProblemException(
          409,
          'request-in-progress',
          'Request in progress',
          'A request with this Idempotency-Key is still being processed; retry shortly.',
        );
      }
      const recovered = await recover(existing.target ?? target);
      if (recovered) {
        await this.records.updateOne({ _id: id }, { $set: { state: 'done', response: recovered } });
        return { ...recovered, replayed: true };
      }
    }
    try {
      const response = await run();
      await this.records.updateOne({ _id: id }, { $set: { state: 'done', response } });
      return { ...response, replayed: false };
    } catch (error) {
      const problem = toProblem(error);
      // A rule the request broke is its answer for good; a conflict or a failure may succeed on retry.
      if (problem.status >= 400 && problem.status < 500 && problem.status !== 409 && problem.status !== 429) {
        const response = {
          status: problem.status,
          headers: { 'content-type': PROBLEM_CONTENT_TYPE },
          body: problem,
        };
        await this.records.updateOne({ _id: id }, { $set: { state: 'done', response } });
      } else {
        // A failure may have come after the events were stored: then that is the answer, not a retry.
        const recorded = problem.status >= 500 ? await recover(target).catch(() => undefined) : undefined;
        if (recorded) {
          await this.records.updateOne({ _id: id }, { $set: { state: 'done', response: recorded } });
          return { ...recorded, replayed: false };
        }
        await this.records.deleteOne({ _id: id, state: 'pending' });
      }
      throw error;
    }
  }
}
