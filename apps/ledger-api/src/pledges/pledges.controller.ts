import { applyDecorators, Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HeadersObject, LinksObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Principal } from '@ledger/domain';
import { LedgerConfig } from '@ledger/config';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import {
  AmendPledgeDto,
  CorrectProgressDto,
  FulfilPledgeDto,
  RecordVerificationDto,
  ReportProgressDto,
  WithdrawPledgeDto,
} from './dto/pledge-commands.dto';
import { PledgeTermsDto } from './dto/pledge-terms.dto';
import { PledgeIdPipe } from './pledge-id.pipe';
import { PledgeWritesService } from './pledge-writes.service';
import { etagOf, pledgeView } from './pledge.view';
import { GetPledgeQuery } from './queries/get-pledge.query';
import { ApiPledgeIdParam, ApiReadProblems, ApiWriteProblems } from '../openapi/api-answers';
import { PledgeViewSchema, WriteResultSchema } from './pledge.responses';

const IDEMPOTENCY_KEY = ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  // Spaces and tabs around a header value are not part of it (RFC 9110 §5.5).
  schema: { type: 'string', pattern: '^[ \\t]*[\\x21-\\x7e]{1,200}[ \\t]*$' },
  description:
    'Retry-safe key: the same key and body return the original response (Idempotent-Replayed: true) and record nothing new.',
});
const IF_MATCH = ApiHeader({
  name: 'If-Match',
  required: false,
  schema: { type: 'string', pattern: '^[ \\t]*((W/)?"?[0-9]{1,9}"?|\\*)[ \\t]*$' },
  description: 'The ETag (version) of the pledge you read; 409 if it changed since.',
});
const pledgeId = '$response.body#/pledgeId';
/** A write that follows another: the same pledge, at the version the first one left it (its ETag). */
const next = { pledgeId, 'header.If-Match': '$response.header.ETag' };

/**
 * A pledge write: what it answers (201, the recorded events and the pledge after them, with ETag), its
 * headers, its errors, and the links a client (or schemathesis' stateful phase) follows from its answer.
 */
function Write(options: { create?: boolean; links?: LinksObject } = {}): MethodDecorator {
  const headers: HeadersObject = {
    ETag: {
      description: 'The pledge version after the write, e.g. "3"',
      schema: { type: 'string' },
      required: true,
    },
    'Idempotent-Replayed': {
      description:
        'true when this is the recorded answer to an earlier request with the same Idempotency-Key',
      schema: { type: 'string', enum: ['true'] },
    },
  };
  if (options.create)
    headers.Location = {
      description: 'The new pledge, /pledges/{pledgeId}',
      schema: { type: 'string' },
      required: true,
    };
  return applyDecorators(
    IDEMPOTENCY_KEY,
    ...(options.create ? [] : [IF_MATCH, ApiPledgeIdParam()]),
    ApiCreatedResponse({ type: WriteResultSchema, headers, links: options.links }),
    ApiWriteProblems(...(options.create ? [409, 422] : [404, 409, 422])),
  );
}

@ApiTags('pledges')
@Controller('pledges')
export class PledgesController {
  constructor(
    private readonly writes: PledgeWritesService,
    private readonly queryBus: QueryBus,
    private readonly config: LedgerConfig,
  ) {}

  @Post()
  @Roles('organisation')
  @Write({
    create: true,
    links: {
      reportProgress: {
        operationId: 'reportProgress',
        parameters: next,
        requestBody: { targetId: '$response.body#/pledge/targets/0/targetId' },
      },
      amendPledge: { operationId: 'amendPledge', parameters: next },
      recordVerification: { operationId: 'recordVerification', parameters: next },
      getPledge: { operationId: 'getPledge', parameters: { pledgeId } },
      getPledgeHistory: { operationId: 'getPledgeHistory', parameters: { pledgeId } },
      getPledgeSummary: { operationId: 'getPledgeSummary', parameters: { pledgeId } },
      fulfilPledge: { operationId: 'fulfilPledge', parameters: next },
      withdrawPledge: { operationId: 'withdrawPledge', parameters: next },
    },
  })
  @ApiOperation({ operationId: 'submitPledge', summary: 'Submit a pledge in your organisation name' })
  submit(
    @Body() terms: PledgeTermsDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.writes.handle(
      req,
      reply,
      principal,
      { type: 'SubmitPledge', pledgeId: randomUUID(), terms: { ...terms } },
      201,
    );
  }

  @Get(':pledgeId')
  @ApiOkResponse({
    type: PledgeViewSchema,
    headers: {
      ETag: { description: 'The pledge version, e.g. "3"', schema: { type: 'string' }, required: true },
    },
  })
  @ApiPledgeIdParam()
  @ApiReadProblems(400, 404)
  @ApiOperation({
    operationId: 'getPledge',
    summary: 'A pledge as it stands now (the fold of its events); ETag is its version',
  })
  async get(
    @Param('pledgeId', PledgeIdPipe) pledgeId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { state } = await this.queryBus.execute(new GetPledgeQuery(pledgeId));
    void reply.header('etag', etagOf(state.version));
    return pledgeView(state, new Date(), this.config.LAPSE_AFTER_DAYS);
  }

  @Post(':pledgeId/amendments')
  @Roles('organisation')
  @Write({
    links: {
      recordVerification: { operationId: 'recordVerification', parameters: next },
      getPledgeDiff: { operationId: 'getPledgeDiff', parameters: { pledgeId, from: 1 } },
      reportProgress: {
        operationId: 'reportProgress',
        parameters: next,
        requestBody: { targetId: '$response.body#/pledge/targets/0/targetId' },
      },
    },
  })
  @ApiOperation({
    operationId: 'amendPledge',
    summary: 'Amend the terms, with a reason; watering-down is flagged, earlier terms stay in history',
  })
  amend(
    @Param('pledgeId', PledgeIdPipe) pledgeId: string,
    @Body() dto: AmendPledgeDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.writes.handle(
      req,
      reply,
      principal,
      { type: 'AmendPledge', pledgeId, reason: dto.reason, changes: { ...dto.changes } },
      201,
    );
  }

  @Post(':pledgeId/progress')
  @Roles('organisation')
  @Write({
    links: {
      correctProgress: {
        operationId: 'correctProgress',
        parameters: { ...next, reportId: '$response.body#/recorded/0/payload/reportId' },
      },
      amendPledge: { operationId: 'amendPledge', parameters: next },
      recordVerification: {
        operationId: 'recordVerification',
        parameters: next,
        requestBody: { reportId: '$response.body#/recorded/0/payload/reportId' },
      },
    },
  })
  @ApiOperation({ operationId: 'reportProgress', summary: 'Report progress on one target' })
  reportProgress(
    @Param('pledgeId', PledgeIdPipe) pledgeId: string,
    @Body() dto: ReportProgressDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.writes.handle(
      req,
      reply,
      principal,
      { type: 'ReportProgress', pledgeId, reportId: randomUUID(), ...dto },
      201,
    );
  }

  @Post(':pledgeId/progress/:reportId/corrections')
  @Roles('organisation')
  @Write()
  @ApiOperation({
    operationId: 'correctProgress',
    summary:
      'Correct an earlier progress report: a new report supersedes it, the earlier one stays in history',
  })
  correctProgress(
    @Param('pledgeId', PledgeIdPipe) pledgeId: string,
    @Param('reportId') correctsReportId: string,
    @Body() dto: CorrectProgressDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.writes.handle(
      req,
      reply,
      principal,
      { type: 'CorrectProgress', pledgeId, reportId: randomUUID(), correctsReportId, ...dto },
      201,
    );
  }

  @Post(':pledgeId/fulfilment')
  @Roles('organisation')
  @Write()
  @ApiOperation({ operationId: 'fulfilPledge', summary: 'Declare the pledge fulfilled' })
  fulfil(
    @Param('pledgeId', PledgeIdPipe) pledgeId: string,
    @Body() dto: FulfilPledgeDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.writes.handle(req, reply, principal, { type: 'FulfilPledge', pledgeId, note: dto.note }, 201);
  }

  @Post(':pledgeId/withdrawal')
  @Roles('organisation')
  @Write()
  @ApiOperation({
    operationId: 'withdrawPledge',
    summary: 'Withdraw the pledge, with a reason; it stays in every report as withdrawn',
  })
  withdraw(
    @Param('pledgeId', PledgeIdPipe) pledgeId: string,
    @Body() dto: WithdrawPledgeDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.writes.handle(
      req,
      reply,
      principal,
      { type: 'WithdrawPledge', pledgeId, reason: dto.reason },
      201,
    );
  }

  @Post(':pledgeId/verifications')
  @Roles('verifier')
  @Write()
  @ApiOperation({
    operationId: 'recordVerification',
    summary:
      'Record a verification (verifiers): confirmed or disputed, of the pledge or of one progress report',
  })
  verify(
    @Param('pledgeId', PledgeIdPipe) pledgeId: string,
    @Body() dto: RecordVerificationDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.writes.handle(
      req,
      reply,
      principal,
      { type: 'RecordVerification', pledgeId, verificationId: randomUUID(), ...dto },
      201,
    );
  }
}
