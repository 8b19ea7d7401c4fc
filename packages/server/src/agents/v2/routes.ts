import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AppContext } from '../../app-context.ts';
import { agentPostBodyLimit } from '../../files/limits.ts';
import { gunzipBody } from './gzip-body.ts';
import { v2Path } from './limits.ts';
import { answerV2Post } from './post.ts';
import { serveV2Socket } from './socket.ts';
import { compressedUpgrade } from './upgrade.ts';

/** v2 agent routes: JSON-RPC at `/api/clients/v2/rpc` over WebSocket and POST (agent-protocol.md §7). */
export function registerV2AgentRoutes(fastify: FastifyInstance, app: AppContext): void {
  const serve = (socket: WebSocket, request: FastifyRequest) => serveV2Socket(app, socket, request);
  fastify.route({
    method: 'GET',
    url: v2Path,
    preHandler: compressedUpgrade(fastify, app.config.bodyLimit, app.config.agentWsCompression, serve),
    handler: async (_request, reply) => reply.code(400).send({ status: 'error', error: 'Require WebSocket upgrade' }),
    // Declared so the gates treat this as a WebSocket route (Origin check); the preHandler
    // upgrades first, so this only serves should it ever be bypassed (then uncompressed).
    wsHandler: (socket, request) => serve(socket, request),
  });
  // Pending long-polls answer at once when the server closes.
  const shutdown = new AbortController();
  fastify.addHook('preClose', (done) => {
    shutdown.abort();
    done();
  });
  // File results (a 4 MiB `read` is ~5.6 MiB of JSON) come here; the socket never carries them.
  const bodyLimit = agentPostBodyLimit(app.limits.files, app.config.bodyLimit);
  fastify.post(v2Path, { bodyLimit, preParsing: gunzipBody(bodyLimit) }, (request, reply) =>
    answerV2Post(app, request, reply, shutdown.signal),
  );
}
