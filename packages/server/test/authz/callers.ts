import { request } from 'node:http';
import WebSocket from 'ws';
import type { TestServer } from '../helpers/server.ts';
import type { CallerName } from './expectations.ts';
import type { Answer } from './matrix.ts';

/** What the callers hold: set up by the test (a node, an API key of 32+ characters). */
export interface CallerKeys {
  agentToken: string;
  apiKey: string;
}

interface Credentials {
  headers: Record<string, string>;
  /** appended to the query string */
  query: string;
}

const wrongApiKey = 'authz-matrix-wrong-api-key-0123456789abcdef';
const expiredToken = 'AuthzMatrixExpiredSession0000001';
const dayMs = 86_400_000;

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function withQuery(path: string, query: string): string {
  if (!query) return path;
  return path + (path.includes('?') ? '&' : '?') + query;
}

/** One real HTTP request (node:http sends any method, TRACE and QUERY included). */
export function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const all = body === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method, headers: all }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, text, json: parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A WebSocket upgrade: 101 when accepted (closed at once), else the refusal's status and body. */
export function upgrade(url: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('error', reject);
    ws.once('open', () => {
      ws.close();
      resolve({ status: 101, text: '', json: undefined });
    });
    ws.once('unexpected-response', (req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, text, json: parse(text) });
        req.destroy();
      });
    });
  });
}

/**
 * The six callers, each sending what it sends in real life: browsers (guest, expired session,
 * admin) their Origin; an agent its `?token=` and no Origin; API-key clients (right or wrong key)
 * the Authorization header and no Origin. The admin session is renewed when a call ended it, and
 * the expired session is put back before each use (the server deletes it when it sees it).
 */
export class Callers {
  readonly #s: TestServer;
  readonly #keys: CallerKeys;
  #adminCookie = '';
  readonly #sockets = new Map<CallerName, Promise<WebSocket>>();

  constructor(s: TestServer, keys: CallerKeys) {
    this.#s = s;
    this.#keys = keys;
  }

  async credentials(caller: CallerName): Promise<Credentials> {
    const origin = { origin: this.#s.url };
    switch (caller) {
      case 'guest':
        return { headers: origin, query: '' };
      case 'agent':
        return { headers: {}, query: `token=${this.#keys.agentToken}` };
      case 'expiredSession':
        await this.#plantExpiredSession();
        return { headers: { ...origin, cookie: `session_token=${expiredToken}` }, query: '' };
      case 'wrongApiKey':
        return { headers: { authorization: `Bearer ${wrongApiKey}` }, query: '' };
      case 'apiKey':
        return { headers: { authorization: `Bearer ${this.#keys.apiKey}` }, query: '' };
      case 'admin':
        return { headers: { ...origin, cookie: `session_token=${await this.#liveAdminCookie()}` }, query: '' };
    }
  }

  async rest(caller: CallerName, method: string, path: string, body?: unknown): Promise<Answer> {
    const c = await this.credentials(caller);
    const text = body === undefined ? undefined : JSON.stringify(body);
    return send(this.#s.url, method, withQuery(path, c.query), c.headers, text);
  }

  async upgrade(caller: CallerName, path: string): Promise<Answer> {
    const c = await this.credentials(caller);
    return upgrade(this.#wsUrl(path, c.query), c.headers);
  }

  async rpcPost(caller: CallerName, method: string, params: unknown): Promise<Answer> {
    return this.rest(caller, 'POST', '/api/rpc2', { jsonrpc: '2.0', method, params, id: 1 });
  }

  /** One call on the caller's /api/rpc2 socket; `fresh` opens a new one (after a session ended). */
  async rpcWs(caller: CallerName, method: string, params: unknown, fresh = false): Promise<Answer> {
    if (fresh) this.#dropSocket(caller);
    let socket = this.#sockets.get(caller);
    if (!socket) {
      const c = await this.credentials(caller);
      socket = openSocket(this.#wsUrl('/api/rpc2', c.query), c.headers);
      this.#sockets.set(caller, socket);
    }
    const ws = await socket;
    const text = await new Promise<string>((resolve, reject) => {
      const closed = () => reject(new Error(`the ${caller} socket closed`));
      ws.once('close', closed);
      ws.once('message', (data) => {
        ws.off('close', closed);
        resolve(data.toString());
      });
      ws.send(JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 }));
    });
    return { status: 200, text, json: parse(text) };
  }

  close(): void {
    for (const caller of [...this.#sockets.keys()]) this.#dropSocket(caller);
  }

  #dropSocket(caller: CallerName): void {
    void this.#sockets.get(caller)?.then((ws) => ws.terminate(), () => {});
    this.#sockets.delete(caller);
  }

  #wsUrl(path: string, query: string): string {
    return withQuery(this.#s.url.replace(/^http/, 'ws') + path, query);
  }

  async #liveAdminCookie(): Promise<string> {
    if (!this.#adminCookie || !(await this.#s.ctx.store.sessions.get(this.#adminCookie))) this.#adminCookie = await this.#s.login();
    return this.#adminCookie;
  }

  async #plantExpiredSession(): Promise<void> {
    const store = this.#s.ctx.store;
    const account = await store.accounts.first();
    if (!account) throw new Error('no account to hold the expired session');
    const now = this.#s.ctx.clock.now();
    await store.sessions.delete(expiredToken);
    await store.sessions.create({
      session: expiredToken,
      uuid: account.uuid,
      userAgent: 'authz-matrix',
      ip: '127.0.0.1',
      loginMethod: 'password',
      latestOnline: now - 31 * dayMs,
      latestUserAgent: 'authz-matrix',
      latestIp: '127.0.0.1',
      expires: now - 60_000,
      createdAt: now - 31 * dayMs,
    });
  }
}

function openSocket(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
}
