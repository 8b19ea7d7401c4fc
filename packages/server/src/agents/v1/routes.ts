import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { registerAutoDiscoveryRoute } from '../register.ts';
import { v1ReportPath } from './frames.ts';
import { queryToken, registerV1HttpRoutes } from './http-routes.ts';
import { releaseUpgradeResponse } from '../../http/release-upgrade.ts';
import { V1Session } from './socket-session.ts';

/**
 * The v1 report socket, `GET /api/clients/report?token=T` (agent-protocol.md §6.1). The gates
 * answer a bad token with 401 before the upgrade. Frames beyond the app's `ws` maxPayload (the
 * body limit, 1 MiB by default) close that socket with 1009.
 */
function registerV1Socket(fastify: FastifyInstance, app: AppContext): void {
  fastify.route({
    method: 'GET',
    url: v1ReportPath,
    // Komari never negotiates permessage-deflate here. `ws` decides per server, and
    // @fastify/websocket has one server for every route, so the offer is dropped for this route:
    // whatever that server is configured with, this socket stays uncompressed.
    onRequest: async (request) => {
      delete request.raw.headers['sec-websocket-extensions'];
    },
    handler: async (_request, reply) => reply.code(400).send({ status: 'error', error: 'Require WebSocket upgrade' }),
    wsHandler: (socket, request) => {
      releaseUpgradeResponse(request);
      const gateUuid = request.caller.kind === 'agent' ? request.caller.node.uuid : undefined;
      new V1Session(app, socket, queryToken(request), request.log, gateUuid).start();
    },
  });
}

/** v1 agent routes: `/api/clients/report` (WebSocket and POST), `/uploadBasicInfo`, `/register`. */
export function registerV1AgentRoutes(fastify: FastifyInstance, app: AppContext): void {
  registerV1Socket(fastify, app);
  registerV1HttpRoutes(fastify, app);
  registerAutoDiscoveryRoute(fastify, app);
}
