import { Routes } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from './context.js';

/** /healthz, /metrics and /openapi.json: for load balancers, Prometheus and API clients. */
export async function opsRoutes(app: FastifyInstance, { store, metrics }: RouteContext): Promise<void> {
  app.get(Routes.health, { schema: { hide: true } }, async (_request, reply) => {
    try {
      await store.ping();
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  app.get(Routes.metrics, { schema: { hide: true } }, async (_request, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get(Routes.openapi, { schema: { hide: true } }, async () => app.swagger());
}
