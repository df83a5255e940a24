import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits: a fast hash is enough to store it (no dictionary to guess from), unlike a password. */
export function generateApiKey(): string {
  return `plk_${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export type Credential = { key: string } | { missing: true } | { refused: string };

/**
 * Reads `Authorization: Bearer <key>` or `X-Api-Key: <key>`. Exactly one credential: a malformed
 * Authorization header, or both headers at once, is refused rather than guessed at.
 */
export function apiKeyFromHeaders(headers: Record<string, string | string[] | undefined>): Credential {
  const authorization = headers.authorization;
  const apiKey = headers['x-api-key'];
  if (authorization !== undefined && apiKey !== undefined)
    return { refused: 'send one credential: Authorization or X-Api-Key, not both' };
  if (authorization !== undefined) {
    const match =
      typeof authorization === 'string' ? /^Bearer ([\x21-\x7e]+)$/i.exec(authorization.trim()) : null;
    return match ? { key: match[1] } : { refused: 'malformed: expected "Bearer <api key>"' };
  }
  if (apiKey !== undefined) {
    const value = typeof apiKey === 'string' ? apiKey.trim() : '';
    return /^[\x21-\x7e]+$/.test(value) ? { key: value } : { refused: 'malformed X-Api-Key' };
  }
  return { missing: true };
}
