import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { AgentSocket } from './agent-common.ts';
import type { TestServer } from './server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface Frame {
  data: Buffer;
  binary: boolean;
  /** the payload as UTF-8 */
  text: string;
}

export interface Closed {
  code: number;
  reason: string;
}

/**
 * One side of a web terminal as a test sees it: every frame is kept with its type (text or
 * binary), since the relay's rules are about frame types. Listeners go on before the handshake.
 */
export class TerminalPeer {
  readonly ws: WebSocket;
  readonly closed: Promise<Closed>;
  /** the session id the server sent first (browser sockets, komari-1.5.md §4.3) */
  requestId = '';
  readonly #queued: Frame[] = [];
  readonly #waiters: Array<(f: Frame) => void> = [];

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers });
    this.closed = new Promise((resolve) => this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    this.ws.on('error', () => {}); // shows in `closed`
    this.ws.on('message', (data, isBinary) => {
      const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      const frame = { data: buf, binary: isBinary, text: buf.toString('utf8') };
      const waiter = this.#waiters.shift();
      if (waiter) waiter(frame);
      else this.#queued.push(frame);
    });
  }

  opened(): Promise<this> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve(this));
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      this.ws.once('error', reject);
    });
  }

  next(ms = 2000): Promise<Frame> {
    const queued = this.#queued.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no frame arrived')), ms);
      this.#waiters.push((f) => {
        clearTimeout(timer);
        resolve(f);
      });
    });
  }

  /** The next frame, which must be a text frame with exactly this text. */
  async expectText(text: string, ms = 2000): Promise<void> {
    const f = await this.next(ms);
    assert.deepEqual({ binary: f.binary, text: f.text }, { binary: false, text });
  }

  send(data: string | Buffer, binary: boolean): void {
    this.ws.send(data, { binary });
  }

  /**
   * Ends the terminal as Komari 1.5's UI does, with the `{"type":"close"}` control, then drops
   * the socket (a bare drop only suspends the session for a re-attach).
   */
  closeTerminal(): void {
    if (this.open) this.ws.send('{"type":"close"}');
    this.ws.close();
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }
}

const wsBase = (s: TestServer) => s.url.replace(/^http/, 'ws');

/**
 * The admin's browser on `/api/admin/client/:uuid/terminal`, with the cookie and Origin a browser
 * sends. Its first frame must be the text `{"request_id":"<32 chars>"}`; the id is kept on the peer.
 */
export async function browserTerminal(s: TestServer, cookie: string, uuid: string, query = '', headers: Record<string, string> = {}): Promise<TerminalPeer> {
  const peer = new TerminalPeer(`${wsBase(s)}/api/admin/client/${uuid}/terminal${query}`, {
    ...(cookie ? { cookie: `session_token=${cookie}` } : {}),
    Origin: s.url,
    ...headers,
  });
  await peer.opened();
  const first = await peer.next();
  assert.equal(first.binary, false, 'the request id is a text frame');
  const parsed = JSON.parse(first.text) as { request_id: string };
  assert.deepEqual(Object.keys(parsed), ['request_id']);
  assert.match(parsed.request_id, /^[0-9A-Za-z]{32}$/);
  peer.requestId = parsed.request_id;
  return peer;
}

/** The agent dialling `/api/clients/terminal?token=T&id=ID`, as the official agent does (no Origin). */
export function agentTerminal(s: TestServer, token: string, id: string): Promise<TerminalPeer> {
  return new TerminalPeer(`${wsBase(s)}/api/clients/terminal?token=${token}&id=${id}`).opened();
}

/**
 * Skips report replies and returns the request id of the next terminal request on an agent's main
 * socket: the v1 frame on a v1 socket, `agent.terminal.request` on a v2 one (komari-1.5.md §1.3).
 */
export async function terminalRequestId(agent: AgentSocket): Promise<string> {
  for (;;) {
    const frame = await agent.next();
    if (frame?.message === 'terminal') {
      assert.deepEqual(Object.keys(frame), ['message', 'request_id']);
      return frame.request_id as string;
    }
    if (frame?.method === 'agent.terminal.request') {
      assert.deepEqual(Object.keys(frame), ['jsonrpc', 'method', 'params']);
      assert.deepEqual(Object.keys(frame.params), ['request_id']);
      return frame.params.request_id as string;
    }
  }
}

/** A refused upgrade: its status and JSON body. */
export function refusedUpgrade(url: string, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        ws.terminate();
        resolve({ status: res.statusCode ?? 0, json: body ? JSON.parse(body) : undefined });
      });
    });
    ws.once('open', () => {
      ws.close();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('error', (err) => reject(err));
  });
}
