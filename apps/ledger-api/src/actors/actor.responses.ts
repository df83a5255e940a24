import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTOR_TYPES } from '@ledger/domain';

// Organisations and verifiers as answered, for the OpenAPI document.

export class PublicActorSchema {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['organisation', 'verifier'] }) kind: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ enum: ACTOR_TYPES, description: 'Organisations only' }) type?: string;
  @ApiPropertyOptional({ pattern: '^[A-Z]{2}$', description: 'Organisations only' }) country?: string;
  @ApiProperty({ format: 'date-time' }) registeredAt: string;
  @ApiProperty() registeredBy: string;
  @ApiPropertyOptional({ format: 'date-time' }) keyRotatedAt?: string;
}

export class RegisteredActorSchema extends PublicActorSchema {
  @ApiProperty({ description: 'The API key, shown this once (only its hash is stored)' }) apiKey: string;
}

export class RotatedKeySchema {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'The new API key, shown this once' }) apiKey: string;
}
