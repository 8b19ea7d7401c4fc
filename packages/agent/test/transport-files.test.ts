import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { WebSocketServer, type WebSocket } from 'ws';
import { eventually } from '../../server/test/helpers/agent-common.ts';
import { loadAgentConfig } from '../src/config.ts';
import { handlersFor } from '../src/handlers.ts';
import { tempDir } from './helpers/files.ts';
import { MemoryLog, startAgent, type TestAgent } from './helpers/transport.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

interface Post {
  url: string;
  gzip: boolean;
  body: any;
}

/**
 * A v2 peer that records what the agent sends: socket frames, and POSTs to /api/clients/v2/rpc
 * (answered as `answers` says, one entry per POST carrying a result, 200 when it runs out).
 */
class Peer {
  readonly http: Server;
  readonly wss = new WebSocketServer({ noServer: true });
  readonly frames: any[] = [];
  readonly posts: Post[] = [];
  readonly answers: number[] = [];
  socket: WebSocket | undefined;
  /** cut every upgrade: the agent reports over POST */
  refuseUpgrades = false;
  readonly #sockets = new Set<Socket>();

  constructor() {
    this.http = createServer((req, res) => this.#post(req, res));
    this.http.on('connection', (s) => (this.#sockets.add(s), s.on('close', () => this.#sockets.delete(s))));
    this.http.on('upgrade', (req, socket: Socket, head) =>
      this.refuseUpgrades ? socket.destroy() : this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.socket = ws;
        ws.on('message', (d) => this.frames.push(JSON.parse(d.toString())));
      }),
    );
  }

  #post(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const gzip = req.headers['content-encoding'] === 'gzip';
      const raw = Buffer.concat(chunks);
      const body = JSON.parse((gzip ? gunzipSync(raw) : raw).toString());
      this.posts.push({ url: req.url ?? '', gzip, body });
      const isResult = typeof body.method === 'string' && body.method.endsWith('.result');
      const status = isResult ? (this.answers.shift() ?? 200) : 200;
      const reply = status === 200 ? { jsonrpc: '2.0', result: { status: 'success' } } : { jsonrpc: '2.0', error: { code: -32004, message: 'unknown' } };
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  }

  results(method: string, requestId?: string): Post[] {
    return this.posts.filter((p) => p.body.method === method && (requestId === undefined || p.body.params.request_id === requestId));
  }

  send(method: string, params: unknown): void {
    this.socket!.send(JSON.stringify({ jsonrpc: '2.0', method, params }));
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

/** The agent with its real handlers (files, startup config) on a v2 peer. */
async function agentOn(peer: Peer, flags: string[]): Promise<TestAgent> {
  const url = await peer.listen();
  const log = new MemoryLog();
  const config = loadAgentConfig(['-e', url, '-t', 'NODE-TOKEN', '-i', '1', '-c', '0.2', ...flags], {});
  const agent = startAgent(url, 'NODE-TOKEN', flags, { handlers: handlersFor(config, log), log });
  return { ...agent, log };
}

describe('agent over a v2 socket: capabilities, file results, startup config', () => {
  const peer = new Peer();
  const dir = tempDir('komari-tfiles-');
  let agent: TestAgent;

  before(async () => {
    writeFileSync(join(dir, 'hello.txt'), 'hello');
    agent = await agentOn(peer, ['--file-root', dir]);
  });
  after(async () => {
    await agent.transport.stop();
    await peer.close();
  });

  it('sends one agent.pull with the capabilities first thing on the socket', async () => {
    await eventually(() => peer.frames.length > 0, 10_000);
    const first = peer.frames[0];
    assert.equal(first.method, 'agent.pull');
    assert.equal(typeof first.id, 'string');
    assert.deepEqual(first.params.capabilities, ['exec', 'ping', 'terminal', 'file', 'startup_config']);
    assert.equal(peer.frames.filter((f) => f.method === 'agent.pull').length, 1);
  });

  it('runs the events of the pull answer, posts the file result as plain JSON, acks on the next report', async () => {
    const pull = peer.frames[0];
    const event = { id: 'ev-1', method: 'agent.file', params: { uuid: 'u1', request_id: 'r-event', op: 'stat', args: { path: 'hello.txt' } } };
    peer.socket!.send(JSON.stringify({ jsonrpc: '2.0', id: pull.id, result: { events: [event] } }));
    await eventually(() => peer.results('agent.file.result', 'r-event').length === 1, 5000);
    const post = peer.results('agent.file.result', 'r-event')[0]!;
    assert.equal(post.gzip, false);
    assert.match(post.url, /^\/api\/clients\/v2\/rpc\?token=NODE-TOKEN$/);
    assert.equal(post.body.id, undefined, 'a notification');
    assert.equal(post.body.params.ok, true);
    assert.equal(post.body.params.result.path, join(dir, 'hello.txt'));
    assert.equal(post.body.params.result.size, 5);
    await eventually(() => peer.frames.some((f) => f.method === 'agent.report' && f.params.ack_event_ids?.includes('ev-1')), 5000);
  });

  it('answers agent.file sent on the socket, failures included', async () => {
    peer.send('agent.file', { uuid: 'u1', request_id: 'r-out', op: 'list', args: { path: '/etc' } });
    peer.send('agent.file', { uuid: 'u1', request_id: 'r-unknown', op: 'frobnicate', args: {} });
    await eventually(() => peer.results('agent.file.result', 'r-out').length === 1 && peer.results('agent.file.result', 'r-unknown').length === 1, 5000);
    assert.deepEqual(peer.results('agent.file.result', 'r-out')[0]!.body.params, { uuid: 'u1', request_id: 'r-out', ok: false, error: 'permission denied: outside the file root' });
    assert.equal(peer.results('agent.file.result', 'r-unknown')[0]!.body.params.error, 'unsupported file operation: frobnicate');
  });

  it('retries a result answered 5xx (500 ms × n apart) until delivered', async () => {
    peer.answers.push(500, 502);
    peer.send('agent.file', { uuid: 'u1', request_id: 'r-retry', op: 'stat', args: { path: '' } });
    await eventually(() => peer.results('agent.file.result', 'r-retry').length === 3, 8000);
  });

  it('stops at a 4xx: the answer is final', async () => {
    peer.answers.push(400);
    peer.send('agent.file', { uuid: 'u1', request_id: 'r-4xx', op: 'stat', args: { path: '' } });
    await eventually(() => agent.log.lines.some((l) => l.includes('agent.file.result: the server refused it (HTTP 400')), 5000);
    assert.equal(peer.results('agent.file.result', 'r-4xx').length, 1);
  });

  it('answers agent.startupConfig with the settings, the token redacted', async () => {
    peer.send('agent.startupConfig', { request_id: 'cfg-1' });
    await eventually(() => peer.results('agent.startupConfig.result', 'cfg-1').length === 1, 5000);
    const { params } = peer.results('agent.startupConfig.result', 'cfg-1')[0]!.body;
    assert.equal(params.config.token, '<redacted>');
    assert.equal(params.config.file_root, dir);
    assert.equal(params.config.interval, 1);
    assert.ok(!JSON.stringify(params).includes('NODE-TOKEN'));
  });

  it('logs and ignores agent.switchVersion', async () => {
    peer.send('agent.switchVersion', { version: '1.5.10' });
    await eventually(() => agent.log.lines.some((l) => l.includes('Ignoring v2 switch version request ("1.5.10")')), 5000);
  });
});

describe('agent over a v2 socket with --disable-web-ssh', () => {
  const peer = new Peer();
  let agent: TestAgent;

  before(async () => {
    agent = await agentOn(peer, ['--disable-web-ssh']);
  });
  after(async () => {
    await agent.transport.stop();
    await peer.close();
  });

  it('offers only ping and startup_config, and refuses file ops', async () => {
    await eventually(() => peer.frames.length > 0, 10_000);
    assert.deepEqual(peer.frames[0].params.capabilities, ['ping', 'startup_config']);
    peer.send('agent.file', { uuid: 'u', request_id: 'r-off', op: 'list_roots', args: {} });
    await eventually(() => peer.results('agent.file.result', 'r-off').length === 1, 5000);
    assert.deepEqual(peer.results('agent.file.result', 'r-off')[0]!.body.params, { uuid: 'u', request_id: 'r-off', ok: false, error: 'web control is disabled' });
    peer.send('agent.switchVersion', { version: '2.0' });
    await eventually(() => agent.log.lines.some((l) => l.endsWith('Ignoring v2 switch version request because remote control is disabled')), 5000);
  });
});

describe('agent over POST only: capabilities in every agent.pull', () => {
  const peer = new Peer();
  let agent: TestAgent;

  before(async () => {
    peer.refuseUpgrades = true;
    agent = await agentOn(peer, ['--disable-web-ssh', '-r', '0']);
  });
  after(async () => {
    await agent.transport.stop();
    await peer.close();
  });

  it('sends the same list computed from the config', async () => {
    await eventually(() => peer.posts.some((p) => p.body.method === 'agent.pull'), 10_000);
    const pull = peer.posts.find((p) => p.body.method === 'agent.pull')!;
    assert.deepEqual(pull.body.params.capabilities, ['ping', 'startup_config']);
  });
});
