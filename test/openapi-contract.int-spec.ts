import { LedgerApiHarness } from './support/ledger-api.harness';
import { OpenApiContract } from './support/openapi-contract';

/** The checker the e2e tests use: it must refuse what the document does not say, not just pass everything. */
describe('OpenAPI contract checker', () => {
  const harness = new LedgerApiHarness();
  let contract: OpenApiContract;
  const json = (extra: Record<string, string> = {}) =>
    new Headers({ 'content-type': 'application/json; charset=utf-8', ...extra });
  const problem = new Headers({ 'content-type': 'application/problem+json' });
  const pledgeId = '3f0c1e9a-6f43-4c61-9a55-0f6f7c9d2b11';

  beforeAll(async () => {
    await harness.start();
    contract = await OpenApiContract.of(harness.url);
  });
  afterAll(() => harness.stop());

  it('finds the operation by its path template, literal segments first', () => {
    expect(contract.operationFor('GET', `/pledges/${pledgeId}?x=1`)?.template).toBe(
      'GET /pledges/{pledgeId}',
    );
    expect(contract.operationFor('GET', '/actors/organisations')?.template).toBe('GET /actors/organisations');
    expect(contract.operationFor('TRACE', '/pledges')).toBeUndefined();
  });

  it('accepts a documented answer', () => {
    const body = { type: 'https://pledge-ledger.org/problems/x', title: 'T', status: 404, detail: 'd' };
    expect(
      contract.violations({
        method: 'GET',
        url: `/pledges/${pledgeId}`,
        status: 404,
        headers: problem,
        body,
      }),
    ).toEqual([]);
  });

  it('refuses an undocumented status, a wrong content type, a missing required header, a body off its schema', () => {
    const check = (
      status: number,
      headers: Headers,
      body: unknown,
      method = 'GET',
      url = `/pledges/${pledgeId}`,
    ) => contract.violations({ method, url, status, headers, body })!.join('\n');
    expect(check(418, problem, {})).toMatch(/status not documented/);
    expect(check(404, json(), { type: 'x', title: 'T', status: 404, detail: 'd' })).toMatch(/content type/);
    expect(check(200, json(), {})).toMatch(/required header ETag missing/);
    expect(check(200, json({ etag: '"1"' }), { pledgeId: 7 })).toMatch(/body does not match/);
    expect(check(503, problem, { type: 'x', title: 'T', status: 503, detail: 'd' })).toMatch(
      /Retry-After missing/,
    );
  });
});
