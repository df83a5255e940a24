import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateBy } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ACTOR_TYPES } from '@ledger/domain';

/** A real day as YYYY-MM-DD, any year 0000-9999 (RFC 3339 full-date): '2026-02-30' and '2026-13-01' are not. */
function isFullDate(value: unknown): boolean {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

function IsFullDate(message: string): PropertyDecorator {
  return ValidateBy({
    name: 'isFullDate',
    validator: { validate: isFullDate, defaultMessage: () => message },
  });
}

/** Filters shared by pledge lists and reports; unknown query parameters are refused like unknown body fields. */
export class PledgeFiltersDto {
  /** Organisation id */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  actor?: string;

  @IsOptional()
  @IsIn(ACTOR_TYPES as string[])
  actorType?: string;

  /** ISO 3166-1 alpha-2 */
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code in upper case' })
  country?: string;

  @IsOptional()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'region must be a region slug (GET /regions)' })
  region?: string;

  @IsOptional()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'framework must be a framework code (GET /frameworks)' })
  framework?: string;

  /** framework/action, e.g. wsis10-gender-gap/access */
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,64}\/[a-z0-9-]{1,64}$/, {
    message: 'action must be framework/action, e.g. wsis10-gender-gap/access',
  })
  action?: string;

  /** imported: the pledge's submission came in through an import of earlier records; direct: through the API */
  @IsOptional()
  @IsIn(['imported', 'direct'])
  provenance?: 'imported' | 'direct';

  @IsOptional()
  @IsIn(['active', 'lapsed', 'fulfilled', 'withdrawn'])
  status?: 'active' | 'lapsed' | 'fulfilled' | 'withdrawn';

  /** Submitted on or after this date (YYYY-MM-DD) */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsFullDate('submittedFrom must be a real date as YYYY-MM-DD')
  submittedFrom?: string;

  /** Submitted on or before this date (YYYY-MM-DD) */
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsFullDate('submittedTo must be a real date as YYYY-MM-DD')
  submittedTo?: string;
}

export class PledgeListQueryDto extends PledgeFiltersDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  /** From the previous page's nextCursor */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class ReportQueryDto extends PledgeFiltersDto {
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  /** true: compute the report now instead of serving the projector's latest snapshot (slower). */
  @IsOptional()
  @IsIn(['true', 'false'])
  fresh?: 'true' | 'false';
}
