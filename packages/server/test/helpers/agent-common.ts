import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import type { TestServer } from './server.ts';
import { http } from './server.ts';
import { ask, openWs } from './ws.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A report as the official agent sends it, in either protocol (the first report of
 * captures/official-agent-v2.jsonl; a v1 frame has the same fields). `over` replaces whole fields.
 */
export function sampleReport(over: Record<string, unknown> = {}): Record<string, unknown> {
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

/** The fields of a report in `/api/clients`, in the seed's order. */
export const feedKeys = ['cpu', 'ram', 'swap', 'load', 'disk', 'network', 'connections', 'uptime', 'process', 'message', 'updated_at'];

export interface CaptureLine {
  kind: 'http' | 'ws-upgrade' | 'ws-frame' | 'ws-close';
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: any;
  frame?: any;
}

/** A capture of real agent traffic from test/fixtures/captures (tokens are `TOKEN`): one request or frame per line. */
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

/** What a browser on the server at `url` sees on `/api/clients` after `get` (a real WebSocket, with its Origin). */
export async function feedOf(url: string): Promise<{ online: string[]; data: Record<string, any> }> {
  const ws = await openWs(`${url.replace(/^http/, 'ws')}/api/clients`, { Origin: url });
  const msg = await ask(ws, 'get');
  ws.close();
  assert.equal(msg.status, 'success');
  return msg.data;
}

/** Polls until `check` holds (socket events reach the server asynchronously). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) assert.fail('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Closed {
  code: number;
  reason: string;
  /** Date.now() when the close arrived */
  at: number;
}

/**
 * A test agent's WebSocket: every frame it receives is queued, parsed as JSON. Its listeners go on
 * before the handshake, since the server may write right after the 101.
 */
export class AgentSocket {
  readonly ws: WebSocket;
  readonly closed: Promise<Closed>;
  /** frames received and not yet taken by `next` */
  protected readonly queued: any[] = [];
  readonly #waiters: Array<(f: any) => void> = [];

  protected constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() })),
    );
    ws.on('error', () => {}); // a refused or cut socket shows in `closed`
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      const waiter = this.#waiters.shift();
      if (waiter) waiter(frame);
      else this.queued.push(frame);
    });
  }

  /** Resolves once the handshake is done; rejects when it fails. */
  protected opened(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame from the server. */
  next(ms = 2000): Promise<any> {
    const queued = this.queued.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no frame from the server')), ms);
      this.#waiters.push((f) => {
        clearTimeout(timer);
        resolve(f);
      });
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(): Promise<Closed> {
    this.ws.close();
    return this.closed;
  }
}
