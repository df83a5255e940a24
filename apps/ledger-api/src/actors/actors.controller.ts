import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiReadProblems, ApiWriteProblems } from '../openapi/api-answers';
import { PublicActorSchema, RegisteredActorSchema, RotatedKeySchema } from './actor.responses';
import { Principal } from '@ledger/domain';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { ActorsService } from './actors.service';
import { RegisterOrganisationDto } from './dto/register-organisation.dto';
import { RegisterVerifierDto } from './dto/register-verifier.dto';

/** What registering an actor answers: its record with its API key, and where to read or rotate it. */
const Registration = () =>
  applyDecorators(
    ApiCreatedResponse({
      type: RegisteredActorSchema,
      links: {
        getActor: { operationId: 'getActor', parameters: { id: '$response.body#/id' } },
        rotateActorKey: { operationId: 'rotateActorKey', parameters: { id: '$response.body#/id' } },
      },
    }),
    ApiWriteProblems(409, 422),
  );

@ApiTags('actors')
@Controller('actors')
export class ActorsController {
  constructor(private readonly actors: ActorsService) {}

  @Post('organisations')
  @Registration()
  @Roles('admin')
  @ApiOperation({
    operationId: 'registerOrganisation',
    summary: 'Register an organisation (admin). The response carries its API key, shown this once.',
  })
  registerOrganisation(@Body() dto: RegisterOrganisationDto, @CurrentPrincipal() admin: Principal) {
    return this.actors.registerOrganisation(dto, admin);
  }

  @Post('verifiers')
  @Registration()
  @Roles('admin')
  @ApiOperation({
    operationId: 'registerVerifier',
    summary: 'Register a verifier (admin). The response carries its API key, shown this once.',
  })
  registerVerifier(@Body() dto: RegisterVerifierDto, @CurrentPrincipal() admin: Principal) {
    return this.actors.registerVerifier(dto, admin);
  }

  @Post(':id/api-key')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: RotatedKeySchema })
  @ApiWriteProblems(404, 414)
  @ApiOperation({
    operationId: 'rotateActorKey',
    summary: 'Replace an actor API key (admin); the old key stops working at once.',
  })
  rotateKey(@Param('id') id: string) {
    return this.actors.rotateKey(id);
  }

  @Get('organisations')
  @ApiOkResponse({ type: [PublicActorSchema] })
  @ApiReadProblems()
  @ApiOperation({ summary: 'Registered organisations' })
  organisations() {
    return this.actors.list('organisation');
  }

  @Get('verifiers')
  @ApiOkResponse({ type: [PublicActorSchema] })
  @ApiReadProblems()
  @ApiOperation({ summary: 'Registered verifiers' })
  verifiers() {
    return this.actors.list('verifier');
  }

  @Get(':id')
  @ApiOkResponse({ type: PublicActorSchema })
  @ApiReadProblems(404, 414)
  @ApiOperation({ operationId: 'getActor', summary: 'One organisation or verifier' })
  get(@Param('id') id: string) {
    return this.actors.get(id);
  }
}
