import { FastifyInstance } from 'fastify';
import { ProblemException } from './problem';

/** Deeper than any ledger request needs (a pledge's terms are four levels deep). */
export const MAX_JSON_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** In a `u` regex a surrogate pair is one code point: what matches here is a lone surrogate. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function invalid(code: string, title: string, name: string, reason: string): ProblemException {
  return new ProblemException(400, code, title, `${name}: ${reason}`, {
    'invalid-params': [{ name, reason }],
  });
}

/**
 * Checks the text before JSON.parse sees it, in one pass without recursion: nesting depth, and no key twice
 * in one object (JSON.parse would silently keep the last). Strings are skipped over, escapes included. The
 * import reads each line of a JSON Lines file with it too. Throws a ProblemException naming the key.
 */
export function scan(text: string): void {
  const keys: (Set<string> | null)[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const frame = keys[keys.length - 1];
      // A string directly followed by ':' inside an object is a key.
      let next = end + 1;
      while (next < text.length && /\s/.test(text[next])) next++;
      if (frame && text[next] === ':') {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          return; // malformed: JSON.parse reports it
        }
        if (frame.has(key))
          throw invalid(
            'duplicate-key',
            'A key appears twice',
            key,
            'this key appears more than once in the same object',
          );
        frame.add(key);
      }
      i = end;
    } else if (c === '{' || c === '[') {
      depth += 1;
      if (depth > MAX_JSON_DEPTH)
        throw invalid(
          'too-deep',
          'The request is nested too deeply',
          '/',
          `nested more than ${MAX_JSON_DEPTH} levels deep`,
        );
      keys.push(c === '{' ? new Set() : null);
    } else if (c === '}' || c === ']') {
      depth -= 1;
      keys.pop();
    }
  }
}

/**
 * What the event store could not keep as sent, or a document database could not store: strings that are not
 * well-formed Unicode (a lone surrogate is stored as U+FFFD, which would break the event's hash), the NUL
 * character, numbers out of range, keys that start with `$`, contain `.` or name an object's prototype.
 * Walks the parsed value without recursion (its depth is bounded by the scan).
 */
function checkValues(value: unknown): void {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current))
        throw invalid('invalid-text', 'Text is not valid Unicode', path || '/', 'contains a lone surrogate');
      if (current.includes('\u0000'))
        throw invalid('invalid-text', 'Text contains a NUL character', path || '/', 'contains U+0000');
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current))
        throw invalid('invalid-number', 'A number is out of range', path || '/', 'is not a finite number');
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => stack.push({ value: item, path: `${path}/${index}` }));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        const at = `${path}/${key}`;
        if (key.startsWith('$') || key.includes('.') || key === '__proto__' || key === 'constructor')
          throw invalid(
            'invalid-key',
            'A key is not allowed',
            at,
            'keys may not start with $, contain . or name a prototype',
          );
        if (LONE_SURROGATE.test(key) || key.includes('\u0000'))
          throw invalid('invalid-key', 'A key is not valid text', at, 'not well-formed Unicode');
        stack.push({ value: item, path: at });
      }
    }
  }
}

/**
 * The API's only body parser: JSON, UTF-8, checked before any handler or validator sees it. Every other
 * media type (form bodies, text, XML) gets 415.
 */
export function useStrictJsonBodies(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    /^application\/(?:[a-z0-9.+-]*\+)?json(?:\s*;|$)/i,
    { parseAs: 'buffer' },
    (_request, body: Buffer, done) => {
      try {
        if (body.length === 0) return done(null, undefined);
        let text: string;
        try {
          text = utf8.decode(body);
        } catch {
          throw invalid(
            'invalid-text',
            'The body is not UTF-8',
            '/',
            'contains bytes that are not valid UTF-8',
          );
        }
        scan(text);
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (error) {
          throw new ProblemException(400, 'invalid-json', 'Malformed JSON', (error as Error).message);
        }
        // Every body the API takes is an object: `null`, an array or a bare value is not an empty one.
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
          throw invalid('invalid-body', 'The body is not a JSON object', '/', 'must be a JSON object');
        checkValues(parsed);
        done(null, parsed);
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
}
