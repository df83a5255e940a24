import { Command } from '@nestjs/cqrs';
import { PledgeCommand, PledgeState, Principal } from '@ledger/domain';
import { RecordedEvent } from '@ledger/event-store';

export interface RecordPledgeResult {
  state: PledgeState;
  recorded: RecordedEvent[];
}

/** Decide a pledge command against the recorded stream and append the resulting events. */
export class RecordPledgeCommand extends Command<RecordPledgeResult> {
  constructor(
    readonly command: PledgeCommand,
    readonly principal: Principal,
    readonly correlationId: string,
    /** From If-Match: the version the caller saw. Without it, a lost race is retried a few times. */
    readonly expectedVersion?: number,
    readonly idempotencyKey?: string,
  ) {
    super();
  }
}
