import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import { releaseUpgradeResponse } from '../../http/release-upgrade.ts';

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
/**
 * Frames inflating at once (ws: 10). Each inflate is a trip through the zlib thread pool whose
 * completion waits for the event loop; with ingest keeping the loop busy, 10 at a time capped a
 * 10,000-agent fleet at ~2,500 v2 frames/s while the CPU idled, and the queue grew until the
 * agents' read deadline dropped every v2 socket (BENCHMARKS.md). Inflating on the main thread
 * instead (inflateRawSync through ws's extension object) was tried: under load it starved the
 * history flushes and measured worse.
 */
const zlibConcurrency = 512;

export function compressedUpgrade(
  fastify: FastifyInstance,
  maxPayload: number,
  compress: boolean,
  serve: (socket: WebSocket, request: FastifyRequest) => void,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
    perMessageDeflate: compress ? { serverNoContextTakeover: true, clientNoContextTakeover: true, concurrencyLimit: zlibConcurrency } : false,
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
      serve(socket, request);
    });
  };
}
