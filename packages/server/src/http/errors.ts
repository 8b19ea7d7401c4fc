import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toAppError } from '../errors.ts';
import { isStoreOutage } from '../store/errors.ts';
import { sendError } from './bind.ts';

/**
 * Framework-level failures (oversized body, malformed request line, …) in Komari's error shape.
 * Unmatched routes belong to the web UI (themes/routes.ts).
 */
export function registerErrorHandling(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode ?? 500;
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // a route may set its own (the v2 agent POST takes file results)
      const limit = request.routeOptions.bodyLimit ?? bodyLimit;
      return reply.code(413).send({ status: 'error', message: `Request body is too large (limit ${limit} bytes)` });
    }
    if (status < 500) return reply.code(status).send({ status: 'error', message: err.message });
    // A hand-written route (login, logout, the OAuth callback) on a full disk or while PostgreSQL
    // is down: 503 with the reason, as bound routes and JSON-RPC answer.
    if (isStoreOutage(err)) {
      request.log.warn({ err }, `request refused: ${err.message}`);
      return sendError(reply, toAppError(err));
    }
    request.log.error({ err }, 'request failed');
    return reply.code(500).send({ status: 'error', message: 'Internal server error' });
  });
}

/** A malformed percent-escape names no route and no file: 404 (empty for non-GET). */
export function answerFrameworkError(_err: Error, request: FastifyRequest, reply: FastifyReply): void {
  if (request.method !== 'GET') return void reply.code(404).send();
  void reply.code(404).type('text/plain; charset=utf-8').send('404 page not found');
}
