import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One bad field, as the API names it in `invalid-params`. */
export class InvalidParamSchema {
  @ApiProperty({ description: 'A JSON pointer into the request body, or a parameter or header name' })
  name: string;

  @ApiProperty({ description: 'What is wrong with it' })
  reason: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description:
      'POST /imports only: the row of the file (CSV header = 1; JSON Lines: the line; 0: the file)',
  })
  row?: number;
}

/** The body of every 4xx and 5xx answer (RFC 7807 / RFC 9457), sent as application/problem+json. */
export class ProblemSchema {
  @ApiProperty({ format: 'uri', example: 'https://pledge-ledger.org/problems/invalid-request' })
  type: string;

  @ApiProperty({ example: 'The request is not valid' })
  title: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 })
  status: number;

  @ApiProperty()
  detail: string;

  @ApiPropertyOptional({ description: 'The path of the request', example: '/pledges' })
  instance?: string;

  @ApiPropertyOptional({ description: 'The last segment of `type`', example: 'invalid-request' })
  code?: string;

  @ApiPropertyOptional({ name: 'invalid-params', type: [InvalidParamSchema] })
  'invalid-params'?: InvalidParamSchema[];

  @ApiPropertyOptional({
    type: 'integer',
    description: 'version-conflict only: the version the pledge is at',
  })
  currentVersion?: number;
}
