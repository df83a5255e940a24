import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { LedgerConfig } from './ledger-config';
import { LedgerConfigModule } from './config.module';

/**
 * Structured JSON logs (pino). Credentials never reach a log line: the auth headers are redacted and
 * request bodies are not logged.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      imports: [LedgerConfigModule],
      inject: [LedgerConfig],
      useFactory: (config: LedgerConfig) => ({
        pinoHttp: {
          level: config.LOG_LEVEL,
          redact: {
            paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
            remove: true,
          },
          genReqId: (req: IncomingMessage) => {
            const given = req.headers['x-correlation-id'];
            return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,100}$/.test(given) ? given : randomUUID();
          },
          autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
        },
      }),
    }),
  ],
})
export class LedgerLoggingModule {}
