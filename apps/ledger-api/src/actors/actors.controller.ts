import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@ledger/domain';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { ActorsService } from './actors.service';
import { RegisterOrganisationDto } from './dto/register-organisation.dto';
import { RegisterVerifierDto } from './dto/register-verifier.dto';

@ApiTags('actors')
@Controller('actors')
export class ActorsController {
  constructor(private readonly actors: ActorsService) {}

  @Post('organisations')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Register an organisation (admin). The response carries its API key, shown this once.',
  })
  registerOrganisation(@Body() dto: RegisterOrganisationDto, @CurrentPrincipal() admin: Principal) {
    return this.actors.registerOrganisation(dto, admin);
  }

  @Post('verifiers')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Register a verifier (admin). The response carries its API key, shown this once.',
  })
  registerVerifier(@Body() dto: RegisterVerifierDto, @CurrentPrincipal() admin: Principal) {
    return this.actors.registerVerifier(dto, admin);
  }

  @Post(':id/api-key')
  @HttpCode(200)
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Replace an actor API key (admin); the old key stops working at once.' })
  rotateKey(@Param('id') id: string) {
    return this.actors.rotateKey(id);
  }

  @Get('organisations')
  @ApiOperation({ summary: 'Registered organisations' })
  organisations() {
    return this.actors.list('organisation');
  }

  @Get('verifiers')
  @ApiOperation({ summary: 'Registered verifiers' })
  verifiers() {
    return this.actors.list('verifier');
  }

  @Get(':id')
  @ApiOperation({ summary: 'One organisation or verifier' })
  get(@Param('id') id: string) {
    return this.actors.get(id);
  }
}
