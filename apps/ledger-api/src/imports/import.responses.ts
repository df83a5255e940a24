import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EventPrincipalSchema, ImportSourceSchema } from '../audit/audit.responses';

export class ImportRowErrorSchema {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'CSV: header = 1, first record = 2; JSON Lines: the line; 0: the file',
  })
  row: number;
  @ApiProperty({ description: 'The template column at fault, or "file"' }) field: string;
  @ApiProperty() reason: string;
}

export class ImportViewSchema {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    enum: ['validating', 'rejected', 'validated', 'applying', 'completed', 'failed', 'interrupted'],
    description:
      'validating: the file is being checked; rejected: it has bad rows, nothing recorded; validated: a dry run ' +
      'found it good; applying: being recorded; completed; failed / interrupted: stopped part-way (what was ' +
      'recorded stays; the same file again records the rest)',
  })
  status: string;
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ enum: ['csv', 'jsonl'] }) format: string;
  @ApiProperty({ type: ImportSourceSchema }) source: ImportSourceSchema;
  @ApiProperty({ type: EventPrincipalSchema, description: 'Who ran the import' })
  principal: EventPrincipalSchema;
  @ApiPropertyOptional({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the file as received' })
  fileSha256?: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) bytesRead: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Rows read and checked (target rows included)' })
  rowsRead: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Rows found good (those already recorded included)',
  })
  accepted: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Rows found bad: when any is, nothing is recorded',
  })
  rejected: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Rows already in the ledger from an earlier import',
  })
  alreadyRecorded: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Rows the recording has gone through' })
  rowsApplied: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Events recorded (a pledge row and its targets are one)',
  })
  recorded: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) pledges: number;
  @ApiProperty({ type: [ImportRowErrorSchema], description: 'The first 1000 problems, by row' })
  errors: ImportRowErrorSchema[];
  @ApiProperty({ type: 'integer', minimum: 0 }) errorsTotal: number;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) finishedAt?: string;
  @ApiPropertyOptional() failure?: string;
}
