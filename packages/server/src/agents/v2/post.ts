import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { decodeRequest, V2Code, v2Error } from './envelope.ts';
import { compressedBodyFailure } from './gzip-body.ts';
import { agentUuidOf } from './identity.ts';
import { handleV2Request } from './methods.ts';

/**
 * Aborts when the client goes away before its answer is written, or when the server shuts down,
 * so a 25 s long-poll neither outlives its client nor delays a shutdown.
 */
function holdSignal(reply: FastifyReply, shutdown: AbortSignal): AbortSignal {
  const ac = new AbortController();
  const abort = () => ac.abort();
  shutdown.addEventListener('abort', abort, { once: true });
  reply.raw.once('close', () => {
    shutdown.removeEventListener('abort', abort);
    if (!reply.raw.writableFinished) abort();
  });
  return ac.signal;
}

/**
 * POST /api/clients/v2/rpc (agent-protocol.md §7.1, §7.2): one JSON-RPC object per body, the
 * answer always a JSON body with Content-Length (never chunked, never compressed), HTTP 200
 * without an error, 400 with one, 401 for -32001. Notifications get their answer too, id omitted.
 */
export async function answerV2Post(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  shutdown: AbortSignal,
): Promise<FastifyReply> {
  const failure = compressedBodyFailure(request);
  if (failure !== undefined) return reply.code(400).send(v2Error(undefined, V2Code.ParseError, 'invalid compressed body', failure));
  const decoded = decodeRequest(typeof request.body === 'string' ? request.body : '');
  if (!decoded.ok) return reply.code(400).send(v2Error(undefined, V2Code.ParseError, 'parse error', decoded.data));
  const { request: req } = decoded;
  const uuid = await agentUuidOf(app, request);
  if (!uuid) return reply.code(401).send(v2Error(req.id, V2Code.InvalidToken, 'invalid token'));
  const res = await handleV2Request({ app, uuid, transport: 'post', signal: holdSignal(reply, shutdown) }, req);
  // A keep-alive connection answered during shutdown would hold the server open.
  if (shutdown.aborted) reply.header('connection', 'close');
  return reply.code(res.error ? 400 : 200).send(res);
}
