import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { Principal } from '@ledger/domain';
import { RequestDeadline } from '@ledger/config';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { ApiKeyRequired, ApiPathProblems, ApiProblems } from '../openapi/api-answers';
import { ProblemException } from '../problem';
import { ImportQueryDto } from './import.dto';
import { ImportViewSchema } from './import.responses';
import { IMPORT_MEDIA_TYPES, importFormatOf } from './import-upload';
import { ImportsService } from './imports.service';

/** A file the template accepts, small enough for the API document (docs/import-template.md has more). */
export const IMPORT_EXAMPLE_CSV =
  'kind,pledgeId,occurredAt,author,title,description,countries,actions,targetId,indicator,unit,baseline,targetValue,deadline,reportId,value,asOf\r\n' +
  'pledge,EXAMPLE-2016-001,2016-03-08,Focal point,Digital skills for women,Free training courses,KE,wsis10-gender-gap/access,,,,,,,,,\r\n' +
  'target,EXAMPLE-2016-001,,,,,,,women-trained,Women trained in digital skills,people,0,5000,2020-12-31,,,\r\n' +
  'progress,EXAMPLE-2016-001,2018-07-15,Focal point,,,,,women-trained,,,,,,r-2018,1200,2018-06-30\r\n';

const IMPORT_TIMEOUT_MS = Number(process.env.IMPORT_TIMEOUT_MS ?? 30 * 60 * 1000);

const uuid = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () =>
    new ProblemException(400, 'invalid-import-id', 'Invalid import id', 'An import id is a UUID.', {
      'invalid-params': [{ name: 'id', reason: 'not a UUID' }],
    }),
});

@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @Roles('organisation', 'admin')
  @RequestDeadline(IMPORT_TIMEOUT_MS)
  @ApiOperation({
    operationId: 'importHistory',
    summary: 'Import existing pledges with their real dates (CSV or JSON Lines, docs/import-template.md)',
    description:
      'The body is the file (UTF-8; text/csv per RFC 4180 with a header row, or JSON Lines). It is checked as a ' +
      "whole with the ledger's rules first: if any row is bad the answer is 422 listing every bad row (row and " +
      'column in invalid-params) and nothing is recorded. Otherwise 202: the events are being recorded (follow ' +
      'GET /imports/{id}); 200 when there is nothing to record (a dry run, or every row is already recorded: ' +
      're-importing a file records nothing new). An organisation imports its own pledges; an admin imports for a ' +
      'registry that is migrating (pledge rows name a registered organisation, verification rows a registered ' +
      'verifier). Every event records the importer, the source, the original author and the row.',
  })
  @ApiConsumes(...Object.keys(IMPORT_MEDIA_TYPES))
  @ApiBody({
    required: true,
    schema: { type: 'string', minLength: 1, example: IMPORT_EXAMPLE_CSV },
    description: 'The import file',
  })
  @ApiOkResponse({
    type: ImportViewSchema,
    description: 'Checked; nothing to record (dry run or already recorded)',
  })
  @ApiAcceptedResponse({
    type: ImportViewSchema,
    description: 'Checked and being recorded: follow GET /imports/{id}',
    headers: { Location: { description: '/imports/{id}', schema: { type: 'string' }, required: true } },
    links: { getImport: { operationId: 'getImport', parameters: { id: '$response.body#/id' } } },
  })
  @ApiKeyRequired()
  @ApiProblems(400, 401, 403, 408, 409, 413, 415, 422, 503)
  async create(
    @Query() query: ImportQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportViewSchema> {
    const format = importFormatOf(request.headers['content-type']);
    const body = request.body;
    if (!format || !(body instanceof Readable)) {
      throw new ProblemException(
        415,
        'unsupported-media-type',
        'Unsupported media type',
        `An import file is sent as ${Object.keys(IMPORT_MEDIA_TYPES).join(', ')} (UTF-8).`,
        { 'invalid-params': [{ name: 'Content-Type', reason: 'not an import file type' }] },
      );
    }
    const { status, view } = await this.imports.start(
      principal,
      format,
      {
        name: query.source,
        ...(query.sourceUrl !== undefined ? { url: query.sourceUrl } : {}),
        retrievedOn: query.retrievedOn,
      },
      query.dryRun === 'true',
      body,
      // A UUID names one import whatever the case of its hex digits.
      query.id?.toLowerCase(),
    );
    void reply.status(status);
    if (status === 202) void reply.header('location', `/imports/${view.id}`);
    return view;
  }

  @Get(':id')
  @Roles('organisation', 'admin')
  @ApiOperation({
    operationId: 'getImport',
    summary: "An import's progress: rows read, accepted, rejected, recorded; its errors",
    description: 'Visible to whoever ran it and to admins.',
  })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ type: ImportViewSchema })
  @ApiKeyRequired()
  @ApiPathProblems()
  @ApiProblems(400, 401, 403, 404, 503)
  async get(
    @Param('id', uuid) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ImportViewSchema> {
    const found = await this.imports.find(id.toLowerCase(), principal);
    if (!found)
      throw new ProblemException(
        404,
        'import-not-found',
        'No such import',
        `There is no import ${id} of yours.`,
      );
    return found;
  }
}
