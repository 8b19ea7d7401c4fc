import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { TestContext } from 'node:test';
import { NetworkError } from '../../src/transport/failures.ts';
import { HttpClient } from '../../src/transport/http-client.ts';

/** Servers for the POST client's tests: node:http ones that record requests, raw TCP ones that answer any bytes. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const MiB = 1024 * 1024;

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  remotePort: number;
}

/** Listens on 127.0.0.1; when the test ends, cuts the connections left and closes. */
async function listenForTest(t: TestContext, server: HttpServer | NetServer, sockets: Set<Socket>): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address();
  assert.ok(addr && typeof addr === 'object');
  t.after(async () => {
    for (const s of sockets) s.destroy();
    server.close();
    await once(server, 'close');
  });
  return addr.port;
}

/** A node:http server for one test: counts connections and records every request. */
export async function httpServer(
  t: TestContext,
  handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void,
  configure?: (server: HttpServer) => void,
): Promise<{ url: string; server: HttpServer; connections: () => number; requests: SeenRequest[]; sockets: Set<Socket> }> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, remotePort: req.socket.remotePort ?? 0 });
      handler(req, res, body);
    });
  });
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  configure?.(server);
  const port = await listenForTest(t, server, sockets);
  return { url: `http://127.0.0.1:${port}`, server, connections: () => connections, requests, sockets };
}

export interface RawRequest {
  head: string;
  body: Buffer;
  /** 0-based index of the connection, and of the request on it */
  connection: number;
  onConnection: number;
}

/**
 * A TCP server that reads HTTP requests (Content-Length bodies) and lets the test answer with
 * whatever bytes it likes.
 */
export async function rawServer(t: TestContext, onRequest: (socket: Socket, req: RawRequest) => void): Promise<{ url: string; server: NetServer; requests: RawRequest[]; connections: () => number }> {
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createNetServer((socket) => {
    const connection = connections++;
    let onConnection = 0;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const req = { head, body: Buffer.from(buf.subarray(end + 4, end + 4 + length)), connection, onConnection: onConnection++ };
        buf = buf.subarray(end + 4 + length);
        requests.push(req);
        onRequest(socket, req);
      }
    });
  });
  const port = await listenForTest(t, server, sockets);
  return { url: `http://127.0.0.1:${port}`, server, requests, connections: () => connections };
}

export function client(t: TestContext): HttpClient {
  const c = new HttpClient(false);
  t.after(() => c.close());
  return c;
}

export const ok = (body = '{"ok":true}') => `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** Rejects, and the rejection is a NetworkError (whose message matches `message`, when given). */
export async function rejectsNetwork(promise: Promise<unknown>, message?: RegExp): Promise<NetworkError> {
  let caught: unknown;
  await assert.rejects(promise, (err: unknown) => ((caught = err), true));
  assert.ok(caught instanceof NetworkError, `expected a NetworkError, got ${String(caught)}`);
  if (message) assert.match(caught.message, message);
  return caught;
}
