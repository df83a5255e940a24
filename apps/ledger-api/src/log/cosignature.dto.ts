import { IsString, MaxLength } from 'class-validator';

/** A checkpoint note as the log signed it, with the witness's cosignature line(s) added. */
export class CosignatureSubmissionDto {
  /** The cosigned checkpoint note (C2SP signed note) */
  @IsString()
  @MaxLength(16_384)
  note: string;
}
