import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { LedgerConfig, validateLedgerConfig } from './ledger-config';

/**
 * @nestjs/config validates the environment at boot (a bad value stops start-up naming it);
 * everything else injects the typed LedgerConfig rather than reading strings from ConfigService.
 */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      ignoreEnvFile: true,
      validate: validateLedgerConfig,
    }),
  ],
  providers: [{ provide: LedgerConfig, useFactory: () => validateLedgerConfig(process.env) }],
  exports: [LedgerConfig],
})
export class LedgerConfigModule {}
