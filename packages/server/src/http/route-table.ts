import type { FastifyInstance } from 'fastify';

/** One registered route: one entry per method of a multi-method route (`/ping` is ANY). */
export interface RouteRecord {
  method: string;
  /** the pattern as registered, e.g. `/api/admin/client/:uuid` */
  url: string;
  /** whether the route accepts a WebSocket upgrade */
  websocket: boolean;
}

/**
 * Records every route registered after this call. The table is what the authorisation matrix
 * (test/authz-matrix.test.ts) enumerates, so a new route cannot slip past it undeclared; it
 * changes nothing about how requests are served.
 */
export function recordRoutes(fastify: FastifyInstance): readonly RouteRecord[] {
  const routes: RouteRecord[] = [];
  fastify.addHook('onRoute', (route) => {
    const websocket = Boolean(route.wsHandler || route.websocket);
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, websocket });
  });
  return routes;
}
