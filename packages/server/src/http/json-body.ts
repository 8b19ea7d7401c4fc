import type { FastifyRequest } from 'fastify';

export type JsonBody = { ok: true; empty: boolean; value: unknown } | { ok: false; error: string };

const cache = new WeakMap<FastifyRequest, JsonBody>();

/**
 * The request body as JSON, read regardless of Content-Type (old Komari UIs omit it). Parsed once
 * per request: identity (agent `token` in the body) and the route handler share the result.
 */
export function jsonBody(request: FastifyRequest): JsonBody {
  const hit = cache.get(request);
  if (hit) return hit;
  const raw = typeof request.body === 'string' ? request.body : '';
  let out: JsonBody;
  if (raw.trim() === '') out = { ok: true, empty: true, value: undefined };
  else {
    try {
      out = { ok: true, empty: false, value: JSON.parse(raw) };
    } catch (err) {
      out = { ok: false, error: (err as Error).message };
    }
  }
  cache.set(request, out);
  return out;
}
