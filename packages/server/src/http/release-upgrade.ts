import { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyRequest } from 'fastify';

/**
 * @fastify/websocket routes an upgrade request through a ServerResponse it assigns to the raw
 * socket. Once the socket is a WebSocket that response stays the socket's `_httpMessage` for the
 * socket's whole life, and through fastify's listeners on it keeps the request, the reply, the
 * headers and the caller reachable: ~2 KiB per agent socket in a heap snapshot (BENCHMARKS.md,
 * "Memory per agent"). Agent sockets are many and live for days, so the response is detached
 * once the upgrade is done (what Node does itself when a response ends). Nothing is written on
 * that response after a 101; the one loss is fastify's "request completed" log line at close.
 */
export function releaseUpgradeResponse(request: FastifyRequest): void {
  const socket = request.raw.socket as Socket & { _httpMessage?: unknown };
  const res = socket?._httpMessage;
  if (res instanceof ServerResponse && res.socket === socket) res.detachSocket(socket);
}
