import { Type } from '@sinclair/typebox';
import { HealthResponse, Routes } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from './context.js';
import { typed } from './schemas.js';

/** /healthz, /metrics and /openapi.json: for load balancers, Prometheus and API clients. */
export async function opsRoutes(app: FastifyInstance, { store, metrics }: RouteContext): Promise<void> {
  const api = typed(app);
  api.get(
    Routes.health,
    { schema: { hide: true, response: { 200: HealthResponse, 503: HealthResponse } } },
    async (_request, reply) => {
      try {
        await store.ping();
        return { status: 'ok' as const };
      } catch {
        return reply.code(503).send({ status: 'unavailable' });
      }
    },
  );
  // Prometheus' text format: a string, which Fastify sends as it is.
  api.get(Routes.metrics, { schema: { hide: true, response: { 200: Type.String() } } }, async (_request, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  // The document is the swagger plugin's, whatever it holds; no schema here would know more than it does.
  api.get(
    Routes.openapi,
    { schema: { hide: true, response: { 200: Type.Object({}, { additionalProperties: true }) } } },
    async () => app.swagger(),
  );
}
