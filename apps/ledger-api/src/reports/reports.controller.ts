import { RequestDeadline } from '@ledger/config';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiPledgeIdParam, ApiReadProblems } from '../openapi/api-answers';
import { AccountabilityReportSchema, ListedPledgeSchema, PledgeListSchema } from './report.responses';
import { FastifyReply } from 'fastify';
import { stringify } from 'csv-stringify/sync';

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first: CSV injection,
 * OWASP) is written with a leading apostrophe, which spreadsheets show as text. Numbers are left as they are.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
import { isReportDimension, REPORT_DIMENSIONS, reportColumns, reportRows } from '@ledger/domain';
import { PledgeIdPipe } from '../pledges/pledge-id.pipe';
import { ProblemException } from '../problem';
import { PledgeListQueryDto, ReportQueryDto } from './dto/pledge-filters.dto';
import { TransparencyLog } from '../log/transparency-log.service';
import { PledgeReadModel } from './pledge-read-model';

/** A report computed on request over a large read model may take this long (see PledgeReadModel.report). */
const REPORT_DEADLINE_MS = 120_000;

@ApiTags('reports')
@ApiExtraModels(AccountabilityReportSchema)
@Controller()
export class ReportsController {
  constructor(
    private readonly pledges: PledgeReadModel,
    private readonly log: TransparencyLog,
  ) {}

  @Get('pledges')
  @ApiOkResponse({ type: PledgeListSchema })
  @ApiReadProblems(400)
  @ApiOperation({
    operationId: 'listPledges',
    summary:
      'Pledges from the summary read model, newest first, filtered, with cursor pagination and freshness',
  })
  async list(@Query() query: PledgeListQueryDto) {
    const { limit, cursor, ...filters } = query;
    const page = await this.pledges.list(filters, limit ?? 50, cursor);
    return { ...page, log: await this.log.bind(page.watermark) };
  }

  @Get('pledges/:pledgeId/summary')
  @ApiPledgeIdParam()
  @ApiOkResponse({ type: ListedPledgeSchema })
  @ApiReadProblems(400, 404)
  @ApiOperation({
    operationId: 'getPledgeSummary',
    summary:
      'One pledge as the summary read model has it (lastEventRecordedAt says which event it reflects); 404 until projected. GET /pledges/{pledgeId} reads the event store instead.',
  })
  async summary(@Param('pledgeId', PledgeIdPipe) pledgeId: string) {
    const summary = await this.pledges.one(pledgeId);
    if (!summary) {
      throw new ProblemException(
        404,
        'pledge-not-projected',
        'Not found',
        `Pledge ${pledgeId} is not in the summary read model (unknown, or not projected yet).`,
      );
    }
    return summary;
  }

  @Get('reports/:dimension')
  // Computed on request (several filters, fresh=true) a report costs one summary lookup per matching pledge:
  // seconds for tens of thousands. Identical ones in flight share one computation (see PledgeReadModel).
  @RequestDeadline(REPORT_DEADLINE_MS)
  @ApiParam({ name: 'dimension', enum: REPORT_DIMENSIONS })
  @ApiOkResponse({
    description: 'JSON by default; CSV with format=csv, its freshness then in X-Ledger-* headers',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AccountabilityReportSchema) } },
      'text/csv': { schema: { type: 'string' } },
    },
    headers: {
      'X-Ledger-Computed-At': { description: 'CSV only: when it was computed', schema: { type: 'string' } },
      'X-Ledger-Watermark': {
        description: 'CSV only: the per-partition offsets it reflects, as JSON',
        schema: { type: 'string' },
      },
      'X-Ledger-Last-Event-Recorded-At': {
        description: 'CSV only: the last event it reflects (empty if none)',
        schema: { type: 'string' },
      },
      'X-Ledger-Valid-Until': {
        description: 'CSV only: until when it holds (empty: until the next event)',
        schema: { type: 'string' },
      },
      'X-Ledger-Log-Tree-Size': {
        description: 'CSV only: every transparency-log entry below this position is reflected',
        schema: { type: 'string' },
      },
      'X-Ledger-Report-Source': {
        description: 'CSV only',
        schema: { type: 'string', enum: ['snapshot', 'query'] },
      },
      'Content-Disposition': {
        description: 'CSV only: attachment; filename=...',
        schema: { type: 'string' },
      },
    },
  })
  @ApiReadProblems(400, 404, 414)
  @ApiOperation({
    operationId: 'getReport',
    summary:
      'Accountability report by actor, actor-type, country, region, framework or action: pledges by status, imported pledges, commitments per currency, targets on track / reached / lapsed. States the events it reflects (watermark), when it was computed and until when it holds. Without filters it is the snapshot the projector keeps compiled (source: snapshot); with filters or fresh=true it is computed for the request (source: query).',
  })
  async report(
    @Param('dimension') dimension: string,
    @Query() query: ReportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!isReportDimension(dimension)) {
      throw new ProblemException(
        404,
        'unknown-report',
        'Not found',
        `There is no report by ${dimension}; try one of ${REPORT_DIMENSIONS.join(', ')}.`,
        {
          'invalid-params': [{ name: 'dimension', reason: `one of ${REPORT_DIMENSIONS.join(', ')}` }],
        },
      );
    }
    const { format, fresh, ...filters } = query;
    const { report, watermark, computedAt, validUntil, source } = await this.pledges.report(
      dimension,
      filters,
      fresh === 'true',
    );
    const log = await this.log.bind(watermark);
    if (format === 'csv') {
      void reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="pledge-report-by-${dimension}.csv"`)
        .header('x-ledger-computed-at', computedAt)
        .header('x-ledger-watermark', JSON.stringify(watermark.partitions))
        .header('x-ledger-last-event-recorded-at', watermark.lastEventRecordedAt ?? '')
        .header('x-ledger-valid-until', validUntil ?? '')
        .header('x-ledger-report-source', source)
        .header('x-ledger-log-tree-size', String(log.treeSize));
      return stringify(reportRows(report), {
        header: true,
        columns: reportColumns(report),
        cast: { string: neutraliseFormula },
      });
    }
    return { ...report, filters, computedAt, validUntil, source, watermark, log };
  }
}
