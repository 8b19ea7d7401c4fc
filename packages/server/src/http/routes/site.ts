import type { FastifyInstance } from 'fastify';

/** `ANY /ping` → plain `pong`, never gated. */
export function registerPingRoute(fastify: FastifyInstance): void {
  fastify.all('/ping', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('pong'));
}
