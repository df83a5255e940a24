import { Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { PledgeCommand, Principal } from '@ledger/domain';
import { LedgerConfig } from '@ledger/config';
import { IdempotencyService, RecordedResponse, requestFingerprint } from '../idempotency/idempotency.service';
import { ProblemException } from '../problem';
import { RecordPledgeCommand } from './commands/record-pledge.command';
import { PledgeRepository } from './pledge.repository';
import { etagOf, writeResult } from './pledge.view';
import { GetPledgeQuery } from './queries/get-pledge.query';

/** `"3"`, `W/"3"` or `3` → 3; absent or `*` → undefined (no expectation). */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header[0] : header).trim();
  if (value === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
  if (!match) {
    throw new ProblemException(
      400,
      'invalid-if-match',
      'Invalid If-Match',
      'If-Match must be the ETag of the pledge as read, e.g. "3".',
      {
        'invalid-params': [{ name: 'If-Match', reason: 'not a pledge version ETag such as "3"' }],
      },
    );
  }
  return Number(match[1]);
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The HTTP side of every pledge write: If-Match, Idempotency-Key, the correlation id, and the response
 * (status, ETag, Location). The decision itself goes through the CommandBus.
 */
@Injectable()
export class PledgeWritesService {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    private readonly idempotency: IdempotencyService,
    private readonly pledges: PledgeRepository,
    private readonly config: LedgerConfig,
  ) {}

  async handle(
    request: FastifyRequest,
    reply: FastifyReply,
    principal: Principal,
    command: PledgeCommand,
    successStatus: 200 | 201,
  ): Promise<unknown> {
    const expectedVersion = parseIfMatch(request.headers['if-match']);
    const idempotencyKey = header(request, 'idempotency-key');
    const correlationId = String(request.id ?? randomUUID());
    const run = async (): Promise<RecordedResponse> => {
      const { state, recorded } = await this.commandBus.execute(
        new RecordPledgeCommand(command, principal, correlationId, expectedVersion, idempotencyKey),
      );
      const headers: Record<string, string> = { etag: etagOf(state.version) };
      if (command.type === 'SubmitPledge') headers.location = `/pledges/${command.pledgeId}`;
      return {
        status: successStatus,
        headers,
        body: writeResult(state, recorded, new Date(), this.config.LAPSE_AFTER_DAYS),
      };
    };
    // A key sent is a key asked for, even an empty one (refused as malformed, not ignored).
    const response =
      idempotencyKey !== undefined
        ? await this.idempotency.execute(
            principal.id,
            idempotencyKey,
            requestFingerprint([
              request.method,
              request.routeOptions.url,
              request.params,
              request.body,
              expectedVersion ?? null,
            ]),
            command.pledgeId,
            run,
            (pledgeId) => this.recover(pledgeId, principal.id, idempotencyKey),
          )
        : { ...(await run()), replayed: false };
    void reply.status(response.status).headers(response.headers);
    if (response.replayed) void reply.header('idempotent-replayed', 'true');
    return response.body;
  }

  /** The request with this key recorded its events, then its process died: answer with what it recorded. */
  private async recover(
    pledgeId: string,
    principalId: string,
    key: string,
  ): Promise<RecordedResponse | undefined> {
    const recorded = await this.pledges.findByIdempotencyKey(pledgeId, principalId, key);
    if (!recorded) return undefined;
    const { state } = await this.queryBus.execute(new GetPledgeQuery(pledgeId, recorded.version));
    return {
      status: recorded.version === 1 ? 201 : 200,
      headers: { etag: etagOf(state.version) },
      body: writeResult(state, [recorded], new Date(), this.config.LAPSE_AFTER_DAYS),
    };
  }
}
