import { ApiProperty } from '@nestjs/swagger';
import { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const INDICATORS: { type: 'object'; additionalProperties: SchemaObject } = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
};

/** @nestjs/terminus's body, kept as it is for monitors (also on 503, with Retry-After). */
export class HealthSchema {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status: string;
  @ApiProperty({ ...INDICATORS, description: 'kafka, mongodb, outbox when up' }) info: object;
  @ApiProperty({ ...INDICATORS, description: 'The indicators that are down' }) error: object;
  @ApiProperty({ ...INDICATORS }) details: object;
}
