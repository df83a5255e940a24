import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyReply } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemType } from '../problem';

/**
 * Where the built dashboard is (apps/dashboard, `npm run build`): DASHBOARD_DIR, else beside the API's own build
 * (dist/apps/dashboard next to dist/apps/ledger-api), else under the working directory.
 */
export function dashboardDir(): string | null {
  const candidates = [
    process.env.DASHBOARD_DIR,
    join(__dirname, '..', 'dashboard'),
    resolve(process.cwd(), 'dist/apps/dashboard'),
  ].filter((dir): dir is string => !!dir);
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/**
 * The page's security policy: its own scripts only (no inline script, no eval), data from this origin only,
 * never framed. Inline style attributes are allowed: the charting library positions its tooltips with them.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the public dashboard under `/` (index.html and its hashed assets), as plain Fastify routes registered
 * for the files that exist (wildcard: false), so every API route and the API's 404 problem answers stay as they
 * are. Assets are precompressed at build time (gzip and brotli) and cached for good (their names carry their
 * hash); index.html is revalidated every time, so a new build is picked up at once.
 */
export async function serveDashboard(app: NestFastifyApplication): Promise<string | null> {
  const root = dashboardDir();
  if (!root) {
    app
      .getHttpAdapter()
      .getInstance()
      .get('/', (_request: unknown, reply: FastifyReply) =>
        reply
          .code(404)
          .header('content-type', PROBLEM_CONTENT_TYPE)
          .send({
            type: problemType('dashboard-not-built'),
            title: 'Not found',
            status: 404,
            detail: 'The dashboard is not built: run `npm run build` (or `npm start`), then restart the API.',
            code: 'dashboard-not-built',
          }),
      );
    return null;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    preCompressed: true,
    cacheControl: false,
    setHeaders: (res, path) => {
      res.header('content-security-policy', DASHBOARD_CSP);
      res.header('x-content-type-options', 'nosniff');
      res.header('referrer-policy', 'no-referrer');
      res.header(
        'cache-control',
        /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  return root;
}
