import Fastify from 'fastify';
import { RouteMethods } from './route-methods';

describe('RouteMethods', () => {
  it('names the methods of the route a path belongs to, HEAD with GET; none for a path no route serves', async () => {
    const fastify = Fastify();
    const routes = new RouteMethods(fastify);
    const ok = async () => 'ok';
    fastify.get('/pledges', ok);
    fastify.post('/pledges', ok);
    fastify.get('/pledges/:pledgeId', ok);
    fastify.post('/pledges/:pledgeId/progress', ok);
    await fastify.ready();
    expect(routes.allowed('/pledges')).toEqual(['GET', 'HEAD', 'POST']);
    expect(routes.allowed('/pledges/3f0c1e9a')).toEqual(['GET', 'HEAD']);
    expect(routes.allowed('/pledges/3f0c1e9a/progress')).toEqual(['POST']);
    expect(routes.allowed('/nowhere')).toBeUndefined();
    await fastify.close();
  });
});
