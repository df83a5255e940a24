/** One bad field: where it is (JSON pointer into the request body or a header name) and what is wrong. */
export interface InvalidParam {
  name: string;
  reason: string;
  /** POST /imports: the row of the file. */
  row?: number;
}

/** RFC 7807 / RFC 9457 problem details, as sent with Content-Type application/problem+json. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code?: string;
  'invalid-params'?: InvalidParam[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://pledge-ledger.org/problems/';

export function problemType(code: string): string {
  return `${TYPE_BASE}${code}`;
}

/** An error that already knows its problem body; thrown by pipes, guards and services of the API. */
export class ProblemException extends Error {
  readonly problem: Problem;
  constructor(
    status: number,
    code: string,
    title: string,
    detail: string,
    extensions: Partial<Problem> = {},
  ) {
    super(detail);
    this.problem = { type: problemType(code), title, status, detail, code, ...extensions };
  }
}
