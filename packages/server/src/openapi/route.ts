import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import type { Binding } from '../http/bind.ts';
import type { RouteRecord } from '../http/route-table.ts';
import { buildOpenApi } from './document.ts';

export const openApiPath = '/api/openapi.json';

/**
 * GET /api/openapi.json: public API documentation, so guests may read it, except on a private
 * site, where Gate A (http/gates.ts) asks them to sign in as for every /api route it does not open.
 * Built at the first request, when the route table is complete, then kept: routes do not change
 * while an app runs.
 */
export function registerOpenApiRoute(fastify: FastifyInstance, app: AppContext, routes: readonly RouteRecord[], bindings: readonly Binding[]): void {
  let text: string | undefined;
  fastify.get(openApiPath, async (_request, reply) => {
    text ??= JSON.stringify(buildOpenApi({ routes, registry: app.registry, bindings, version: app.config.version }));
    return reply.type('application/json; charset=utf-8').send(text);
  });
}
