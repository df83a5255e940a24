import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
const MAX_POSITION = Number.MAX_SAFE_INTEGER;

export class InclusionProofQueryDto {
  /** The event's position in the log (or give eventId; both: they must name the same entry) */
  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'index must be a log position (0, 1, ...)' })
  @Min(0)
  @Max(MAX_POSITION)
  index?: number;

  /** The event's id (or give index) */
  @IsOptional()
  @IsUUID('all', { message: 'eventId must be an event id (a UUID)' })
  eventId?: string;

  /** The tree the proof leads to: at most the latest checkpoint's size (default: that size) */
  @ApiPropertyOptional({ type: 'integer', minimum: 1 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'treeSize must be a tree size (1, 2, ...)' })
  @Min(1)
  @Max(MAX_POSITION)
  treeSize?: number;
}

export class ConsistencyProofQueryDto {
  /** The older tree size */
  @ApiProperty({ type: 'integer', minimum: 1 })
  @Transform(toInt)
  @IsInt({ message: 'from must be a tree size (1, 2, ...)' })
  @Min(1)
  @Max(MAX_POSITION)
  from: number;

  /** The newer tree size: at most the latest checkpoint's size (default: that size) */
  @ApiPropertyOptional({ type: 'integer', minimum: 1 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'to must be a tree size (1, 2, ...)' })
  @Min(1)
  @Max(MAX_POSITION)
  to?: number;
}
