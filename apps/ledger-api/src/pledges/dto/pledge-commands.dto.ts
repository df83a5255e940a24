import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNumber,
  IsString,
  IsUrl,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { Omittable } from './omittable';
import { ApiProperty } from '@nestjs/swagger';
import { MEASURE, PledgeTermsChangesDto } from './pledge-terms.dto';

const finite = { allowNaN: false, allowInfinity: false };
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

export class AmendPledgeDto {
  /** Why the terms change; kept with the amendment forever. */
  @IsString()
  @Length(3, 2000)
  reason: string;

  @ValidateNested()
  @Type(() => PledgeTermsChangesDto)
  changes: PledgeTermsChangesDto;
}

export class ReportProgressDto {
  /** Id of a target of the pledge. */
  @ApiProperty({ example: 'women-online' })
  @IsString()
  @Length(1, 40)
  targetId: string;

  @ApiProperty({ ...MEASURE, example: 40 })
  @IsNumber(finite)
  value: number;

  /** The date the value describes, YYYY-MM-DD, not in the future. */
  @ApiProperty({ format: 'date', example: '2026-06-30' })
  @Matches(DATE, { message: 'asOf must be a date as YYYY-MM-DD' })
  asOf: string;

  @IsString()
  @Length(0, 10000)
  narrative: string = '';

  /** Links to evidence (http or https). */
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl(URL_OPTIONS, { each: true, message: 'each evidence entry must be an http(s) URL' })
  evidence: string[] = [];
}

export class CorrectProgressDto {
  @ApiProperty({ ...MEASURE, example: 38 })
  @IsNumber(finite)
  value: number;

  @ApiProperty({ format: 'date', example: '2026-06-30' })
  @Matches(DATE, { message: 'asOf must be a date as YYYY-MM-DD' })
  asOf: string;

  @IsString()
  @Length(0, 10000)
  narrative: string = '';

  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl(URL_OPTIONS, { each: true, message: 'each evidence entry must be an http(s) URL' })
  evidence: string[] = [];

  /** Why the earlier report was wrong. */
  @ApiProperty({ example: 'The survey was re-weighted' })
  @IsString()
  @Length(3, 2000)
  reason: string;
}

export class FulfilPledgeDto {
  @IsString()
  @Length(0, 2000)
  note: string = '';
}

export class WithdrawPledgeDto {
  @IsString()
  @Length(3, 2000)
  reason: string;
}

export class RecordVerificationDto {
  @IsIn(['confirmed', 'disputed'])
  outcome: 'confirmed' | 'disputed';

  /** Required for a dispute (what is contested); optional for a confirmation. */
  @IsString()
  @Length(0, 5000)
  note: string = '';

  /** Verify one progress report instead of the pledge as a whole. */
  @Omittable()
  @IsString()
  @Length(1, 100)
  reportId?: string;
}
