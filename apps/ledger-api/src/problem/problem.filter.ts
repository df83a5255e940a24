import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { loggableUrl } from '@ledger/config';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { toProblem } from './to-problem';

/** Sends every error as application/problem+json (RFC 7807). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    if (error instanceof HttpException && request.url.split('?')[0] === '/health') {
      // A failed health check keeps terminus's own body (status, info, error, details): monitors read it.
      void reply.status(error.getStatus()).header('retry-after', '1').send(error.getResponse());
      return;
    }
    const problem = { ...toProblem(error), instance: request.url.split('?')[0] };
    if (problem.status >= 500) {
      this.logger.error({ err: error, url: loggableUrl(request.url) }, 'request failed');
    }
    // Every 503 is passing (a deadline, an overloaded or unreachable database): say when to try again.
    if (problem.status === 503 || problem.code === 'request-in-progress')
      void reply.header('retry-after', '1');
    if (reply.sent) return; // the deadline answered already; this is the late end of its work
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }
}
