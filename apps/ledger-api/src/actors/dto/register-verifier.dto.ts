import { IsString, Length } from 'class-validator';

export class RegisterVerifierDto {
  /** Public name of the verifier (a watchdog, auditor or UN body), e.g. "Gender Caucus Monitoring Group". */
  @IsString()
  @Length(2, 200)
  name: string;
}
