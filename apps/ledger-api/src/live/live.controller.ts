import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { releaseInFlightSlot } from '@ledger/config';
import { ApiReadProblems } from '../openapi/api-answers';
import { ProblemException } from '../problem';
import { AFTER_SCHEMA, LiveEventsQueryDto } from './dto/live-events-query.dto';
import { LiveEventsService } from './live.service';
import { SSE_HEADERS } from './sse-stream';

/** Last-Event-ID as an EventSource sends it back: the id of the last message it received. */
function lastEventPosition(value: string): number {
  const position = /^-?\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (Number.isSafeInteger(position) && position >= -1) return position;
  const reason = 'must be a log position (-1, 0, 1, ...), the id of a message of this stream';
  throw new ProblemException(400, 'invalid-request', 'The request is not valid', `Last-Event-ID ${reason}`, {
    'invalid-params': [{ name: 'Last-Event-ID', reason }],
  });
}

const SSE_EVENT_SCHEMA = {
  type: 'object',
  required: ['data'],
  properties: {
    event: { type: 'string', enum: ['ledger-event', 'reset'] },
    id: { type: 'string', pattern: '^-?[0-9]+$', description: 'The log position the message stands at' },
    retry: { type: 'integer', minimum: 0 },
    data: {
      type: 'string',
      description: 'One line of JSON: the ledger event (or, for reset, {"after", "head"})',
    },
  },
};

@ApiTags('live events')
@Controller()
export class LiveController {
  constructor(private readonly live: LiveEventsService) {}

  @Get('events/live')
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description:
      'The id of the last message received (an EventSource sends it when it reconnects): the stream resumes after it. Takes precedence over `after`.',
    schema: AFTER_SCHEMA,
  })
  @ApiOkResponse({
    description:
      'Server-Sent Events: `retry: 3000` first, then one message per ledger event in log order: `id: <logIndex>`, `event: ledger-event`, `data: {"logIndex", "eventId", "streamId", "pledgeId", "version", "type", "occurredAt", "recordedAt", "principal": {"id", "role", "name"}}` (one line, no payload). A client more than LIVE_EVENTS_REPLAY_LIMIT (1000) positions behind gets one `event: reset` message, `data: {"after", "head"}` with `id: <head - 1>`, and the stream continues from the head: reload. Blocks with an id and no data carry the position passed (an EventSource dispatches nothing for them); `: keep-alive` comments every 15 s.',
    // One event of the stream, as SSE parses it (OpenAPI 3.0 has no itemSchema: `schema` stands for it).
    content: { 'text/event-stream': { schema: SSE_EVENT_SCHEMA } },
  })
  @ApiReadProblems(400)
  @ApiOperation({
    operationId: 'streamLedgerEvents',
    summary:
      "The ledger's new events, live, as Server-Sent Events (public). Resumes after Last-Event-ID or `after`; `follow=false` sends the backlog and ends; `pledgeId` keeps one pledge's events. 503 when the server carries its limit of streams.",
  })
  stream(
    @Query() query: LiveEventsQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    const after = lastEventId === undefined ? query.after : lastEventPosition(lastEventId);
    this.live.admit();
    if (request.method === 'HEAD') return void reply.status(200).headers(SSE_HEADERS).send();
    // From here the stream writes the response itself; the request deadline ends with this handler.
    reply.hijack();
    releaseInFlightSlot(request.raw);
    void this.live.serve(reply.raw, {
      after,
      follow: query.follow !== 'false',
      pledgeId: query.pledgeId,
    });
  }
}
