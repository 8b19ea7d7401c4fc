import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { hasValidApiKey } from './identity.ts';
import { originHostEqualsHost, originInList } from './origin-check.ts';
import { gatePath } from './route-path.ts';

const allowHeaders =
  'Origin, Content-Length, Content-Type, Authorization, Accept, X-CSRF-Token, X-Requested-With, Set-Cookie, X-2FA-Code, X-Two-Factor-Code';

function setCorsHeaders(reply: FastifyReply, origin: string, credentials: boolean): void {
  reply.header('Access-Control-Allow-Origin', origin);
  reply.header('Vary', 'Origin');
  reply.header('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS');
  reply.header('Access-Control-Allow-Headers', allowHeaders);
  reply.header('Access-Control-Expose-Headers', 'Content-Length, Authorization, Set-Cookie');
  if (credentials) reply.header('Access-Control-Allow-Credentials', 'true');
  reply.header('Access-Control-Max-Age', '43200');
}

export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/**
 * The API CORS check (auth.md §10.2), Komari's CSRF defence for cookie-authenticated POSTs.
 * Returns true when the request was answered here (preflight or refusal).
 */
export function applyCors(app: AppContext, request: FastifyRequest, reply: FastifyReply): boolean {
  if (!isApiPath(gatePath(request)) || !app.settings.get('cors_origin_check_enabled')) return false;
  const origin = request.headers.origin;
  const isPreflight = request.method === 'OPTIONS';
  if (!origin) {
    if (!isPreflight) return false;
    void reply.code(403).send();
    return true;
  }
  const allowed =
    hasValidApiKey(app, request) ||
    originHostEqualsHost(origin, request.headers.host) ||
    originInList(origin, app.settings.get('cors_allowed_origins'));
  if (allowed) {
    setCorsHeaders(reply, origin, true);
    if (!isPreflight) return false;
    void reply.code(204).send();
    return true;
  }
  const wantsAuthorization = String(request.headers['access-control-request-headers'] ?? '')
    .toLowerCase()
    .split(',')
    .some((h) => h.trim() === 'authorization');
  if (isPreflight && wantsAuthorization) {
    setCorsHeaders(reply, origin, false);
    void reply.code(204).send();
    return true;
  }
  void reply.code(403).send();
  return true;
}
