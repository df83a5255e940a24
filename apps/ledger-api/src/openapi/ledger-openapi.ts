import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { OperationObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PROBLEM_CONTENT_TYPE } from '../problem';
import { ProblemSchema } from '../problem/problem.schema';
import { API_KEY_SCHEME, BEARER_SCHEME } from './api-answers';

/**
 * The OpenAPI document: the API's contract, checked against every answer of the e2e tests and fuzzed by
 * schemathesis in the test command. Operations describe themselves with decorators; the one thing they
 * cannot say are done here, in one place: request bodies are exact (see `exactRequestBodies`), a pledge names
 * a country, a region or the world, and the bearer
 * scheme names no token format (DocumentBuilder.addBearerAuth always adds `bearerFormat: JWT`; ours is an opaque key).
 */
export function ledgerOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Pledge ledger')
      .setDescription(
        'Event-sourced ledger of public pledges to close the digital gender divide (WSIS+10). Writes need an API key, sent as `Authorization: Bearer <key>` or as `X-Api-Key: <key>` (one of them, not both); reads are public. Every error is an RFC 7807 problem (application/problem+json); 503 answers carry Retry-After.',
      )
      .setVersion('0.1.0')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          description: 'Authorization: Bearer <API key> (an opaque key, not a JWT)',
        },
        BEARER_SCHEME,
      )
      .addApiKey(
        { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'The same API key' },
        API_KEY_SCHEME,
      )
      .build(),
  );
  exactRequestBodies(document);
  headersTooLarge(document);
  // A rule across fields, which no property decorator can state: a pledge says where it applies.
  const terms = document.components?.schemas?.PledgeTermsDto as SchemaObject;
  terms.anyOf = [
    { required: ['countries'], properties: { countries: { minItems: 1 } } },
    { required: ['regions'], properties: { regions: { minItems: 1 } } },
    { required: ['global'], properties: { global: { enum: [true] } } },
  ];
  const bearer = document.components?.securitySchemes?.[BEARER_SCHEME] as { bearerFormat?: string };
  delete bearer.bearerFormat;
  return document;
}

/**
 * Any request whose request line and headers together pass Node's limit (16 KiB: a query string of that size,
 * say) is refused by the HTTP server before any route runs (http-app.ts answers it as problem+json), so every
 * operation can answer 431.
 */
function headersTooLarge(document: OpenAPIObject): void {
  for (const path of Object.values(document.paths))
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = path[method] as OperationObject | undefined;
      if (!operation) continue;
      operation.responses['431'] = {
        description:
          'The request line and headers together are larger than the server reads (16 KiB); nothing was done',
        content: {
          [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `#/components/schemas/${ProblemSchema.name}` } },
        },
      };
    }
}

/**
 * What the strict JSON parser refuses in any text (problem/json-body.ts): NUL. (It refuses lone surrogates
 * too, which a JSON Schema pattern cannot name portably; the description says so.)
 */
const PLAIN_TEXT = '^[^\\x00]*$';

function plainText(schema: SchemaObject | undefined): void {
  if (!schema) return;
  if (schema.type === 'string' && !schema.pattern && !schema.enum && !schema.format)
    schema.pattern = PLAIN_TEXT;
  if (schema.type === 'array') plainText(schema.items as SchemaObject);
}

/**
 * Request bodies are the `*Dto` classes, validated with unknown fields refused and defaults filled in: in the
 * document each is `additionalProperties: false`, a field with a default is not required, and free text says
 * which characters it may not hold.
 */
function exactRequestBodies(document: OpenAPIObject): void {
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {}) as [
    string,
    SchemaObject,
  ][]) {
    if (!name.endsWith('Dto')) continue;
    schema.additionalProperties = false;
    const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
    Object.values(properties).forEach(plainText);
    const required = (schema.required ?? []).filter((field) => properties[field]?.default === undefined);
    if (required.length > 0) schema.required = required;
    else delete schema.required;
  }
}
