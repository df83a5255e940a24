import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiPledgeIdParam, ApiReadProblems, versionSchema } from '../openapi/api-answers';
import {
  ChainVerificationSchema,
  LogReconciliationSchema,
  PledgeDiffSchema,
  PledgeHistorySchema,
  PledgeStateAtSchema,
  StoreIntegritySchema,
} from './audit.responses';
import {
  diffJson,
  DomainError,
  DomainErrorCode,
  pledgeStreamId,
  stateAsOf,
  stateAtTime,
} from '@ledger/domain';
import { RequestDeadline } from '@ledger/config';
import { eventKey, MongoEventStore } from '@ledger/event-store';
import { TransparencyLog } from '../log/transparency-log.service';
import { ProblemException } from '../problem';
import { PledgeIdPipe } from '../pledges/pledge-id.pipe';
import { PledgeRepository } from '../pledges/pledge.repository';
import { LogAuditService } from './log-audit.service';

function versionParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) {
    throw new ProblemException(
      400,
      'invalid-version',
      'Invalid version',
      `${name} must be a pledge version (1, 2, ...).`,
      {
        'invalid-params': [{ name, reason: 'not a positive whole number' }],
      },
    );
  }
  return Number(value);
}

function unknownVersion(pledgeId: string, versions: number): ProblemException {
  return new ProblemException(
    404,
    'unknown-version',
    'Not found',
    `Pledge ${pledgeId} has ${versions} versions.`,
  );
}

/** The watchdog's view: the recorded history itself (the event store), never a projection of it. */
@ApiTags('audit')
@Controller()
export class AuditController {
  constructor(
    private readonly store: MongoEventStore,
    private readonly pledges: PledgeRepository,
    private readonly logAudit: LogAuditService,
    private readonly log: TransparencyLog,
  ) {}

  private async events(pledgeId: string) {
    const events = await this.store.readStream(pledgeStreamId(pledgeId), { raw: true });
    if (events.length === 0)
      throw new DomainError(DomainErrorCode.PledgeNotFound, `No pledge has the id ${pledgeId}.`);
    return events;
  }

  @Get('pledges/:pledgeId/history')
  @ApiPledgeIdParam()
  @ApiOkResponse({ type: PledgeHistorySchema })
  @ApiReadProblems(400, 404)
  @ApiOperation({
    operationId: 'getPledgeHistory',
    summary: 'Every event of a pledge as recorded: envelope, principal, hashes',
  })
  async history(@Param('pledgeId', PledgeIdPipe) pledgeId: string) {
    const events = await this.events(pledgeId);
    const streamId = pledgeStreamId(pledgeId);
    const logIndexes = await Promise.all(
      events.map((e) => this.log.store.indexOfKey(eventKey(streamId, e.version))),
    );
    return { pledgeId, streamId, version: events.length, events, logIndexes };
  }

  @Get('pledges/:pledgeId/state')
  @ApiPledgeIdParam()
  @ApiQuery({
    name: 'version',
    required: false,
    schema: versionSchema,
    description: 'State after this version',
  })
  @ApiQuery({
    name: 'at',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description:
      'State as recorded at this instant (ISO 8601); wins over version. The older name of recordedAt (which wins when both are given).',
  })
  @ApiQuery({
    name: 'recordedAt',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description:
      'What the ledger knew at this instant: only events recorded by then. Alone, the state as recorded then (as `at`); with asOf, the state as of that date as known then.',
  })
  @ApiQuery({
    name: 'asOf',
    required: false,
    schema: { type: 'string', format: 'date' },
    description:
      'Effective date (the end of that day, UTC; an ISO 8601 instant is read too): what had been pledged and reported by then, as known now (a report as of 2025-06-30 counts even if recorded later). Wins over version.',
  })
  @ApiOkResponse({ type: PledgeStateAtSchema })
  @ApiReadProblems(400, 404)
  @ApiOperation({ operationId: 'getPledgeState', summary: 'A pledge as it stood at a past version or time' })
  async stateAt(
    @Param('pledgeId', PledgeIdPipe) pledgeId: string,
    @Query('version') version?: string,
    @Query('at') atParam?: string,
    @Query('recordedAt') recordedAt?: string,
    @Query('asOf') asOf?: string,
  ) {
    const events = await this.events(pledgeId);
    // Checked even when a time decides: a bad parameter is refused, never ignored.
    const asked = versionParam(version, 'version');
    for (const [name, value] of [
      ['at', atParam],
      ['recordedAt', recordedAt],
    ] as const) {
      if (value !== undefined && Number.isNaN(Date.parse(value))) throw invalidInstant(name);
    }
    // `at` is the older name of recordedAt: when both are given, recordedAt decides.
    const known = recordedAt ?? atParam;
    if (asOf !== undefined) {
      if (!/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(asOf) || Number.isNaN(Date.parse(asOf)) || !isRealDate(asOf)) {
        throw new ProblemException(
          400,
          'invalid-as-of',
          'Invalid date',
          'asOf must be a date (YYYY-MM-DD) or an ISO 8601 instant, e.g. 2025-07-01.',
          { 'invalid-params': [{ name: 'asOf', reason: 'not a date or an ISO 8601 instant' }] },
        );
      }
      const { state, eventsIncluded, lastVersion } = stateAsOf(events, asOf, known);
      if (!state.exists)
        throw new DomainError(
          DomainErrorCode.PledgeNotFound,
          `Pledge ${pledgeId} had not been made as of ${asOf}${known ? ` (as recorded by ${known})` : ''}.`,
        );
      return { asOf, ...(known ? { recordedAt: known } : {}), version: lastVersion, eventsIncluded, state };
    }
    const at = known;
    if (at !== undefined) {
      const state = stateAtTime(events, at);
      if (!state.exists)
        throw new DomainError(
          DomainErrorCode.PledgeNotFound,
          `Pledge ${pledgeId} had not been submitted at ${at}.`,
        );
      return { at, recordedAt: at, version: state.version, state };
    }
    const toVersion = asked ?? events.length;
    // Checked before loading: the store reads a stream version by version, up to the one asked for.
    if (toVersion > events.length) throw unknownVersion(pledgeId, events.length);
    const { state } = await this.pledges.load(pledgeId, toVersion);
    return { version: state.version, state };
  }

  @Get('pledges/:pledgeId/diff')
  @ApiPledgeIdParam()
  @ApiQuery({ name: 'from', required: true, schema: versionSchema })
  @ApiQuery({
    name: 'to',
    required: false,
    schema: versionSchema,
    description: 'Defaults to the current version',
  })
  @ApiOkResponse({ type: PledgeDiffSchema })
  @ApiReadProblems(400, 404)
  @ApiOperation({
    operationId: 'getPledgeDiff',
    summary: 'What changed in a pledge between two versions (JSON pointers, before and after)',
  })
  async diff(
    @Param('pledgeId', PledgeIdPipe) pledgeId: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ) {
    const events = await this.events(pledgeId);
    const fromVersion = versionParam(from ?? '', 'from')!;
    const toVersion = versionParam(to, 'to') ?? events.length;
    if (fromVersion > events.length || toVersion > events.length)
      throw unknownVersion(pledgeId, events.length);
    const [before, after] = await Promise.all([
      this.pledges.load(pledgeId, fromVersion),
      this.pledges.load(pledgeId, toVersion),
    ]);
    return {
      pledgeId,
      from: fromVersion,
      to: toVersion,
      events: events
        .filter((e) => e.version > fromVersion && e.version <= toVersion)
        .map((e) => ({ version: e.version, type: e.type, recordedAt: e.recordedAt, principal: e.principal })),
      changes: diffJson(before.state, after.state),
    };
  }

  @Get('pledges/:pledgeId/integrity')
  @ApiPledgeIdParam()
  @ApiOkResponse({ type: ChainVerificationSchema, description: 'valid: false names the first broken link' })
  @ApiReadProblems(400)
  @ApiOperation({
    operationId: 'verifyPledgeChain',
    summary: "Verify a pledge's hash chain; names the first broken link",
  })
  verifyPledge(@Param('pledgeId', PledgeIdPipe) pledgeId: string) {
    return this.store.verifyStream(pledgeStreamId(pledgeId));
  }

  @Get('integrity')
  @ApiOkResponse({ type: StoreIntegritySchema })
  @ApiReadProblems()
  @ApiOperation({
    operationId: 'verifyStoreChains',
    summary: 'Verify the hash chain of every stream in the store',
  })
  async verifyAll() {
    let streams = 0;
    let events = 0;
    const broken = [];
    for await (const result of this.store.verifyAll()) {
      streams += 1;
      events += result.eventsChecked;
      if (!result.valid) broken.push(result);
    }
    return {
      valid: broken.length === 0,
      streamsChecked: streams,
      eventsChecked: events,
      broken,
      checkedAt: new Date().toISOString(),
    };
  }

  @Get('integrity/log')
  @RequestDeadline(600_000)
  @ApiOkResponse({ type: LogReconciliationSchema })
  @ApiReadProblems()
  @ApiOperation({
    operationId: 'reconcileLog',
    summary:
      'Reconcile the event store with the pledge-event topic, both from the beginning: events stored but not on the topic (named), on the topic but not stored, order violations, duplicates',
  })
  reconcileLog() {
    return this.logAudit.reconcile();
  }
}

function invalidInstant(name: string): ProblemException {
  return new ProblemException(
    400,
    'invalid-instant',
    'Invalid time',
    `${name} must be an ISO 8601 instant, e.g. 2026-06-30T00:00:00Z.`,
    { 'invalid-params': [{ name, reason: 'not an ISO 8601 instant' }] },
  );
}

/** A YYYY-MM-DD prefix names a real day (2025-02-30 does not, though Date.parse rolls it over). */
function isRealDate(value: string): boolean {
  const day = value.slice(0, 10);
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}
