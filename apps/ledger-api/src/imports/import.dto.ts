import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsUUID,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

@ValidatorConstraint({ name: 'pastDate' })
class PastCalendarDate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
    const day = new Date(`${value}T00:00:00Z`);
    return (
      !Number.isNaN(day.getTime()) &&
      day.toISOString().slice(0, 10) === value &&
      value <= new Date().toISOString().slice(0, 10)
    );
  }
  defaultMessage(): string {
    return 'retrievedOn must be a real date YYYY-MM-DD, not in the future: the day the file was taken from the source';
  }
}

/** Where the file comes from: recorded on every event the import records. Unknown parameters are refused. */
export class ImportQueryDto {
  @ApiProperty({
    description: 'Name of the tracker, registry or spreadsheet the history comes from',
    minLength: 1,
    maxLength: 200,
    example: 'National gender-digital pledge tracker',
  })
  @IsString()
  @MinLength(1, { message: 'source must name where the history comes from' })
  @MaxLength(200)
  @Matches(/^\S(?:.*\S)?$/s, { message: 'source must not start or end with blanks' })
  source: string;

  @ApiPropertyOptional({
    format: 'uri',
    maxLength: 2000,
    description: 'Where the source can be found (http or https)',
  })
  @IsOptional()
  @MaxLength(2000)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'sourceUrl must be an http(s) URL' },
  )
  sourceUrl?: string;

  @ApiProperty({ format: 'date', description: 'When the file was taken from the source (not in the future)' })
  @Validate(PastCalendarDate)
  retrievedOn: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "The import's id, chosen by the client (a new version 4 UUID) to follow GET /imports/{id} while the file " +
      'is still being sent and checked. Default: the server picks one. An id already used is 409.',
  })
  @IsOptional()
  @IsUUID('4', { message: 'id must be a new version 4 UUID' })
  id?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description: 'true: check the whole file and answer what it would record, recording nothing',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';
}
