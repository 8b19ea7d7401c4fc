import { RpcCode, type RpcRequest, type RpcResponse } from '@komari-ts/protocol';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import type { Caller } from '../../rpc/caller.ts';
import { refuseGuestsOverCap, watchViewer } from '../../realtime/viewer-sockets.ts';
import { dispatch } from '../../rpc/dispatch.ts';
import { envelopeError, isRpcRequest, parsePostBody, tooLargeError, validateRequest } from '../../rpc/envelope.ts';
import { socketCaller } from '../socket-caller.ts';
import { serveInOrder } from '../ws-serial.ts';

/** One call's answer as JSON text, or the too-large error when it alone passes the byte cap. */
async function answerWithin(app: AppContext, caller: Caller, req: RpcRequest): Promise<string> {
  const text = JSON.stringify(await dispatch(app, caller, req));
  const max = app.limits.rpc.maxResponseBytes;
  return Buffer.byteLength(text) > max ? JSON.stringify(tooLargeError(req.id, max)) : text;
}

/**
 * A batch's answers, run in order. Once the answers so far would pass `maxResponseBytes`, that
 * request and every later one are answered with the too-large error and not run: a few cheap
 * guest calls cannot be multiplied into a huge body or a long stall.
 */
async function answerBatch(app: AppContext, caller: Caller, requests: RpcRequest[]): Promise<string[]> {
  const max = app.limits.rpc.maxResponseBytes;
  const out: string[] = [];
  let used = 2; // the brackets
  let full = false;
  for (const req of requests) {
    const text: string = full ? '' : JSON.stringify(await dispatch(app, caller, req));
    const bytes = Buffer.byteLength(text) + 1;
    full ||= used + bytes > max;
    if (full) out.push(JSON.stringify(tooLargeError(req.id, max)));
    else {
      out.push(text);
      used += bytes;
    }
  }
  return out;
}

/** One WebSocket message → exactly one reply (rpc2.md §1). Batches are not accepted here. */
async function answerMessage(app: AppContext, caller: Caller, text: string): Promise<string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return JSON.stringify(envelopeError(RpcCode.InvalidRequest, `bad request: ${(err as Error).message}`));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return JSON.stringify(envelopeError(RpcCode.InvalidRequest, 'bad request: message must be one JSON object'));
  }
  const req: RpcRequest | RpcResponse = validateRequest(value);
  return isRpcRequest(req) ? answerWithin(app, caller, req) : JSON.stringify(req);
}

/** `/api/rpc2`: POST (single or batch) and GET upgraded to a WebSocket. */
export function registerRpc2Routes(fastify: FastifyInstance, app: AppContext): void {
  fastify.post('/api/rpc2', async (request, reply) => {
    const parsed = parsePostBody(typeof request.body === 'string' ? request.body : '', app.limits.rpc.maxBatch);
    if (parsed.kind === 'error') return reply.code(parsed.status).send(parsed.response);
    const json = 'application/json; charset=utf-8';
    if (parsed.kind === 'single') return reply.type(json).send(await answerWithin(app, request.caller, parsed.request));
    const out = await answerBatch(app, request.caller, parsed.requests);
    // Komari answers a one-element batch with a bare object (rpc2.md §3).
    return reply.type(json).send(out.length === 1 ? out[0] : `[${out.join(',')}]`);
  });
  fastify.route({
    method: 'GET',
    url: '/api/rpc2',
    preHandler: (request, reply) => refuseGuestsOverCap(app, request, reply),
    handler: async (_request, reply) =>
      reply.code(400).send({ status: 'error', error: 'Failed to upgrade to WebSocket.require websocket upgrade' }),
    wsHandler: (socket, request) => {
      watchViewer(app, socket, request);
      // Each call is answered as whoever the socket's credentials name now, not at the handshake.
      const caller = socketCaller(app, request);
      serveInOrder(socket, request.log, '/api/rpc2 socket', app.limits.viewers, async (text) => answerMessage(app, await caller(), text));
    },
  });
}
