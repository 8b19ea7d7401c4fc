import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import type { TestServer } from './server.ts';
import { http } from './server.ts';
import { ask, openWs } from './ws.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A report frame as the official agent sends it in v1 mode (captures/official-agent-v1.jsonl). */
export function v1Report(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cpu: { usage: 1.4563106796103646 },
    ram: { total: 25276063744, used: 147210240 },
    swap: { total: 0, used: 0 },
    load: { load1: 0.22, load5: 0.27, load15: 0.39 },
    disk: { total: 270553174016, used: 27765985280 },
    network: { up: 0, down: 0, totalUp: 1809183, totalDown: 504747105 },
    connections: { tcp: 9, udp: 0 },
    uptime: 1735,
    process: 74,
    message: '',
    ...over,
  };
}

/** The fields of a report in `/api/clients`, in the seed's order. */
export const feedKeys = ['cpu', 'ram', 'swap', 'load', 'disk', 'network', 'connections', 'uptime', 'process', 'message', 'updated_at'];

export interface CaptureLine {
  kind: 'http' | 'ws-upgrade' | 'ws-frame';
  method?: string;
  url: string;
  body?: any;
  frame?: any;
}

/** A capture of real agent traffic from test/fixtures/captures (tokens are `TOKEN`). */
export function readCapture(name: string): CaptureLine[] {
  const text = readFileSync(new URL(`../fixtures/captures/${name}`, import.meta.url), 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as CaptureLine);
}

/** Adds a node as the admin; returns its uuid and agent token. */
export async function addNode(s: TestServer, cookie: string, name: string): Promise<{ uuid: string; token: string }> {
  const res = await http(s.url, '/api/admin/client/add', { method: 'POST', cookie, body: { name } });
  assert.equal(res.status, 200, res.text);
  return { uuid: res.json.uuid, token: res.json.token };
}

/** What a browser sees on `/api/clients` after `get`. */
export async function feedOf(s: TestServer): Promise<{ online: string[]; data: Record<string, any> }> {
  const ws = await openWs(`${s.url.replace(/^http/, 'ws')}/api/clients`, { Origin: s.url });
  const msg = await ask(ws, 'get');
  ws.close();
  assert.equal(msg.status, 'success');
  return msg.data;
}

/** Polls until `check` holds (socket events reach the server asynchronously). */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function v1SocketUrl(s: TestServer, query: string): string {
  return `${s.url.replace(/^http/, 'ws')}/api/clients/report${query}`;
}

/**
 * A protocol-level v1 agent: the `ws` client (which offers permessage-deflate, like the official
 * agent) on `/api/clients/report`; every frame it receives is queued, parsed as JSON.
 */
export class V1Agent {
  readonly ws: WebSocket;
  readonly closed: Promise<{ code: number; reason: string; at: number }>;
  readonly #frames: any[] = [];
  readonly #waiters: Array<(f: any) => void> = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() })),
    );
    ws.on('error', () => {}); // a refused or cut socket shows in `closed`
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      const waiter = this.#waiters.shift();
      if (waiter) waiter(frame);
      else this.#frames.push(frame);
    });
  }

  /** Connects with `?token=` (or the raw `query` given) and the optional headers. */
  static async connect(s: TestServer, token: string, o: { query?: string; headers?: Record<string, string> } = {}): Promise<V1Agent> {
    const ws = new WebSocket(v1SocketUrl(s, o.query ?? `?token=${token}`), { headers: o.headers });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new V1Agent(ws);
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  report(over: Record<string, unknown> = {}): void {
    this.send(v1Report(over));
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

  /** Sends one frame and returns the server's reply to it. */
  async ask(frame: unknown): Promise<any> {
    this.send(frame);
    return this.next();
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(): Promise<{ code: number; reason: string; at: number }> {
    this.ws.close();
    return this.closed;
  }
}
