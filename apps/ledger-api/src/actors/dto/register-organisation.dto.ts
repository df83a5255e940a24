import { IsIn, IsString, Length, Matches } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { ACTOR_TYPES, ActorType, COUNTRY_CODES } from '@ledger/domain';

export class RegisterOrganisationDto {
  /** Public name of the organisation, e.g. "Ministry of ICT, Kenya". */
  @IsString()
  @Length(2, 200)
  name: string;

  /** One of government, private-sector, civil-society, international-organisation, academia, multi-stakeholder. */
  @IsIn(ACTOR_TYPES as ActorType[])
  type: ActorType;

  /** Home country, ISO 3166-1 alpha-2 (e.g. KE). */
  @ApiProperty({ enum: COUNTRY_CODES })
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code in upper case, e.g. KE' })
  country: string;
}
