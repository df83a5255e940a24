import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
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

const writeHeaders = [
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retry-safe key: the same key and body return the original response and record nothing new.',
  }),
  ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The ETag (version) of the pledge you read; 409 if it changed since.',
  }),
];
const Write = (): MethodDecorator => (target, key, descriptor) => {
  for (const decorate of [...writeHeaders, ApiBearerAuth()]) decorate(target, key, descriptor);
};

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
  @Write()
  @ApiOperation({ summary: 'Submit a pledge in your organisation name' })
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
  @ApiOperation({ summary: 'A pledge as it stands now (the fold of its events); ETag is its version' })
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
  @Write()
  @ApiOperation({
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
  @Write()
  @ApiOperation({ summary: 'Report progress on one target' })
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
  @ApiOperation({ summary: 'Declare the pledge fulfilled' })
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
  @ApiOperation({ summary: 'Withdraw the pledge, with a reason; it stays in every report as withdrawn' })
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
