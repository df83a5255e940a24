import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ACTOR_TYPES, ActionCatalogue, BUILT_IN_FRAMEWORKS, REGION_NAMES } from '@ledger/domain';
import { ApiProblems } from '../openapi/api-answers';
import { ActionFrameworkSchema, RegionSchema } from './reference.responses';
import { ProblemException } from '../problem';

/** The reference data pledges are checked against: action frameworks, regions, actor types. */
@ApiTags('reference data')
@Controller()
export class ReferenceController {
  constructor(private readonly catalogue: ActionCatalogue) {}

  @Get('frameworks')
  @ApiOkResponse({ type: [ActionFrameworkSchema] })
  @ApiProblems(503)
  @ApiOperation({
    summary: 'Action frameworks and their actions (WSIS+10 Action Plan, WSIS Gender Caucus priorities)',
  })
  frameworks() {
    return this.catalogue.list();
  }

  @Get('frameworks/:code')
  @ApiParam({ name: 'code', schema: { type: 'string', enum: BUILT_IN_FRAMEWORKS.map((f) => f.code) } })
  @ApiOkResponse({ type: ActionFrameworkSchema })
  @ApiProblems(404, 414, 503)
  @ApiOperation({ summary: 'One action framework' })
  framework(@Param('code') code: string) {
    const framework = this.catalogue.find(code);
    if (!framework)
      throw new ProblemException(
        404,
        'unknown-framework',
        'Not found',
        `No action framework has the code ${code}.`,
      );
    return framework;
  }

  @Get('regions')
  @ApiOkResponse({ type: [RegionSchema] })
  @ApiProblems(503)
  @ApiOperation({ summary: 'Region slugs a pledge may name' })
  regions() {
    return Object.entries(REGION_NAMES).map(([code, name]) => ({ code, name }));
  }

  @Get('actor-types')
  @ApiOkResponse({ schema: { type: 'array', items: { type: 'string', enum: [...ACTOR_TYPES] } } })
  @ApiProblems(503)
  @ApiOperation({ summary: 'Types of organisation that make pledges' })
  actorTypes() {
    return ACTOR_TYPES;
  }
}
