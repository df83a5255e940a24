import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { appendFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSse } from './sse-client';

/** Where every test file appends how many answers it checked; the test command prints the sum. */
export const CONTRACT_TALLY_FILE = resolve(__dirname, '../../.infra/contract-responses.ndjson');

// The OpenAPI document as the tests read it: loosely typed JSON, checked by what follows.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface ObservedResponse {
  method: string;
  /** The path as requested, query included. */
  url: string;
  status: number;
  headers: Headers;
  /** Parsed JSON when the body was JSON, else its text. */
  body: unknown;
}

interface Operation {
  template: string;
  pattern: RegExp;
  literalSegments: number;
  operation: Json;
}

/** `#/components/...` as a reference into the document registered under DOCUMENT_ID. */
const DOCUMENT_ID = 'openapi.json';

function rebase(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) =>
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? [key, `${DOCUMENT_ID}${value}`]
        : [key, rebase(value)],
    ),
  );
}

/** A header value as its schema types it (headers travel as text). */
function headerValue(value: string, schema: Json): unknown {
  return schema?.type === 'integer' || schema?.type === 'number' ? Number(value) : value;
}

/**
 * The ledger API's OpenAPI document used as a contract: every answer must be documented for its operation
 * and status, with a documented content type, the required headers, and a body its schema accepts.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly operations: Operation[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly document: Json) {
    addFormats(this.ajv);
    // OpenAPI 3.0 words the JSON Schema keywords do not know: `nullable` is honoured by Ajv, `example` ignored.
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: rebase(document.components ?? {}) });
    this.operations = Object.entries(document.paths as Record<string, Json>).flatMap(([template, item]) =>
      Object.entries(item)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, operation]) => ({
          template: `${method.toUpperCase()} ${template}`,
          pattern: new RegExp(
            `^${method.toUpperCase()} ${template.replace(/\{[^}]+\}/g, '[^/]+').replace(/\//g, '\\/')}$`,
          ),
          literalSegments: template.split('/').filter((s) => s && !s.startsWith('{')).length,
          operation,
        })),
    );
  }

  static async of(baseUrl: string): Promise<OpenApiContract> {
    const response = await fetch(`${baseUrl}/docs/openapi.json`);
    if (response.status !== 200) throw new Error(`GET /docs/openapi.json answered ${response.status}`);
    return new OpenApiContract(await response.json());
  }

  /** The documented operation a request is for: the most specific path that matches (literals win). */
  operationFor(method: string, url: string): Operation | undefined {
    const key = `${method.toUpperCase()} ${url.split('?')[0]}`;
    return this.operations
      .filter((op) => op.pattern.test(key))
      .sort((a, b) => b.literalSegments - a.literalSegments)[0];
  }

  /** What is wrong with an answer ([] when it conforms); undefined when it is not for a documented operation. */
  violations(observed: ObservedResponse): string[] | undefined {
    const found = this.operationFor(observed.method, observed.url);
    if (!found) return undefined;
    const where = `${found.template} → ${observed.status}`;
    const documented = found.operation.responses?.[String(observed.status)];
    if (!documented) {
      return [
        `${where}: status not documented (documented: ${Object.keys(found.operation.responses ?? {}).join(', ')})`,
      ];
    }
    const problems: string[] = [];
    for (const [name, header] of Object.entries<Json>(documented.headers ?? {})) {
      const value = observed.headers.get(name);
      if (value === null) {
        if (header.required) problems.push(`${where}: required header ${name} missing`);
        continue;
      }
      if (header.schema) {
        const check = this.validator(`${where} header ${name}`, header.schema);
        if (!check(headerValue(value, header.schema)))
          problems.push(`${where}: header ${name}: ${value}: ${this.ajv.errorsText(check.errors)}`);
      }
    }
    const content = documented.content as Record<string, Json> | undefined;
    const type = observed.headers.get('content-type')?.split(';')[0].trim();
    if (!content) {
      if (observed.body !== undefined && observed.body !== '')
        problems.push(`${where}: a body where none is documented`);
      return problems;
    }
    if (!type || !content[type]) {
      problems.push(`${where}: content type ${type} not documented (${Object.keys(content).join(', ')})`);
      return problems;
    }
    const schema = content[type].schema;
    if (schema && type === 'text/event-stream') {
      // The schema is one event's (OpenAPI 3.0 has no itemSchema), as schemathesis reads it: each block
      // with data, parsed into {id, event, data, retry}; blocks without data are not events.
      const check = this.validator(`${where} ${type}`, schema);
      const text = typeof observed.body === 'string' ? observed.body : '';
      for (const [i, block] of parseSse(`${text}\n\n`).blocks.entries()) {
        if (block.data === undefined) continue;
        const { comments: _comments, ...event } = block;
        if (!check(event))
          problems.push(
            `${where}: event #${i} does not match its schema: ${this.ajv.errorsText(check.errors)}`,
          );
      }
    } else if (schema) {
      const check = this.validator(`${where} ${type}`, schema);
      if (!check(observed.body)) {
        const errors = (check.errors ?? [])
          .slice(0, 5)
          .map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
        problems.push(`${where}: body does not match its schema: ${errors.join('; ')}`);
      }
    }
    return problems;
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let check = this.validators.get(key);
    if (!check) {
      check = this.ajv.compile(rebase(schema));
      this.validators.set(key, check);
    }
    return check;
  }
}

/**
 * Collects the answers a test file receives from one API and checks each against the API's own document.
 * `verify()` (after the file's tests) fails with every violation found, and notes the counts for the summary.
 */
export class ContractRecorder {
  private contract?: Promise<OpenApiContract>;
  private readonly violations: string[] = [];
  private pending: Promise<void>[] = [];
  validated = 0;
  notAnOperation = 0;

  constructor(private readonly baseUrl: () => string) {}

  /**
   * One request to the API with an optional JSON body and bearer key, its answer observed: the body parsed when
   * it is JSON, else the text. What the end-to-end tests call their `http`.
   */
  async request(method: string, path: string, body?: unknown, key?: string) {
    const response = await fetch(`${this.baseUrl()}${path}`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    const parsed = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    this.observe({ method, url: path, status: response.status, headers: response.headers, body: parsed });
    return { status: response.status, body: parsed };
  }

  observe(observed: ObservedResponse): void {
    if (observed.method.toUpperCase() === 'HEAD') return;
    this.contract ??= OpenApiContract.of(this.baseUrl());
    this.pending.push(
      this.contract
        .then((contract) => {
          const found = contract.violations(observed);
          if (found === undefined) this.notAnOperation += 1;
          else {
            this.validated += 1;
            this.violations.push(...found);
          }
        })
        .catch((error: Error) => {
          this.violations.push(`${observed.method} ${observed.url}: could not check: ${error.message}`);
        }),
    );
  }

  async verify(): Promise<void> {
    await Promise.all(this.pending);
    this.pending = [];
    if (this.validated + this.notAnOperation > 0) {
      mkdirSync(resolve(CONTRACT_TALLY_FILE, '..'), { recursive: true });
      appendFileSync(
        CONTRACT_TALLY_FILE,
        `${JSON.stringify({
          file: expect.getState().testPath,
          validated: this.validated,
          notAnOperation: this.notAnOperation,
          violations: this.violations.length,
        })}\n`,
      );
    }
    if (this.violations.length > 0) {
      const unique = [...new Set(this.violations)];
      throw new Error(
        `${this.violations.length} answer(s) do not match the OpenAPI document:\n  ${unique.join('\n  ')}`,
      );
    }
  }
}
