import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsNumber,
  IsPositive,
  IsString,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Omittable } from './omittable';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ACTION_CODE_PATTERN,
  BUILT_IN_FRAMEWORKS,
  COUNTRY_CODES,
  CURRENCY_CODES,
  LARGEST_MEASURE,
  REGIONS,
  TARGET_ID_PATTERN,
} from '@ledger/domain';

const finite = { allowNaN: false, allowInfinity: false };
const DATE = /^\d{4}-\d{2}-\d{2}$/;

// For the OpenAPI document: the reference data a pledge is checked against, so a client (or a generator)
// knows what is valid. Everything else comes from the validation decorators (the Swagger CLI plugin).
const FRAMEWORK_CODES = BUILT_IN_FRAMEWORKS.map((f) => f.code);
const ACTION_CODES = [...new Set(BUILT_IN_FRAMEWORKS.flatMap((f) => f.actions.map((a) => a.code)))];
const COUNTRIES = { isArray: true, enum: [...COUNTRY_CODES], uniqueItems: true };
const REGION_SLUGS = { isArray: true, enum: [...REGIONS], uniqueItems: true };
/** Each framework with its own actions: an action of another framework is not one. */
const ACTION_REFS = {
  type: 'array',
  minItems: 1,
  maxItems: 20,
  uniqueItems: true,
  items: {
    oneOf: BUILT_IN_FRAMEWORKS.map((f) => ({
      type: 'object',
      additionalProperties: false,
      required: ['framework', 'action'],
      properties: {
        framework: { type: 'string', enum: [f.code] },
        action: { type: 'string', enum: f.actions.map((a) => a.code) },
      },
    })),
  },
} as const;
/** Indicator values and amounts: never negative, at most LARGEST_MEASURE. */
export const MEASURE = { minimum: 0, maximum: LARGEST_MEASURE };

export class ActionRefDto {
  /** Action framework code, e.g. wsis10-gender-gap or gender-caucus (GET /frameworks lists them). */
  @ApiProperty({ enum: FRAMEWORK_CODES })
  @Matches(ACTION_CODE_PATTERN, { message: 'framework must be a framework code such as wsis10-gender-gap' })
  framework: string;

  /** Action code within the framework, e.g. access (one of that framework's actions). */
  @ApiProperty({ enum: ACTION_CODES })
  @Matches(ACTION_CODE_PATTERN, { message: 'action must be an action code such as access' })
  action: string;
}

export class TargetDto {
  /** Your id for the target, unique within the pledge (lower-case letters, digits, dashes), e.g. women-online. */
  @ApiProperty({ pattern: TARGET_ID_PATTERN.source })
  @Matches(TARGET_ID_PATTERN, {
    message: 'id must be 1-40 lower-case letters, digits or dashes, starting with a letter or digit',
  })
  id: string;

  /** What is measured, e.g. "Women using the internet". */
  @IsString()
  @Length(1, 300)
  indicator: string;

  /** Unit of the indicator, e.g. "% of women aged 15+". */
  @IsString()
  @Length(1, 80)
  unit: string;

  @ApiProperty(MEASURE)
  @IsNumber(finite)
  baseline: number;

  /** Above the baseline to raise the indicator, below it to reduce it (e.g. a gap). */
  @ApiProperty(MEASURE)
  @IsNumber(finite)
  targetValue: number;

  /** YYYY-MM-DD */
  @ApiProperty({ format: 'date' })
  @Matches(DATE, { message: 'deadline must be a date as YYYY-MM-DD' })
  deadline: string;
}

export class MoneyDto {
  @ApiProperty({ ...MEASURE, exclusiveMinimum: true })
  @IsNumber(finite)
  @IsPositive()
  amount: number;

  /** ISO 4217 code, e.g. USD */
  @ApiProperty({ enum: CURRENCY_CODES })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code in upper case, e.g. USD' })
  currency: string;
}

export class PledgeTermsDto {
  @IsString()
  @Length(3, 300)
  title: string;

  @IsString()
  @Length(1, 10000)
  description: string;

  /** ISO 3166-1 alpha-2 codes, e.g. ["KE", "UG"]. */
  @ApiPropertyOptional({ ...COUNTRIES, default: [] })
  @IsArray()
  @ArrayMaxSize(250)
  @Matches(/^[A-Z]{2}$/, {
    each: true,
    message: 'each country must be an ISO 3166-1 alpha-2 code in upper case',
  })
  countries: string[] = [];

  /** Region slugs (GET /regions lists them), e.g. ["africa"]. */
  @ApiPropertyOptional({ ...REGION_SLUGS, default: [] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  regions: string[] = [];

  /** True for a pledge with worldwide scope. */
  @IsBoolean()
  global: boolean = false;

  @ApiProperty(ACTION_REFS)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ActionRefDto)
  actions: ActionRefDto[];

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => TargetDto)
  targets: TargetDto[];

  @Omittable()
  @ValidateNested()
  @Type(() => MoneyDto)
  financialCommitment?: MoneyDto;
}

/** Only the terms that change; `financialCommitment: null` removes the commitment. */
export class PledgeTermsChangesDto {
  @Omittable()
  @IsString()
  @Length(3, 300)
  title?: string;

  @Omittable()
  @IsString()
  @Length(1, 10000)
  description?: string;

  @ApiPropertyOptional(COUNTRIES)
  @Omittable()
  @IsArray()
  @ArrayMaxSize(250)
  @Matches(/^[A-Z]{2}$/, {
    each: true,
    message: 'each country must be an ISO 3166-1 alpha-2 code in upper case',
  })
  countries?: string[];

  @ApiPropertyOptional(REGION_SLUGS)
  @Omittable()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  regions?: string[];

  @Omittable()
  @IsBoolean()
  global?: boolean;

  @ApiPropertyOptional(ACTION_REFS)
  @Omittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ActionRefDto)
  actions?: ActionRefDto[];

  /** The complete new list of targets (unchanged ones included). */
  @Omittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => TargetDto)
  targets?: TargetDto[];

  @ApiPropertyOptional({ type: MoneyDto, nullable: true })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @ValidateNested()
  @Type(() => MoneyDto)
  financialCommitment?: MoneyDto | null;
}
