import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import WebSocket from 'ws';
import type { HttpResult, TestServer } from './server.ts';
import { http } from './server.ts';
import { ask, openWs } from './ws.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A report as the official agent sends it (captures/official-agent-v2.jsonl). */
export function agentReport(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cpu: { usage: 1.4634146341341139 },
    ram: { total: 25276063744, used: 131346432 },
    swap: { total: 0, used: 0 },
    load: { load1: 0.24, load5: 0.27, load15: 0.39 },
    disk: { total: 270553174016, used: 27765977088 },
    network: { up: 0, down: 0, totalUp: 1809183, totalDown: 504747105 },
    connections: { tcp: 6, udp: 0 },
    uptime: 1728,
    process: 74,
    message: '',
    ...over,
  };
}

export const agentInfo = {
  arch: 'amd64',
  cpu_cores: 2,
  cpu_name: 'Intel(R) Xeon(R) Processor',
  os: 'Debian GNU/Linux 12 (bookworm)',
  kernel_version: '6.18.44-fc-v769',
  mem_total: 25276063744,
  version: '1.0.0-offline',
};

/** The fields of a report in `/api/clients`, the seed's order. */
export const seedKeys = ['cpu', 'ram', 'swap', 'load', 'disk', 'network', 'connections', 'uptime', 'process', 'message', 'updated_at'];

/** Adds a node as the admin; returns its uuid and agent token. */
export async function addNode(s: TestServer, cookie: string, name: string): Promise<{ uuid: string; token: string }> {
  const res = await http(s.url, '/api/admin/client/add', { method: 'POST', cookie, body: { name } });
  assert.equal(res.status, 200, res.text);
  return { uuid: res.json.uuid, token: res.json.token };
}

/** What a browser sees on `/api/clients` after `get`. */
export async function feed(s: TestServer): Promise<{ online: string[]; data: Record<string, any> }> {
  const ws = await openWs(`${s.url.replace(/^http/, 'ws')}/api/clients`, { Origin: s.url });
  const msg = await ask(ws, 'get');
  ws.close();
  return msg.data;
}

/** Polls until `check` holds (a socket close reaches the server asynchronously). */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface PostOptions {
  gzip?: boolean;
  headers?: Record<string, string>;
  cookie?: string;
  /** the query string; `?token=<token>` by default */
  query?: string;
}

/** One POST to /api/clients/v2/rpc; an object body is JSON, optionally gzipped like the official agent. */
export async function v2Post(s: TestServer, token: string, body: unknown, o: PostOptions = {}): Promise<HttpResult> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...o.headers };
  if (o.gzip) headers['content-encoding'] ??= 'gzip';
  if (o.cookie) headers.cookie = `session_token=${o.cookie}`;
  const payload = o.gzip ? gzipSync(text) : text;
  const res = await fetch(`${s.url}/api/clients/v2/rpc${o.query ?? `?token=${token}`}`, { method: 'POST', headers, body: payload });
  const raw = await res.text();
  let json: unknown;
  try {
    json = raw ? JSON.parse(raw) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text: raw, json };
}

/** A v2 WebSocket agent: queues every frame it receives, parsed as JSON. */
export class V2SocketAgent {
  readonly ws: WebSocket;
  /** the server's Sec-WebSocket-Extensions answer */
  extensionsHeader = '';
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #frames: any[] = [];
  readonly #waiters: Array<(f: any) => void> = [];

  /** Listeners go on before the handshake: the server may write right after the 101. */
  private constructor(url: string, o: { compress?: boolean; headers?: Record<string, string> }) {
    const perMessageDeflate = o.compress === false ? false : { serverNoContextTakeover: true, clientNoContextTakeover: true };
    const ws = new WebSocket(url, { perMessageDeflate, headers: o.headers });
    this.ws = ws;
    ws.once('upgrade', (res) => (this.extensionsHeader = String(res.headers['sec-websocket-extensions'] ?? '')));
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      const waiter = this.#waiters.shift();
      if (waiter) waiter(frame);
      else this.#frames.push(frame);
    });
  }

  /** Connects like the official agent: permessage-deflate offered unless `compress` is false. */
  static async connect(s: TestServer, token: string, o: { compress?: boolean; headers?: Record<string, string> } = {}): Promise<V2SocketAgent> {
    const agent = new V2SocketAgent(`${s.url.replace(/^http/, 'ws')}/api/clients/v2/rpc?token=${token}`, o);
    await new Promise<void>((resolve, reject) => {
      agent.ws.once('open', () => resolve());
      agent.ws.once('error', reject);
    });
    return agent;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame from the server. */
  next(ms = 2000): Promise<any> {
    const queued = this.#frames.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no frame from the server')), ms);
      this.#waiters.push((f) => {
        clearTimeout(timer);
        resolve(f);
      });
    });
  }

  /** Sends a request with an id and returns the answer. */
  async call(method: string, params: unknown, id: unknown = `${method}-${Date.now()}`): Promise<any> {
    this.send({ jsonrpc: '2.0', method, params, id });
    return this.next();
  }

  /** Asserts that nothing arrives for `ms` (notifications get no reply). */
  async assertQuiet(ms = 300): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
    assert.deepEqual(this.#frames, [], 'the server sent a frame');
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}
