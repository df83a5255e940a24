import type { FastifyInstance } from 'fastify';

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * The methods each registered route answers, learnt as routes are registered: a path the app serves, asked
 * with a method it does not answer there, is a 405 whose Allow names that path's methods (RFC 9110 §15.5.6).
 */
export class RouteMethods {
  private readonly routes: { pattern: RegExp; methods: Set<string> }[] = [];

  constructor(fastify: FastifyInstance) {
    fastify.addHook('onRoute', (route) => this.add(route.url, [route.method].flat()));
  }

  add(url: string, methods: string[]): void {
    const pattern = new RegExp(
      `^${url
        .split('/')
        .map((segment) =>
          segment.startsWith(':')
            ? '[^/]+'
            : segment === '*'
              ? '.*'
              : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('/')}/?$`,
    );
    const known = this.routes.find((route) => route.pattern.source === pattern.source);
    const entry = known ?? { pattern, methods: new Set<string>() };
    for (const method of methods) entry.methods.add(method.toUpperCase());
    if (entry.methods.has('GET')) entry.methods.add('HEAD');
    if (!known) this.routes.push(entry);
  }

  /** The methods that answer `path` (without its query), in the usual order; undefined when no route serves it. */
  allowed(path: string): string[] | undefined {
    const methods = new Set(this.routes.filter((r) => r.pattern.test(path)).flatMap((r) => [...r.methods]));
    return methods.size > 0 ? ORDER.filter((m) => methods.has(m)) : undefined;
  }
}
