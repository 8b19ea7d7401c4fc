import { RpcCode, type RpcResponse } from '@komari-ts/protocol';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import type { Caller } from '../../rpc/caller.ts';
import { dispatch } from '../../rpc/dispatch.ts';
import { serveInOrder } from '../ws-serial.ts';
import { envelopeError, isRpcRequest, parsePostBody, validateRequest } from '../../rpc/envelope.ts';

/** One WebSocket message → exactly one reply (rpc2.md §1). Batches are not accepted here. */
async function answerMessage(app: AppContext, caller: Caller, text: string): Promise<RpcResponse> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return envelopeError(RpcCode.InvalidRequest, `bad request: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return envelopeError(RpcCode.InvalidRequest, 'bad request: message must be one JSON object');
  }
  const req = validateRequest(value);
  return isRpcRequest(req) ? dispatch(app, caller, req) : req;
}

/** `/api/rpc2`: POST (single or batch) and GET upgraded to a WebSocket. */
export function registerRpc2Routes(fastify: FastifyInstance, app: AppContext): void {
  fastify.post('/api/rpc2', async (request, reply) => {
    const parsed = parsePostBody(typeof request.body === 'string' ? request.body : '');
    if (parsed.kind === 'error') return reply.code(parsed.status).send(parsed.response);
    if (parsed.kind === 'single') return reply.send(await dispatch(app, request.caller, parsed.request));
    const out: RpcResponse[] = [];
    for (const r of parsed.requests) out.push(await dispatch(app, request.caller, r));
    // Komari answers a one-element batch with a bare object (rpc2.md §3).
    return reply.send(out.length === 1 ? out[0] : out);
  });
  fastify.route({
    method: 'GET',
    url: '/api/rpc2',
    handler: async (_request, reply) =>
      reply.code(400).send({ status: 'error', error: 'Failed to upgrade to WebSocket.require websocket upgrade' }),
    wsHandler: (socket, request) =>
      serveInOrder(socket, request.log, '/api/rpc2 socket', async (text) => JSON.stringify(await answerMessage(app, request.caller, text))),
  });
}
