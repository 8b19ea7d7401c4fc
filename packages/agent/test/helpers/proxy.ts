import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';

export interface ProxyOptions {
  /** how WebSocket upgrades are refused: cut the connection, or answer 403; forwarded when absent */
  refuseUpgrades?: 'reset' | 'status';
  /** a server that only speaks v1: every request to /api/clients/v2/rpc answers 404 */
  v1Only?: boolean;
}

export interface TestProxy {
  url: string;
  /** "METHOD path" of every request and upgrade seen, query stripped */
  seen: string[];
  /** the headers of each, in the same order */
  headers: IncomingHttpHeaders[];
  close(): Promise<void>;
}

const v2Path = '/api/clients/v2/rpc';
const pathOf = (req: IncomingMessage) => (req.url ?? '').split('?')[0]!;

function forward(target: URL, req: IncomingMessage, res: ServerResponse): void {
  const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
}

/** Passes the upgrade request through as raw bytes, then pipes both ways. */
function tunnel(target: URL, req: IncomingMessage, client: Socket, head: Buffer, sockets: Set<Socket>): void {
  const up = connect(Number(target.port), target.hostname, () => {
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    up.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length) up.write(head);
    up.pipe(client);
    client.pipe(up);
  });
  sockets.add(up);
  up.on('close', () => (sockets.delete(up), client.destroy()));
  up.on('error', () => client.destroy());
  client.on('close', () => up.destroy());
  client.on('error', () => up.destroy());
}

/**
 * A small HTTP proxy in front of a real server, for the network conditions the agent must
 * survive: WebSocket upgrades refused while POSTs pass, or a v1-only server (404 on the v2 route).
 */
export async function startProxy(targetUrl: string, o: ProxyOptions = {}): Promise<TestProxy> {
  const target = new URL(targetUrl);
  const seen: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${pathOf(req)}`);
    headers.push(req.headers);
    if (o.v1Only && pathOf(req) === v2Path) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
    forward(target, req, res);
  });
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`UPGRADE ${pathOf(req)}`);
    headers.push(req.headers);
    client.on('error', () => {});
    if (o.refuseUpgrades === 'reset') return void client.destroy();
    if (o.refuseUpgrades === 'status' || (o.v1Only && pathOf(req) === v2Path)) {
      const status = o.v1Only ? '404 Not Found' : '403 Forbidden';
      return void client.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    }
    tunnel(target, req, client, head, sockets);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    headers,
    async close() {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
