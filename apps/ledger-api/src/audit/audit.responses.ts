import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// What the audit endpoints answer, for the OpenAPI document.

const ANY_JSON = {
  anyOf: [
    { type: 'string', nullable: true },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'object', additionalProperties: true },
    { type: 'array', items: {} },
  ],
};

export class EventPrincipalSchema {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['organisation', 'verifier', 'admin'] }) role: string;
  @ApiProperty() name: string;
}

export class ImportSourceSchema {
  @ApiProperty({ description: 'The tracker, registry or spreadsheet the history was taken from' })
  name: string;
  @ApiPropertyOptional({ format: 'uri' }) url?: string;
  @ApiProperty({ format: 'date', description: 'When the file was taken from the source' })
  retrievedOn: string;
}

export class EventProvenanceSchema {
  @ApiProperty({ enum: ['import'] }) kind: 'import';
  @ApiProperty({ format: 'uuid', description: 'The import that recorded the event: GET /imports/{importId}' })
  importId: string;
  @ApiProperty({ type: ImportSourceSchema }) source: ImportSourceSchema;
  @ApiProperty({ description: 'Who wrote the record in the source' }) originalAuthor: string;
  @ApiProperty({ description: "The source's own reference of the pledge" }) sourceRef: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Row of the imported file' }) row: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: "SHA-256 of the row's content" }) rowHash: string;
}

export class RecordedEventSchema {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty() streamId: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version: number;
  @ApiProperty() type: string;
  @ApiProperty({ type: 'integer' }) schemaVersion: number;
  @ApiProperty({
    format: 'date-time',
    description:
      'When what the event declares happened (its effective time; a progress report is also effective on its ' +
      'payload asOf date). Equal to recordedAt for writes through the API; earlier for imported history.',
  })
  occurredAt: string;
  @ApiProperty({ format: 'date-time', description: 'When the ledger stored the event' }) recordedAt: string;
  @ApiProperty({
    type: EventPrincipalSchema,
    description: 'Who recorded the event: the writer, or for an imported event whoever ran the import',
  })
  principal: EventPrincipalSchema;
  @ApiProperty() correlationId: string;
  @ApiProperty() causationId: string;
  @ApiProperty({ type: 'string', nullable: true }) idempotencyKey: string | null;
  @ApiPropertyOptional({
    type: EventProvenanceSchema,
    description: 'Only on imported events: the import, the source and the original author',
  })
  provenance?: EventProvenanceSchema;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload: Record<string, unknown>;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) prevHash: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) hash: string;
}

export class PledgeHistorySchema {
  @ApiProperty({ format: 'uuid' }) pledgeId: string;
  @ApiProperty() streamId: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version: number;
  @ApiProperty({ type: [RecordedEventSchema] }) events: RecordedEventSchema[];
  @ApiProperty({
    type: 'array',
    items: { type: 'integer', minimum: 0, nullable: true },
    description:
      "Each event's position in the transparency log, in the order of events (null: not sequenced yet)",
  })
  logIndexes: (number | null)[];
}

export class PledgeStateAtSchema {
  @ApiPropertyOptional({ description: 'The instant asked for (with ?at=)' }) at?: string;
  @ApiPropertyOptional({ description: 'Only events recorded by this instant (with ?recordedAt= or ?at=)' })
  recordedAt?: string;
  @ApiPropertyOptional({ description: 'The effective date or instant asked for (with ?asOf=)' })
  asOf?: string;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description:
      'With asOf: how many events are folded (those effective by then); version is then the latest of them',
  })
  eventsIncluded?: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) version: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    required: ['exists', 'version', 'status'],
    properties: {
      exists: { type: 'boolean' },
      pledgeId: { type: 'string' },
      version: { type: 'integer' },
      status: { type: 'string', enum: ['none', 'active', 'fulfilled', 'withdrawn'] },
    },
    description: 'The fold of the events up to then: actor, terms, progress reports, verifications',
  })
  state: Record<string, unknown>;
}

export class DiffEventSchema {
  @ApiProperty({ type: 'integer', minimum: 1 }) version: number;
  @ApiProperty() type: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ type: EventPrincipalSchema }) principal: EventPrincipalSchema;
}

export class FieldChangeSchema {
  @ApiProperty({ description: 'JSON pointer (RFC 6901) to the changed value' }) path: string;
  @ApiPropertyOptional({ ...ANY_JSON, description: 'Absent when the value was added' }) before?: unknown;
  @ApiPropertyOptional({ ...ANY_JSON, description: 'Absent when the value was removed' }) after?: unknown;
}

export class PledgeDiffSchema {
  @ApiProperty({ format: 'uuid' }) pledgeId: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) from: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) to: number;
  @ApiProperty({ type: [DiffEventSchema] }) events: DiffEventSchema[];
  @ApiProperty({ type: [FieldChangeSchema] }) changes: FieldChangeSchema[];
}

export class ChainVerificationSchema {
  @ApiProperty() streamId: string;
  @ApiProperty({ type: 'integer' }) eventsChecked: number;
  @ApiProperty() valid: boolean;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The first broken link: the version and what is wrong with it',
  })
  firstBreak?: Record<string, unknown>;
  @ApiPropertyOptional({ pattern: '^[0-9a-f]{64}$' }) headHash?: string;
}

export class StoreIntegritySchema {
  @ApiProperty() valid: boolean;
  @ApiProperty({ type: 'integer' }) streamsChecked: number;
  @ApiProperty({ type: 'integer' }) eventsChecked: number;
  @ApiProperty({ type: [ChainVerificationSchema] }) broken: ChainVerificationSchema[];
  @ApiProperty({ format: 'date-time' }) checkedAt: string;
}

export class EventRefSchema {
  @ApiProperty() streamId: string;
  @ApiProperty({ type: 'integer' }) version: number;
  @ApiProperty() eventId: string;
  @ApiPropertyOptional({ format: 'date-time' }) recordedAt?: string;
  @ApiPropertyOptional({ type: 'integer' }) partition?: number;
  @ApiPropertyOptional() offset?: string;
}

export class LogReconciliationSchema {
  @ApiProperty() topic: string;
  @ApiProperty({ format: 'date-time' }) checkedAt: string;
  @ApiProperty({ type: 'integer' }) durationMs: number;
  @ApiProperty({ type: 'integer', description: 'Events in the event store' }) stored: number;
  @ApiProperty({ type: 'integer' }) onTopic: number;
  @ApiProperty({ type: 'integer' }) pending: number;
  @ApiProperty({ type: [EventRefSchema] }) missing: EventRefSchema[];
  @ApiProperty({ type: [EventRefSchema] }) unknownOnTopic: EventRefSchema[];
  @ApiProperty({ type: [EventRefSchema] }) mismatched: EventRefSchema[];
  @ApiProperty({ type: [EventRefSchema] }) orderViolations: EventRefSchema[];
  @ApiProperty({ type: 'integer' }) duplicates: number;
  @ApiProperty({ type: 'integer' }) undecodable: number;
  @ApiProperty() ok: boolean;
}
