import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiParam,
  ApiResponse,
  ApiSecurity,
  getSchemaPath,
} from '@nestjs/swagger';
import { HeadersObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PROBLEM_CONTENT_TYPE } from '../problem';
import { ProblemSchema } from '../problem/problem.schema';

/** Names of the security schemes ledger-openapi.ts declares: one API key, sent either way (not both). */
export const BEARER_SCHEME = 'bearer';
export const API_KEY_SCHEME = 'api-key';

const WHY: Record<number, string> = {
  400: 'The request is not valid (each bad field named in invalid-params)',
  401: 'No API key, a malformed one, both credential headers at once, or an unknown or revoked key',
  403: "The API key's role may not do this, or the pledge belongs to another organisation",
  404: 'Not found',
  408: 'The request body did not arrive in time; nothing was done',
  409: 'Conflict with the pledge as recorded (If-Match, a closed pledge, a duplicate) or the same Idempotency-Key is still in progress (Retry-After)',
  413: 'The request body is larger than the limit',
  414: 'A path segment is longer than the server reads',
  415: 'The body is not application/json',
  422: 'The request is well-formed but breaks a rule of the ledger',
  503: 'The database is not answering, the server is at its limit of requests in progress, or the request ran out of time; nothing was recorded. Retry after Retry-After seconds',
};

export const RETRY_AFTER: HeadersObject = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } },
};

/** Error answers of an operation: each a problem+json body. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemSchema),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: WHY[status],
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemSchema) } } },
        ...(status === 503 || status === 409
          ? { headers: { 'Retry-After': { ...RETRY_AFTER['Retry-After'], required: status === 503 } } }
          : {}),
      }),
    ),
  );
}

/** What any read can answer besides its success: an unreachable database or a spent deadline. */
export const ApiReadProblems = (...statuses: number[]) => ApiProblems(...statuses, 503);

/** An operation that needs an API key: `Authorization: Bearer <key>` or `X-Api-Key: <key>`, never both. */
export function ApiKeyRequired() {
  return applyDecorators(ApiBearerAuth(BEARER_SCHEME), ApiSecurity(API_KEY_SCHEME));
}

/** What any write can answer besides its success and its own rules. */
export const ApiWriteProblems = (...statuses: number[]) =>
  applyDecorators(ApiKeyRequired(), ApiProblems(400, 401, 403, 408, 413, 415, ...statuses, 503));

/** A pledge id: a version 4 UUID (anything else is 400 before any lookup). */
export const pledgeIdSchema = {
  type: 'string' as const,
  format: 'uuid',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$',
};

/** The {pledgeId} path parameter. */
export const ApiPledgeIdParam = () =>
  applyDecorators(
    ApiPathProblems(),
    ApiParam({ name: 'pledgeId', schema: pledgeIdSchema, description: 'The pledge id (a version 4 UUID)' }),
  );

/** What any operation with a path parameter can answer before it runs: the parameter is too long to read. */
export const ApiPathProblems = () => ApiProblems(414);

/** A pledge version in a query: 1, 2, ... */
export const versionSchema = { type: 'integer' as const, minimum: 1, maximum: 999_999_999 };
