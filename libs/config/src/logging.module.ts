import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { LedgerConfig } from './ledger-config';
import { LedgerConfigModule } from './config.module';

/**
 * A URL as it may be logged: the path, and the names of query parameters without their values (a client may
 * put a credential in the query string, e.g. `?apiKey=…`: refused, and never written down).
 */
export function loggableUrl(url: string | undefined): string {
  if (!url) return '';
  const cut = url.indexOf('?');
  if (cut < 0) return url.slice(0, 2000);
  const names = url
    .slice(cut + 1)
    .split('&')
    .map((pair) => pair.split('=')[0].slice(0, 100));
  return `${url.slice(0, Math.min(cut, 2000))}?${names.map((name) => `${name}=[redacted]`).join('&')}`;
}

/**
 * Structured JSON logs (pino). Credentials never reach a log line: a request is logged as its id, method,
 * path and query parameter names only (no header, no query value, no body), and errors are logged with
 * the same URL form. Tested by test/hostile-input.int-spec.ts, which greps the log for the keys it sent.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      imports: [LedgerConfigModule],
      inject: [LedgerConfig],
      useFactory: (config: LedgerConfig) => ({
        pinoHttp: {
          level: config.LOG_LEVEL,
          serializers: {
            req: (req: { id?: unknown; method?: string; url?: string }) => ({
              id: req.id,
              method: req.method,
              url: loggableUrl(req.url),
            }),
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
