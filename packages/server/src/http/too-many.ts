import type { FastifyReply } from 'fastify';

/**
 * 429 with Retry-After, in the route's own envelope: `{status, message}` or, on the routes where
 * Komari words errors so, `{status, error}`.
 */
export function tooMany(reply: FastifyReply, retryAfterSec: number, body: { message: string } | { error: string }): FastifyReply {
  reply.header('Retry-After', String(retryAfterSec));
  return reply.code(429).send({ status: 'error', ...body });
}
