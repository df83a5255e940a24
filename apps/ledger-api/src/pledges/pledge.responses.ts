import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTOR_TYPES } from '@ledger/domain';

// What the API answers about pledges, for the OpenAPI document (explicit: the Swagger CLI plugin reads *.dto.ts only).

export class ActorSchema {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ACTOR_TYPES }) type: string;
  @ApiProperty({ pattern: '^[A-Z]{2}$' }) country: string;
}

export class ActionRefSchema {
  @ApiProperty() framework: string;
  @ApiProperty() action: string;
}

export class TargetTermsSchema {
  @ApiProperty() id: string;
  @ApiProperty() indicator: string;
  @ApiProperty() unit: string;
  @ApiProperty() baseline: number;
  @ApiProperty() targetValue: number;
  @ApiProperty({ format: 'date' }) deadline: string;
}

export class MoneySchema {
  @ApiProperty() amount: number;
  @ApiProperty({ pattern: '^[A-Z]{3}$' }) currency: string;
}

export class PledgeTermsSchema {
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String] }) countries: string[];
  @ApiProperty({ type: [String] }) regions: string[];
  @ApiProperty() global: boolean;
  @ApiProperty({ type: [ActionRefSchema] }) actions: ActionRefSchema[];
  @ApiProperty({ type: [TargetTermsSchema] }) targets: TargetTermsSchema[];
  @ApiPropertyOptional({ type: MoneySchema }) financialCommitment?: MoneySchema;
}

export class TargetProgressSchema {
  @ApiProperty() targetId: string;
  @ApiProperty() indicator: string;
  @ApiProperty() unit: string;
  @ApiProperty() baseline: number;
  @ApiProperty() targetValue: number;
  @ApiProperty({ format: 'date' }) deadline: string;
  @ApiProperty({ enum: ['increase', 'reduction'] }) direction: string;
  @ApiProperty({ format: 'date', description: 'From when progress is expected' }) since: string;
  @ApiPropertyOptional() latestReportId?: string;
  @ApiProperty({ enum: ['unverified', 'confirmed', 'disputed'] }) latestVerification: string;
}

export class WateringDownFindingSchema {
  @ApiProperty() kind: string;
  @ApiPropertyOptional() targetId?: string;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string' }] }) from: number | string;
  @ApiProperty({ anyOf: [{ type: 'number', nullable: true }, { type: 'string' }] }) to:
    number | string | null;
}

export class VerificationCountsSchema {
  @ApiProperty({ type: 'integer' }) confirmed: number;
  @ApiProperty({ type: 'integer' }) disputed: number;
}

export class PledgeSummarySchema {
  @ApiProperty({ format: 'uuid' }) pledgeId: string;
  @ApiProperty({ type: ActorSchema }) actor: ActorSchema;
  @ApiProperty({ type: PledgeTermsSchema }) terms: PledgeTermsSchema;
  @ApiProperty({ enum: ['active', 'lapsed', 'fulfilled', 'withdrawn'] }) status: string;
  @ApiProperty({ type: [TargetProgressSchema] }) targets: TargetProgressSchema[];
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When progress was last sent (declared), not the date it is as of',
  })
  lastProgressAt?: string;
  @ApiProperty({
    format: 'date-time',
    description:
      'The effective instant a lapse counts from: the end of the latest as-of day of any progress report, or ' +
      'the submission when later. An active pledge silent for longer than the lapse window since it is lapsed.',
  })
  progressClock: string;
  @ApiProperty({
    enum: ['imported', 'direct'],
    description: 'imported: the pledge was made elsewhere and its submission came in through an import',
  })
  provenance: 'imported' | 'direct';
  @ApiProperty({ type: 'integer', minimum: 0, description: 'How many of its events an import brought in' })
  importedEvents: number;
  @ApiProperty({ type: [String], description: 'The sources those events came from' })
  importSources: string[];
  @ApiProperty({ enum: ['unverified', 'confirmed', 'disputed'] }) verification: string;
  @ApiProperty({ type: VerificationCountsSchema }) verificationCounts: VerificationCountsSchema;
  @ApiProperty({ type: [WateringDownFindingSchema] }) wateringDown: WateringDownFindingSchema[];
  @ApiProperty() wateredDown: boolean;
  @ApiProperty({ type: 'integer' }) amendments: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) version: number;
  @ApiProperty({ format: 'date-time' }) submittedAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) fulfilledAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) withdrawnAt?: string;
}

export class ProgressReportSchema {
  @ApiProperty() reportId: string;
  @ApiProperty() targetId: string;
  @ApiProperty() value: number;
  @ApiProperty({ format: 'date' }) asOf: string;
  @ApiProperty() narrative: string;
  @ApiProperty({ type: [String] }) evidence: string[];
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiPropertyOptional() supersededBy?: string;
  @ApiPropertyOptional() corrects?: string;
  @ApiPropertyOptional() correctionReason?: string;
}

export class VerifierSchema {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class VerificationSchema {
  @ApiProperty() verificationId: string;
  @ApiProperty({ type: VerifierSchema }) verifier: VerifierSchema;
  @ApiProperty({ enum: ['confirmed', 'disputed'] }) outcome: string;
  @ApiProperty() note: string;
  @ApiPropertyOptional() reportId?: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

export class PledgeViewSchema extends PledgeSummarySchema {
  @ApiProperty({ type: [ProgressReportSchema] }) progressReports: ProgressReportSchema[];
  @ApiProperty({ type: [VerificationSchema] }) verifications: VerificationSchema[];
  @ApiPropertyOptional() fulfilmentNote?: string;
  @ApiPropertyOptional() withdrawalReason?: string;
}

export class RecordedEventBriefSchema {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty() type: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version: number;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) hash: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The event as decided, e.g. a new progress report with its reportId',
  })
  payload: Record<string, unknown>;
}

/** What every write answers: the events it recorded and the pledge's summary after them. */
export class WriteResultSchema {
  @ApiProperty({ format: 'uuid' }) pledgeId: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version: number;
  @ApiProperty({ type: [RecordedEventBriefSchema] }) recorded: RecordedEventBriefSchema[];
  @ApiProperty({ type: PledgeSummarySchema }) pledge: PledgeSummarySchema;
}
