import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RecordedEventSchema } from '../audit/audit.responses';

const HASH = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;

export class CheckpointReferenceSchema {
  @ApiProperty({ type: 'integer', minimum: 0 }) treeSize: number;
  @ApiProperty({ description: 'The C2SP signed checkpoint note' }) note: string;
}

/** Which entries of the transparency log an answer reflects. */
export class LogBindingSchema {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Every log entry below this position is reflected (later ones may be too)',
  })
  treeSize: number;
  @ApiProperty({
    type: CheckpointReferenceSchema,
    nullable: true,
    description: 'The newest signed checkpoint',
  })
  checkpoint: CheckpointReferenceSchema | null;
}

export class InclusionProofSchema {
  @ApiProperty({ type: 'integer', minimum: 0 }) logIndex: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) treeSize: number;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ ...HASH, description: "The event's SHA-256 hash: the leaf's data" }) eventHash: string;
  @ApiProperty({ ...HASH, description: 'SHA-256(0x00 || event hash)' }) leafHash: string;
  @ApiProperty({ ...HASH, description: 'The root of the tree of treeSize' }) rootHash: string;
  @ApiProperty({ type: 'array', items: HASH, description: 'RFC 9162 inclusion proof, leaf to root' })
  proof: string[];
}

export class ConsistencyProofSchema {
  @ApiProperty({ type: 'integer', minimum: 1 }) from: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) to: number;
  @ApiProperty({ type: 'array', items: HASH, description: 'RFC 9162 consistency proof' }) proof: string[];
}

export class BundledEventSchema {
  @ApiProperty({ type: 'integer', minimum: 0 }) logIndex: number;
  @ApiProperty({ type: RecordedEventSchema }) event: RecordedEventSchema;
  @ApiProperty({ type: 'array', items: HASH }) inclusionProof: string[];
}

export class ProofBundleSchema {
  @ApiProperty({ enum: ['pledge-ledger-proof-bundle/v1'] }) format: string;
  @ApiProperty({ format: 'uuid' }) pledgeId: string;
  @ApiProperty() origin: string;
  @ApiProperty({ description: 'The C2SP signed checkpoint the proofs lead to' }) checkpoint: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) treeSize: number;
  @ApiProperty({ type: [BundledEventSchema] }) events: BundledEventSchema[];
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: "The pledge's events recorded but not yet in that checkpoint",
  })
  pendingEvents: number;
}

export class CosignatureAcceptedSchema {
  @ApiProperty({ type: [String] }) accepted: string[];
  @ApiProperty({ type: 'integer', minimum: 0 }) treeSize: number;
}
