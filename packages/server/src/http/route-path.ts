import type { FastifyRequest } from 'fastify';

/**
 * The path every gate checks. When a route matched, it is the route's registered pattern: the
 * router decodes percent-escapes and accepts absolute-form targets, so checking the raw URL would
 * let `/api/%61dmin/...` or `GET http://x/api/admin/...` reach an admin route past a prefix check.
 * Unmatched requests get their URL reduced the same way.
 */
export function gatePath(request: FastifyRequest): string {
  const routed = request.routeOptions.url;
  if (routed) return routed;
  let path = request.url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  const q = path.indexOf('?');
  if (q >= 0) path = path.slice(0, q);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
