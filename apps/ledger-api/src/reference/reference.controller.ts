import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ACTOR_TYPES, ActionCatalogue, REGION_NAMES } from '@ledger/domain';
import { ProblemException } from '../problem';

/** The reference data pledges are checked against: action frameworks, regions, actor types. */
@ApiTags('reference data')
@Controller()
export class ReferenceController {
  constructor(private readonly catalogue: ActionCatalogue) {}

  @Get('frameworks')
  @ApiOperation({
    summary: 'Action frameworks and their actions (WSIS+10 Action Plan, WSIS Gender Caucus priorities)',
  })
  frameworks() {
    return this.catalogue.list();
  }

  @Get('frameworks/:code')
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
  @ApiOperation({ summary: 'Region slugs a pledge may name' })
  regions() {
    return Object.entries(REGION_NAMES).map(([code, name]) => ({ code, name }));
  }

  @Get('actor-types')
  @ApiOperation({ summary: 'Types of organisation that make pledges' })
  actorTypes() {
    return ACTOR_TYPES;
  }
}
