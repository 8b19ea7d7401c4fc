import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { WebSocketServer, type WebSocket } from 'ws';
import { eventually } from '../../server/test/helpers/agent-common.ts';
import { startAgent, type TestAgent } from './helpers/transport.ts';

/** Everything a confused or broken server might send on the report socket. */
const garbage: Array<string | Buffer> = [
  'not json at all',
  '{',
  '[]',
  '42',
  'null',
  '"a string"',
  '{"jsonrpc":"2.0","method":"agent.exec","params":42}',
  '{"jsonrpc":"2.0","method":"agent.exec","params":{"task_id":5}}',
  '{"jsonrpc":"2.0","method":"agent.ping","params":{"ping_task_id":1,"ping_type":"tcp","ping_target":null}}',
  '{"jsonrpc":"2.0","method":"agent.unknown","params":{}}',
  '{"jsonrpc":"2.0","error":{"code":-32700,"message":"parse error"}}',
  '{"status":"error","error":"Invalid JSON"}',
  '{"message":"terminal"}',
  '{"message":"ping","ping_task_id":"seven"}',
  '<html><body>502 Bad Gateway</body></html>',
  Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]),
  'x'.repeat(256 * 1024),
];

/**
 * A server that misbehaves on purpose: basic info answered with a 500 and then an HTML page,
 * garbage frames on the socket, the socket cut, a handshake answered 500, a socket closed right
 * after it opened. It records every agent.report frame it receives.
 */
class HostileServer {
  readonly http: Server;
  readonly wss = new WebSocketServer({ noServer: true });
  readonly reports: number[] = [];
  readonly posts: string[] = [];
  socket: WebSocket | undefined;
  /** how the next upgrades are answered, one entry each; accepted when empty */
  upgradePlan: Array<'500' | 'close-at-once'> = [];
  postPlan: Array<'500' | 'html'> = ['500', 'html', '500', 'html'];
  readonly #sockets = new Set<Socket>();

  constructor() {
    this.http = createServer((req, res) => this.#post(req, res));
    this.http.on('connection', (s) => (this.#sockets.add(s), s.on('close', () => this.#sockets.delete(s))));
    this.http.on('upgrade', (req, socket: Socket, head) => this.#upgrade(req, socket, head));
  }

  #post(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      this.posts.push(`${req.url?.split('?')[0]} ${body.toString().slice(0, 60)}`);
      const plan = this.postPlan.shift() ?? '500';
      if (plan === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>SPA</title>');
      res.writeHead(500).end('internal error');
    });
  }

  #upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const plan = this.upgradePlan.shift();
    if (plan === '500') return void socket.end('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (plan === 'close-at-once') return ws.terminate();
      this.socket = ws;
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.method === 'agent.report') this.reports.push(Date.now());
      });
    });
  }

  async listen(): Promise<string> {
    this.http.listen(0, '127.0.0.1');
    await once(this.http, 'listening');
    const addr = this.http.address();
    return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    for (const s of this.#sockets) s.destroy();
    this.http.close();
    await once(this.http, 'close');
  }
}

describe('agent transport: bad server answers never stop it', () => {
  const server = new HostileServer();
  let agent: TestAgent;

  before(async () => {
    agent = startAgent(await server.listen(), 'TOKEN');
  });
  after(async () => {
    await agent.transport.stop();
    await server.close();
  });

  it('survives basic info answered with a 500 and an HTML page, then reports on the socket', async () => {
    await eventually(() => server.reports.length >= 1, 10_000);
    assert.ok(server.posts.filter((p) => p.includes('agent.basicInfo')).length >= 2, server.posts.join('\n'));
    assert.ok(agent.log.lines.some((l) => l.includes('basic info upload (v2) failed: HTTP 500')));
  });

  it('ignores garbage frames and keeps reporting on the same socket', async () => {
    const ws = server.socket!;
    for (const g of garbage) ws.send(g);
    const before = server.reports.length;
    await eventually(() => server.reports.length >= before + 2, 5000);
    assert.equal(server.socket, ws, 'still the same socket');
    assert.deepEqual(agent.handlers.execs, []);
  });

  it('reconnects after a cut socket, a refused handshake and a socket closed at once', async () => {
    server.upgradePlan = ['500', 'close-at-once'];
    const first = server.socket!;
    first.terminate();
    await eventually(() => server.socket !== first && server.upgradePlan.length === 0, 10_000);
    const before = server.reports.length;
    await eventually(() => server.reports.length >= before + 2, 5000);
    assert.equal(agent.transport.state, 'socket-v2');
  });

  it('posts a task result that the server refuses with 500s without giving up reporting', async () => {
    server.socket!.send(JSON.stringify({ jsonrpc: '2.0', method: 'agent.exec', params: { task_id: 'abc', command: 'true' } }));
    await eventually(() => server.posts.some((p) => p.startsWith('/api/clients/v2/rpc {"jsonrpc":"2.0","method":"agent.taskResult"')), 5000);
    const before = server.reports.length;
    await eventually(() => server.reports.length >= before + 2, 5000);
  });
});
