import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { pledgeIdSchema } from '../../openapi/api-answers';

/** The last log position a client has (-1: none); Last-Event-ID carries the same. */
export const AFTER_SCHEMA = { type: 'integer' as const, minimum: -1, maximum: Number.MAX_SAFE_INTEGER };

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;

/** Where a live stream starts and what it carries; unknown query parameters are refused like unknown fields. */
export class LiveEventsQueryDto {
  /**
   * Replay the events after this log position first (-1: from the first). A page that loaded data reflecting
   * a log tree size N passes N-1. A Last-Event-ID header (an EventSource reconnecting) takes precedence.
   * Neither: only events new from now on.
   */
  @ApiPropertyOptional(AFTER_SCHEMA)
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'after must be a log position (-1, 0, 1, ...)' })
  @Min(-1)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  /** false: send the backlog (after `after` or Last-Event-ID) and end, instead of staying open for new events */
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'follow must be true or false' })
  follow?: 'true' | 'false';

  /** Only this pledge's events (their ids are still log positions, so resuming works the same) */
  @ApiPropertyOptional(pledgeIdSchema)
  @IsOptional()
  @IsUUID('4', { message: 'pledgeId must be a pledge id (a version 4 UUID)' })
  pledgeId?: string;
}
