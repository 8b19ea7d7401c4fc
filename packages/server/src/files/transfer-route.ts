import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { BodyLengthError, exactBody } from './exact-body.ts';

const sha = (s: string) => createHash('sha256').update(s).digest();
/** Compares digests, so neither the length nor the content of the token leaks through timing. */
const sameSecret = (a: string, b: string) => timingSafeEqual(sha(a), sha(b));

function text(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('text/plain; charset=utf-8').send(message);
}

function header(request: FastifyRequest, name: string): string {
  const v = request.headers[name];
  return typeof v === 'string' ? v : '';
}

/** A request that carries a body: a non-zero Content-Length, or chunked framing. */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined && length !== '0') return true;
  return request.headers['transfer-encoding'] !== undefined;
}

/**
 * `/api/clients/transfer/:id` (komari-1.5.md §2.5), the agent's side of a stream transfer. The
 * route gate has already required a client or admin identity; this checks the transfer's own
 * credentials, then hands the request to the relay waiting for it. Register it in a context that
 * does not parse bodies: the download direction's body is read as it streams.
 */
export function registerTransferRoute(fastify: FastifyInstance, app: AppContext): void {
  fastify.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/api/clients/transfer/:id',
    handler: async (request, reply) => {
      if (request.method !== 'GET' && request.method !== 'POST') return text(reply, 405, 'method not allowed');
      const id = (request.params as { id: string }).id;
      const query = request.query as Record<string, unknown>;
      const token = header(request, 'x-komari-transfer-token') || (typeof query.transfer_token === 'string' ? query.transfer_token : '');
      if (token === '') return text(reply, 401, 'file transfer credentials are required');
      const caller = request.caller;
      if (caller.kind !== 'agent') return text(reply, 401, 'agent identity is required');
      const headerId = header(request, 'x-komari-transfer-id');
      if (headerId !== '' && headerId !== id) return text(reply, 401, 'file transfer id does not match request');
      const t = app.files.transfers.get(id);
      if (!t) return text(reply, 401, 'unknown or expired file transfer');
      // Both checks run whatever the first says: the answer takes as long for a wrong client as for a wrong token.
      const tokenOk = sameSecret(token, t.token);
      if (!tokenOk || t.uuid !== caller.node.uuid) return text(reply, 401, 'invalid file transfer credentials');
      if (t.state === 'waiting' && t.expiresAt <= app.clock.now()) {
        t.close();
        return text(reply, 401, 'file transfer expired');
      }
      if (t.state !== 'waiting') return text(reply, 409, t.state === 'closed' ? 'file transfer is closed' : 'file transfer is already connected');

      if (t.direction === 'download') {
        if (request.method === 'GET') return text(reply, 405, 'transfer direction does not allow GET');
        const declared = request.headers['content-length'];
        if (declared !== undefined && Number(declared) !== t.length) {
          t.refuse(new BodyLengthError('invalid transfer content length'));
          // The body is not read: the connection goes with the answer.
          return text(reply.header('connection', 'close'), 400, 'invalid transfer content length');
        }
        t.attach(exactBody(request.raw, t.length));
        const err = await t.outcome();
        if (err instanceof BodyLengthError) return text(reply.header('connection', 'close'), 400, err.message);
        if (err) return text(reply.header('connection', 'close'), 410, err.message);
        return reply.code(200).send({ received: t.length });
      }

      if (request.method === 'POST' && hasBody(request)) {
        t.refuse(new Error('invalid upload transfer request'));
        return text(reply.header('connection', 'close'), 400, 'invalid upload transfer request');
      }
      t.attach();
      let source;
      try {
        source = await t.source();
      } catch (err) {
        return text(reply, 410, (err as Error).message);
      }
      reply.raw.once('close', () => t.close());
      return reply
        .code(200)
        .header('content-type', 'application/octet-stream')
        .header('content-length', t.length)
        .header('content-encoding', 'identity')
        .header('cache-control', 'no-store, no-transform')
        .header('x-accel-buffering', 'no')
        .send(source);
    },
  });
}
