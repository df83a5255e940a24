import { apiKeyFromHeaders, generateApiKey, hashApiKey, sameHash } from './api-key';

describe('API keys', () => {
  it('are random, and only their hash is needed to recognise them', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^plk_[A-Za-z0-9_-]{43}$/);
    expect(hashApiKey(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(a)).not.toContain(a.slice(4));
    expect(sameHash(hashApiKey(a), hashApiKey(a))).toBe(true);
    expect(sameHash(hashApiKey(a), hashApiKey(b))).toBe(false);
  });

  it('are read from a bearer token or the X-Api-Key header', () => {
    expect(apiKeyFromHeaders({ authorization: 'Bearer plk_x' })).toEqual({ key: 'plk_x' });
    expect(apiKeyFromHeaders({ 'x-api-key': 'plk_y' })).toEqual({ key: 'plk_y' });
    expect(apiKeyFromHeaders({})).toEqual({ missing: true });
  });

  it('refuses a malformed Authorization header, even beside a valid X-Api-Key, and two credentials at once', () => {
    expect(apiKeyFromHeaders({ authorization: 'Basic abc' })).toHaveProperty('refused');
    expect(apiKeyFromHeaders({ authorization: 'Bearer' })).toHaveProperty('refused');
    expect(apiKeyFromHeaders({ authorization: 'Bearer a b' })).toHaveProperty('refused');
    expect(apiKeyFromHeaders({ authorization: 'garbage', 'x-api-key': 'plk_y' })).toHaveProperty('refused');
    expect(apiKeyFromHeaders({ authorization: 'Bearer plk_x', 'x-api-key': 'plk_y' })).toHaveProperty(
      'refused',
    );
  });
});
