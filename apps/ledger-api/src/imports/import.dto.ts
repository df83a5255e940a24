import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { pledgeIdSchema } from '../openapi/api-answers';
import {
  IsIn,
  IsUUID,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

/** An http(s) URL with a host name, a path, a query and a fragment of plain URL characters (what the API
 *  document states is exactly what is taken). */
const SOURCE_URL_PATTERN =
  /^https?:\/\/[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::[1-9][0-9]{0,3})?(?:\/(?:[A-Za-z0-9._~/-]|%[0-9A-Fa-f]{2})*)?(?:\?(?:[A-Za-z0-9._~&=+/-]|%[0-9A-Fa-f]{2})*)?(?:#(?:[A-Za-z0-9._~&=+/-]|%[0-9A-Fa-f]{2})*)?$/;

/**
 * A source's name: no blank at either end and no control character anywhere (C0, DEL, C1: a name is shown on
 * every imported event, in exports and logs). Written so that JavaScript and Python (the fuzzer) read it
 * alike: their \s differ by U+FEFF (excluded here at the ends) and U+0085 and U+001C-U+001F (controls).
 */
const SOURCE_NAME_PATTERN =
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  /^[^\s\x00-\x1f\x7f-\x9f\ufeff](?:[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f\ufeff])?$/;

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
    pattern: SOURCE_NAME_PATTERN.source,
    example: 'National gender-digital pledge tracker',
  })
  @IsString()
  @MinLength(1, { message: 'source must name where the history comes from' })
  @MaxLength(200)
  @Matches(SOURCE_NAME_PATTERN, {
    message: 'source must not start or end with blanks, nor hold control characters (line breaks, tabs, NUL)',
  })
  source: string;

  @ApiPropertyOptional({
    format: 'uri',
    maxLength: 2000,
    pattern: SOURCE_URL_PATTERN.source,
    description: 'Where the source can be found (http or https)',
  })
  @IsOptional()
  @MaxLength(2000)
  @Matches(SOURCE_URL_PATTERN, {
    message: 'sourceUrl must be an http(s) URL such as https://example.org/tracker',
  })
  sourceUrl?: string;

  @ApiProperty({ format: 'date', description: 'When the file was taken from the source (not in the future)' })
  @Validate(PastCalendarDate)
  retrievedOn: string;

  @ApiPropertyOptional({
    ...pledgeIdSchema,
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
