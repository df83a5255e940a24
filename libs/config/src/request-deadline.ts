import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
  Type,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { RouteMethods } from './route-methods';
import { Observable, TimeoutError, catchError, throwError, timeout } from 'rxjs';
import { DeadlineExceededError, runWithDeadline } from '@ledger/database/operation-deadline';

const DEADLINE_MS = 'ledger:request-deadline-ms';

/** A route's own deadline instead of REQUEST_TIMEOUT_MS (health answers within 1 s; long audits get more). */
export const RequestDeadline = (ms: number) => SetMetadata(DEADLINE_MS, ms);

export interface RequestDeadlineOptions {
  /** Every request's deadline unless its route says otherwise. */
  timeoutMs: number;
  /** Requests in progress at once; past it a request is refused with 503 at once rather than queued. */
  maxInFlight: number;
  /** Paths never refused for load (health checks must answer whatever else is going on). */
  exempt: (path: string) => boolean;
}

const controllers = new WeakMap<IncomingMessage, AbortController>();
const bodyTimers = new WeakMap<IncomingMessage, NodeJS.Timeout>();
const inFlightSlots = new WeakMap<IncomingMessage, () => void>();

/**
 * A long-lived answer (a live event stream) stops counting as a request in progress once it has started: it
 * holds no database connection while it waits and has a limit of its own, so open streams never crowd out
 * the requests `maxInFlight` is there for. Its signal still fires when its client goes away.
 */
export function releaseInFlightSlot(request: IncomingMessage): void {
  inFlightSlots.get(request)?.();
}

/** Methods the ledger's HTTP apps answer; any other gets 405 with Allow, not a 404, on any path. */
const METHODS = ['GET', 'HEAD', 'POST'];

/**
 * A server-side deadline on every request. Each request gets an AbortSignal, carried through its handler
 * in async context (libs/database operation-deadline): database reads on its behalf pass it to the driver
 * and a write checks it before its commit point, so work for a client that gave up, or past the deadline,
 * stops and frees its connection. The signal fires when the deadline passes or the client disconnects; the
 * client then gets 503 `deadline-exceeded` with Retry-After. Requests beyond `maxInFlight` are refused at
 * once (503 `overloaded`), so slow requests cannot pile up and hold every database connection.
 */
/** Answers before any route runs, as problem+json like every other error of the ledger. */
export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  title: string,
  detail: string,
): void {
  void reply
    .status(status)
    .header('content-type', 'application/problem+json')
    .send({ type: `https://pledge-ledger.org/problems/${code}`, title, status, code, detail });
}

export function installRequestDeadlines(app: NestFastifyApplication, options: RequestDeadlineOptions): void {
  const fastify = app.getHttpAdapter().getInstance();
  const routeMethods = new RouteMethods(fastify);
  let inFlight = 0;
  fastify.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?')[0];
    // A path the app serves names its own methods; any other path may be asked GET, HEAD or POST (then 404).
    const allowed = routeMethods.allowed(path) ?? METHODS;
    if (!allowed.includes(request.method)) {
      sendProblem(
        reply.header('allow', allowed.join(', ')),
        405,
        'method-not-allowed',
        'Method not allowed',
        `${request.method} is not answered here; ${path} answers ${allowed.join(', ')}.`,
      );
      return;
    }
    if (!options.exempt(path) && inFlight >= options.maxInFlight) {
      sendProblem(
        reply.header('retry-after', '1'),
        503,
        'overloaded',
        'Too many requests in progress',
        `The server is working on ${inFlight} requests, its limit; nothing was done. Retry in a moment.`,
      );
      return;
    }
    inFlight += 1;
    const controller = new AbortController();
    controllers.set(request.raw, controller);
    let counted = true;
    const finish = () => {
      if (!counted) return;
      counted = false;
      inFlight -= 1;
    };
    // A body that has not arrived by the deadline (a slow or stalled client) is not waited for.
    const bodyTimer = setTimeout(() => {
      if (reply.sent) return;
      controller.abort(new DeadlineExceededError('the request body did not arrive in time'));
      sendProblem(
        reply.header('connection', 'close'),
        408,
        'request-timeout',
        'The request did not arrive in time',
        `The request body was not complete within ${options.timeoutMs} ms; nothing was done.`,
      );
      reply.raw.once('finish', () => request.raw.destroy());
    }, options.timeoutMs);
    bodyTimer.unref();
    bodyTimers.set(request.raw, bodyTimer);
    inFlightSlots.set(request.raw, finish);
    reply.raw.once('finish', finish);
    reply.raw.once('close', () => {
      finish();
      if (!reply.raw.writableFinished && !controller.signal.aborted)
        controller.abort(new DeadlineExceededError('the client closed the connection'));
    });
    done();
  });
  // After the body is parsed: from here on the handler (guards, pipes, interceptors) runs in the request's
  // async context. The body's stream callbacks would not carry a context set any earlier.
  fastify.addHook('preHandler', (request, _reply, done) => {
    clearTimeout(bodyTimers.get(request.raw));
    const controller = controllers.get(request.raw);
    if (!controller) return done();
    runWithDeadline(controller.signal, () => done());
  });
  app.useGlobalInterceptors(new RequestDeadlineInterceptor(app.get(Reflector), options.timeoutMs));
}

@Injectable()
export class RequestDeadlineInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly defaultMs: number,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<{ raw: IncomingMessage }>();
    const controller = controllers.get(request.raw);
    const ms =
      this.reflector.getAllAndOverride<number | undefined>(DEADLINE_MS, [
        context.getHandler(),
        context.getClass() as Type<unknown>,
      ]) ?? this.defaultMs;
    const timer = setTimeout(
      () => controller?.abort(new DeadlineExceededError(`no answer within the ${ms} ms deadline`)),
      ms,
    );
    timer.unref();
    return next.handle().pipe(
      timeout({ first: ms }),
      catchError((error: unknown) =>
        throwError(() =>
          error instanceof TimeoutError
            ? new DeadlineExceededError(`no answer within the ${ms} ms deadline`)
            : error,
        ),
      ),
      (source) =>
        new Observable((subscriber) => {
          const subscription = source.subscribe(subscriber);
          return () => {
            clearTimeout(timer);
            subscription.unsubscribe();
          };
        }),
    );
  }
}
