import { Optional } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ActionCatalogue, decide, evolve, initialPledgeState, pledgeStreamId } from '@ledger/domain';
import { throwIfPastDeadline } from '@ledger/database';
import { ExpectedVersionConflictError } from '@ledger/event-store';
import { OutboxRelayService } from '@ledger/messaging';
import { PledgeRepository } from '../pledge.repository';
import { RecordPledgeCommand, RecordPledgeResult } from './record-pledge.command';

/** Retries after a lost race when the caller sent no If-Match: the command is re-decided on fresh state. */
const MAX_ATTEMPTS = 5;

@CommandHandler(RecordPledgeCommand)
export class RecordPledgeHandler implements ICommandHandler<RecordPledgeCommand, RecordPledgeResult> {
  constructor(
    private readonly pledges: PledgeRepository,
    private readonly catalogue: ActionCatalogue,
    @Optional() private readonly relay?: OutboxRelayService,
  ) {}

  async execute({
    command,
    principal,
    correlationId,
    expectedVersion,
    idempotencyKey,
  }: RecordPledgeCommand): Promise<RecordPledgeResult> {
    for (let attempt = 1; ; attempt++) {
      // A client that gave up (or a request past its deadline) costs no further work.
      throwIfPastDeadline();
      // A submission names a new random id: nothing to read (the store still refuses a second version 1).
      const { state } =
        command.type === 'SubmitPledge' && attempt === 1
          ? { state: initialPledgeState }
          : await this.pledges.load(command.pledgeId);
      if (expectedVersion !== undefined && state.version !== expectedVersion) {
        throw new ExpectedVersionConflictError(
          pledgeStreamId(command.pledgeId),
          expectedVersion,
          state.version,
        );
      }
      const [event, ...more] = decide(command, state, {
        now: new Date(),
        principal,
        catalogue: this.catalogue,
      });
      // An append commits one event (its outbox claim is the unit of commit); every command decides one.
      if (!event || more.length > 0)
        throw new Error(`${command.type} decided ${more.length + (event ? 1 : 0)} events, not one`);
      const after = evolve(state, event);
      try {
        const recorded = await this.pledges.append(
          command.pledgeId,
          state.version,
          event,
          { principal, correlationId, idempotencyKey: idempotencyKey ?? null },
          after,
        );
        this.relay?.relay.notify();
        return { state: after, recorded: [recorded] };
      } catch (error) {
        if (
          !(error instanceof ExpectedVersionConflictError) ||
          expectedVersion !== undefined ||
          attempt >= MAX_ATTEMPTS
        ) {
          throw error;
        }
        // Writers that lost together should not collide again together.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }
}
