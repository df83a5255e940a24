import { Injectable } from '@nestjs/common';
import { LedgerConfig } from '@ledger/config';
import { runWithoutDeadline } from '@ledger/database';
import { MongoEventStore } from '@ledger/event-store';
import { KafkaConnection, LogReconciliation, reconcileLog } from '@ledger/messaging';

/** A reconciliation younger than this is answered again rather than run again (it reads everything). */
const REUSE_FOR_MS = 5_000;

/**
 * The store-versus-topic reconciliation for `GET /integrity/log`. It reads the whole event store and the
 * whole topic, so one runs at a time: callers meanwhile share it, and a just-finished one is reused briefly.
 */
@Injectable()
export class LogAuditService {
  private running?: Promise<LogReconciliation>;
  private last?: { result: LogReconciliation; finishedAt: number };

  constructor(
    private readonly store: MongoEventStore,
    private readonly kafka: KafkaConnection,
    private readonly config: LedgerConfig,
  ) {}

  reconcile(): Promise<LogReconciliation> {
    if (this.last && Date.now() - this.last.finishedAt < REUSE_FOR_MS)
      return Promise.resolve(this.last.result);
    // Not bound to the deadline of the request that happened to start it: others wait on it too.
    this.running ??= runWithoutDeadline(() =>
      reconcileLog(this.store, this.kafka.kafka, this.config.PLEDGE_EVENTS_TOPIC),
    )
      .then((result) => {
        this.last = { result, finishedAt: Date.now() };
        return result;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
