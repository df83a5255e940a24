import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { Logger } from 'nestjs-pino';
import { LedgerConfig } from './ledger-config';
import { installRequestDeadlines, sendProblem } from './request-deadline';

/**
 * Creates a Nest app on Fastify with the ledger's conventions: JSON logs, a body size limit, graceful
 * shutdown on SIGTERM/SIGINT (consumers, producers and connections close through Nest's shutdown hooks).
 */
export async function createLedgerHttpApp(
  rootModule: Type<unknown>,
  options: { bodyParser?: boolean; uploadTimeoutMs?: number } = {},
): Promise<NestFastifyApplication> {
  const bodyLimit = Number(process.env.BODY_LIMIT_BYTES ?? 64 * 1024);
  const requestTimeout = Math.max(
    Number(process.env.REQUEST_TIMEOUT_MS ?? 10_000),
    // Node's own timeout covers a whole upload; an import's may take longer than any other request. Every
    // other body is still held to REQUEST_TIMEOUT_MS by the request deadlines (408).
    options.uploadTimeoutMs ?? 0,
  );
  const app = await NestFactory.create<NestFastifyApplication>(
    rootModule,
    new FastifyAdapter({
      bodyLimit: Number.isFinite(bodyLimit) ? bodyLimit : 64 * 1024,
      // A request (headers and body) must arrive within the deadline too.
      requestTimeout: Number.isFinite(requestTimeout) ? requestTimeout : 10_000,
      trustProxy: false,
      // Shutdown must not wait on idle keep-alive sockets.
      forceCloseConnections: true,
      // What Fastify refuses before any route (a path parameter too long to read, a malformed URL) as problem+json.
      frameworkErrors: (error: { code?: string }, _request: unknown, reply: FastifyReply) => {
        const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
        sendProblem(
          reply,
          tooLong ? 414 : 400,
          tooLong ? 'uri-too-long' : 'malformed-request',
          tooLong ? 'A path segment is too long' : 'Malformed request',
          tooLong ? 'A path segment is longer than the server reads.' : 'The request URL could not be read.',
        );
      },
      // Errors before any route (oversized headers: 431, garbled requests: 400) as problem+json too.
      clientErrorHandler: (error, socket) => {
        const status = (error as { code?: string }).code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
        const title = status === 431 ? 'Request headers too large' : 'Malformed request';
        const body = JSON.stringify({
          type: `https://pledge-ledger.org/problems/${status === 431 ? 'headers-too-large' : 'malformed-request'}`,
          title,
          status,
          code: status === 431 ? 'headers-too-large' : 'malformed-request',
          detail:
            status === 431
              ? 'The request line and headers exceed the server limit.'
              : 'The request could not be read as HTTP.',
        });
        if (socket.writable)
          socket.end(
            `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
          );
        else socket.destroy();
      },
    }),
    // bodyParser false: the app registers its own (the API's strict JSON parser) instead of Nest's.
    { bufferLogs: true, bodyParser: options.bodyParser ?? true },
  );
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const config = app.get(LedgerConfig);
  installRequestDeadlines(app, {
    timeoutMs: config.REQUEST_TIMEOUT_MS,
    maxInFlight: config.MAX_IN_FLIGHT_REQUESTS,
    exempt: (path) => path === '/health',
  });
  return app;
}

export async function listen(app: INestApplication, name: string): Promise<string> {
  const config = app.get(LedgerConfig);
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  const url = await app.getUrl();
  app.get(Logger).log(`${name} listening on ${url}`);
  return url.replace('[::1]', '127.0.0.1');
}
