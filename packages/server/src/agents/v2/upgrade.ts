import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import { releaseUpgradeResponse } from '../../http/release-upgrade.ts';
import { agentDeflateOptions } from './deflate-options.ts';
import { inflateHere } from './inflate-here.ts';

/**
 * Komari turns on permessage-deflate for this route only (agent-protocol.md §7.1). In `ws`
 * compression is an option of the server, and @fastify/websocket keeps one server for all routes,
 * so this route upgrades through its own: compression accepted when offered, with both
 * no-context-takeover parameters (as gorilla answers), and the app's frame cap (1009 beyond it).
 * Browser sockets elsewhere stay uncompressed, so their payload costs no per-viewer deflate.
 *
 * `compress: false` (KOMARI_AGENT_WS_COMPRESSION=0) declines the offer: agents then send plain
 * frames, which saves the server most of its CPU per v2 report and a zlib context per socket
 * (BENCHMARKS.md), at the cost of bandwidth.
 *
 * Returns a route-level preHandler: it runs after the gates (identity, 401, Origin check), and on
 * an upgrade request takes the socket over before @fastify/websocket's own upgrade.
 */
export function compressedUpgrade(
  fastify: FastifyInstance,
  maxPayload: number,
  compress: boolean,
  serve: (socket: WebSocket, request: FastifyRequest) => void,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
    perMessageDeflate: compress ? agentDeflateOptions : false,
  });
  fastify.addHook('preClose', (done) => {
    for (const client of wss.clients) client.close(1001, 'server shutting down');
    wss.close();
    done();
  });
  return async (request, reply) => {
    if (!request.ws) return;
    reply.hijack();
    // A client may not send frames before the 101, so no bytes follow the handshake yet.
    wss.handleUpgrade(request.raw, request.raw.socket, Buffer.alloc(0), (socket) => {
      releaseUpgradeResponse(request);
      inflateHere(socket, maxPayload);
      serve(socket, request);
    });
  };
}
