import { IsString, MaxLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';

/** The example a reader (and a fuzzer) sees: a real witness's note cannot be written down in advance. */
export const COSIGNED_NOTE_EXAMPLE = 'A checkpoint note of this log with a witness cosignature line';

/** A checkpoint note as the log signed it, with the witness's cosignature line(s) added. */
export class CosignatureSubmissionDto {
  /** The cosigned checkpoint note (C2SP signed note) */
  @ApiProperty({ example: COSIGNED_NOTE_EXAMPLE, maxLength: 16_384 })
  @IsString()
  @MaxLength(16_384)
  note: string;
}
