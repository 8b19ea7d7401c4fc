import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { agentInstallRoutes } from '../agent-install/paths.ts';
import type { AppContext } from '../app-context.ts';
import { isAdmin, refusal, type Caller } from '../rpc/caller.ts';
import { sendError } from './bind.ts';
import { applyCors, isApiPath } from './cors.ts';
import { hasValidApiKey } from './identity.ts';
import { resolveCaller } from './identity.ts';
import { originHostEqualsHost, originInList } from './origin-check.ts';
import { gatePath } from './route-path.ts';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
}

/** Paths a guest may reach on a private site (Gate A, public-api.md §1.4); prefix match. */
const privateSiteOpenPrefixes = [
  '/ping', '/api/public', '/api/login', '/api/me', '/api/oauth', '/api/version', '/api/recent', '/api/admin', '/api/clients/',
];

/**
 * Routes a guest may reach on a private site, matched by route rather than path prefix so nothing
 * else under them opens: the file preview's token is itself the capability (one path of one
 * node, minted by an admin who passed the files gate, for minutes), like a share link. The agent
 * install line's downloads are run by a new host, which has no session; they hold nothing of
 * the site (the installer, the agent and a Node runtime) and are bounded (agent-install/limits.ts).
 */
const privateSiteOpenRoutes = new Set(['/api/preview/client/:uuid/file/download', ...Object.values(agentInstallRoutes)]);

/** Whether a guest reaches `path` (a request's path, or a route's pattern) on a private site. */
export function openOnPrivateSite(path: string, routeUrl: string | undefined): boolean {
  return privateSiteOpenPrefixes.some((p) => path.startsWith(p)) || privateSiteOpenRoutes.has(routeUrl ?? '');
}

/**
 * The role gate a path falls under (a request's path, or a route's pattern): `/api/admin/*` is
 * for admins, `/api/clients/*` for agents (and admins) but registration, which checks its own key.
 */
export function gateOf(path: string): 'admin' | 'agent' | undefined {
  if (path === '/api/admin' || path.startsWith('/api/admin/')) return 'admin';
  if (path.startsWith('/api/clients/') && path !== '/api/clients/register') return 'agent';
  return undefined;
}

/** 401, or 503 "database is unavailable" for a session cookie the database could not check. */
function unauthorized(reply: FastifyReply, message: string, caller: Caller): void {
  void sendError(reply, refusal(caller, message));
}

/** WebSocket origin check (auth.md §10.3); agents pass with `?token=` and no Origin. */
function wsOriginAllowed(app: AppContext, request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  const token = (request.query as Record<string, unknown> | undefined)?.token;
  return (
    app.config.wsDisableOrigin ||
    hasValidApiKey(app, request) ||
    (!origin && typeof token === 'string' && token !== '') ||
    !app.settings.get('ws_origin_check_enabled') ||
    (!!origin && originHostEqualsHost(origin, request.headers.host)) ||
    (!!origin && originInList(origin, app.settings.get('ws_allowed_origins')))
  );
}

/**
 * The middleware chain of public-api.md §1.1, in order: CORS, identity, private-site gate,
 * `Cache-Control: no-store` on `/api`, then role gates for `/api/admin` and agent routes.
 */
export function registerGates(fastify: FastifyInstance, app: AppContext): void {
  fastify.decorateRequest('caller', null as never);
  // Routes that accept a WebSocket upgrade; only those run the origin check (public-api.md §1.7).
  const wsRoutes = new Set<string>();
  fastify.addHook('onRoute', (route) => {
    if (route.wsHandler || route.websocket) wsRoutes.add(route.url);
  });
  fastify.addHook('onRequest', async (request, reply) => {
    if (applyCors(app, request, reply)) return reply;
  });
  fastify.addHook('preHandler', async (request, reply) => {
    const caller = await resolveCaller(app, request);
    request.caller = caller;
    const path = gatePath(request);
    const matched = request.routeOptions.url !== undefined;
    if (
      caller.kind === 'anonymous' &&
      !caller.meta.tempKey &&
      isApiPath(path) &&
      !openOnPrivateSite(path, request.routeOptions.url) &&
      app.settings.get('private_site')
    ) {
      unauthorized(reply, 'Private site is enabled, please login first.', caller);
      return reply;
    }
    // Komari's no-store step sits after Gate A, before the role gates and route handlers.
    if (isApiPath(path)) reply.header('Cache-Control', 'no-store');
    // Role gates belong to routes, as in Komari: an unmatched path falls to the not-found answer.
    const gate = matched ? gateOf(path) : undefined;
    if (gate === 'admin' && !isAdmin(caller)) {
      unauthorized(reply, 'Unauthorized.', caller);
      return reply;
    }
    if (gate === 'agent' && !isAdmin(caller) && caller.kind !== 'agent') {
      unauthorized(reply, 'Unauthorized.', caller);
      return reply;
    }
    if (wsRoutes.has(path) && request.headers.upgrade?.toLowerCase() === 'websocket' && !wsOriginAllowed(app, request)) {
      void reply.code(403).type('text/plain; charset=utf-8').send('Forbidden');
      return reply;
    }
  });
}
