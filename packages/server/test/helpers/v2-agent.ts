import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import WebSocket from 'ws';
import { AgentSocket } from './agent-common.ts';
import { type HttpResult, resultOf, type TestServer } from './server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const agentInfo = {
  arch: 'amd64',
  cpu_cores: 2,
  cpu_name: 'Intel(R) Xeon(R) Processor',
  os: 'Debian GNU/Linux 12 (bookworm)',
  kernel_version: '6.18.44-fc-v769',
  mem_total: 25276063744,
  version: '1.0.0-offline',
};

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
  return resultOf(await fetch(`${s.url}/api/clients/v2/rpc${o.query ?? `?token=${token}`}`, { method: 'POST', headers, body: payload }));
}

/** A v2 WebSocket agent: queues every frame it receives, parsed as JSON. */
export class V2SocketAgent extends AgentSocket {
  /** the server's Sec-WebSocket-Extensions answer */
  extensionsHeader = '';

  /** Connects like the official agent: permessage-deflate offered unless `compress` is false. */
  static async connect(s: TestServer, token: string, o: { compress?: boolean; headers?: Record<string, string> } = {}): Promise<V2SocketAgent> {
    const perMessageDeflate = o.compress === false ? false : { serverNoContextTakeover: true, clientNoContextTakeover: true };
    const url = `${s.url.replace(/^http/, 'ws')}/api/clients/v2/rpc?token=${token}`;
    const agent = new V2SocketAgent(new WebSocket(url, { perMessageDeflate, headers: o.headers }));
    agent.ws.once('upgrade', (res) => (agent.extensionsHeader = String(res.headers['sec-websocket-extensions'] ?? '')));
    await agent.opened();
    return agent;
  }

  /** Sends a request with an id and returns the answer. */
  async call(method: string, params: unknown, id: unknown = `${method}-${Date.now()}`): Promise<any> {
    this.send({ jsonrpc: '2.0', method, params, id });
    return this.next();
  }

  /** Asserts that nothing arrives for `ms` (notifications get no reply). */
  async assertQuiet(ms = 300): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
    assert.deepEqual(this.queued, [], 'the server sent a frame');
  }
}
