import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REPORT_DIMENSIONS } from '@ledger/domain';
import { LogBindingSchema } from '../log/log.responses';
import { PledgeSummarySchema } from '../pledges/pledge.responses';

// Read-model answers (lists, summaries, reports), for the OpenAPI document.

export class PartitionOffsetSchema {
  @ApiProperty({ type: 'integer' }) partition: number;
  @ApiProperty({ type: 'integer' }) offset: number;
  @ApiPropertyOptional({
    type: 'integer',
    description: 'The highest transparency-log position applied from this partition',
  })
  logIndex?: number;
}

/** The events an answer reflects at least. */
export class WatermarkSchema {
  @ApiProperty() generation: string;
  @ApiProperty({ type: [PartitionOffsetSchema] }) partitions: PartitionOffsetSchema[];
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) lastEventRecordedAt: string | null;
  @ApiProperty({ type: 'integer' }) eventsApplied: number;
  @ApiPropertyOptional({ type: 'integer' }) duplicatesIgnored?: number;
  @ApiPropertyOptional({ type: 'integer' }) gapsFilled?: number;
  @ApiPropertyOptional({ type: 'integer' }) eventsParked?: number;
}

export class ListedPledgeSchema extends PledgeSummarySchema {
  @ApiProperty({ format: 'date-time', description: 'The last event the summary reflects' })
  lastEventRecordedAt: string;
}

export class PledgeListSchema {
  @ApiProperty({ type: [ListedPledgeSchema] }) items: ListedPledgeSchema[];
  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as ?cursor= for the next page' })
  nextCursor: string | null;
  @ApiProperty({ type: WatermarkSchema }) watermark: WatermarkSchema;
  @ApiProperty({ type: LogBindingSchema }) log: LogBindingSchema;
  @ApiProperty({ format: 'date-time' }) computedAt: string;
}

export class StatusCountsSchema {
  @ApiProperty({ type: 'integer' }) active: number;
  @ApiProperty({ type: 'integer' }) lapsed: number;
  @ApiProperty({ type: 'integer' }) fulfilled: number;
  @ApiProperty({ type: 'integer' }) withdrawn: number;
}

export class CurrencyTotalSchema {
  @ApiProperty() currency: string;
  @ApiProperty() amount: number;
  @ApiProperty({ type: 'integer' }) pledges: number;
}

export class TargetTallySchema {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) reached: number;
  @ApiProperty({ type: 'integer' }) onTrack: number;
  @ApiProperty({ type: 'integer' }) offTrack: number;
  @ApiProperty({ type: 'integer' }) noProgress: number;
  @ApiProperty({ type: 'integer' }) overdue: number;
}

export class RecordedVerificationsSchema {
  @ApiProperty({ type: 'integer' }) confirmed: number;
  @ApiProperty({ type: 'integer' }) disputed: number;
}

/** Latest verification of each pledge as a whole; disputes of its reports too; every verification recorded. */
export class ReportVerificationSchema {
  @ApiProperty({ type: 'integer' }) confirmed: number;
  @ApiProperty({ type: 'integer' }) disputed: number;
  @ApiProperty({ type: 'integer' }) unverified: number;
  @ApiProperty({ type: 'integer' }) pledgesWithDisputes: number;
  @ApiProperty({ type: RecordedVerificationsSchema }) recorded: RecordedVerificationsSchema;
}

export class ReportGroupSchema {
  @ApiProperty() key: string;
  @ApiProperty() label: string;
  @ApiProperty({ type: 'integer' }) pledges: number;
  @ApiProperty({ type: StatusCountsSchema }) byStatus: StatusCountsSchema;
  @ApiProperty({ type: [CurrencyTotalSchema] }) financialCommitments: CurrencyTotalSchema[];
  @ApiProperty({ type: TargetTallySchema }) targets: TargetTallySchema;
  @ApiProperty({ type: 'integer' }) wateredDownPledges: number;
  @ApiProperty({
    type: 'integer',
    description:
      "Pledges whose submission came in through an import of earlier records (provenance 'imported'), whatever their status",
  })
  imported: number;
  @ApiProperty({ type: () => ReportVerificationSchema }) verification: ReportVerificationSchema;
}

export class AccountabilityReportSchema {
  @ApiProperty({ enum: REPORT_DIMENSIONS }) dimension: string;
  @ApiProperty({ type: [ReportGroupSchema] }) groups: ReportGroupSchema[];
  @ApiProperty({ type: ReportGroupSchema, description: "Key 'all': every pledge counted once" })
  totals: ReportGroupSchema;
  @ApiPropertyOptional() note?: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The filters applied',
  })
  filters: Record<string, string>;
  @ApiProperty({ format: 'date-time' }) computedAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'Until when it holds' })
  validUntil: string | null;
  @ApiProperty({ enum: ['snapshot', 'query'] }) source: string;
  @ApiProperty({ type: WatermarkSchema }) watermark: WatermarkSchema;
  @ApiProperty({ type: LogBindingSchema }) log: LogBindingSchema;
}
