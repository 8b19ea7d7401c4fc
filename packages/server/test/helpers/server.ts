import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBootConfig } from '../../src/config/boot-config.ts';
import { startServer, type RunningServer, type StartOptions } from '../../src/main.ts';

export interface TestServer extends RunningServer {
  dir: string;
  dbPath: string;
  adminUsername: string;
  adminPassword: string;
  /** logs in as the first admin and returns the `session_token` cookie value */
  login(): Promise<string>;
  /** stops the server and deletes its data directory */
  dispose(): Promise<void>;
}

export interface TestServerOptions extends StartOptions {
  /** reuse a data directory (restart tests); a fresh temp dir otherwise */
  dir?: string;
  env?: Record<string, string>;
  /** run on PostgreSQL: KOMARI_DB is this URL and the store lives in `schema` (freshPgSchema's) */
  pg?: { url: string; schema: string };
}

/**
 * A real server on a real port (127.0.0.1, chosen by the OS) over a real SQLite file in a temp
 * directory (or, with `pg`, a PostgreSQL schema, the temp directory as its data folder). The admin password is fixed through ADMIN_PASSWORD unless the test overrides env.
 */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'komari-test-'));
  const dbPath = join(dir, 'komari.db');
  const env = { ADMIN_PASSWORD: 'test-password-1', KOMARI_LOG_LEVEL: 'silent', ...opts.env };
  // On PostgreSQL the data folder (themes, backups) still is the temp dir.
  const config = opts.pg
    ? loadBootConfig({ listen: '127.0.0.1:0', db: opts.pg.url }, { KOMARI_DATA_DIR: dir, ...env })
    : loadBootConfig({ listen: '127.0.0.1:0', db: dbPath }, env);
  const server = await startServer(config, () => {}, { ...opts, pgSchema: opts.pg?.schema ?? opts.pgSchema });
  const adminUsername = config.adminUsername ?? 'admin';
  const adminPassword = env.ADMIN_PASSWORD;
  // Assigned onto the server, not spread: its ctx and fastify are getters a restore moves on.
  return Object.assign(server, {
    dir,
    dbPath,
    adminUsername,
    adminPassword,
    async login() {
      const res = await http(server.url, '/api/login', { method: 'POST', body: { username: adminUsername, password: adminPassword } });
      const cookie = sessionCookieOf(res.headers);
      if (res.status !== 200 || !cookie) throw new Error(`login failed: ${res.status} ${res.text}`);
      return cookie;
    },
    async dispose() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** A server for a suite and the admin's session cookie. */
export async function startWithAdmin(opts: TestServerOptions = {}): Promise<{ s: TestServer; cookie: string }> {
  const s = await startTestServer(opts);
  return { s, cookie: await s.login() };
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** the body parsed as JSON, or undefined when it is not JSON */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface HttpOptions {
  method?: string;
  /** an object is sent as JSON; a string is sent as is */
  body?: unknown;
  cookie?: string;
  headers?: Record<string, string>;
}

/** One real HTTP request with fetch; never follows redirects. */
export async function http(base: string, path: string, o: HttpOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.cookie) headers.cookie = `session_token=${o.cookie}`;
  let body: string | undefined;
  if (o.body !== undefined) {
    body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    headers['content-type'] ??= 'application/json';
  }
  return resultOf(await fetch(base + path, { method: o.method ?? 'GET', headers, body, redirect: 'manual' }));
}

/** A fetch response read whole: its body as text, and as JSON when it is JSON. */
export async function resultOf(res: Response): Promise<HttpResult> {
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export function sessionCookieOf(headers: Headers): string {
  for (const c of headers.getSetCookie()) {
    const m = /^session_token=([^;]*)/.exec(c);
    if (m) return m[1]!;
  }
  return '';
}

/** JSON-RPC over POST /api/rpc2. */
export async function rpc(base: string, method: string, params?: unknown, o: Omit<HttpOptions, 'body' | 'method'> = {}) {
  const res = await http(base, '/api/rpc2', { ...o, method: 'POST', body: { jsonrpc: '2.0', method, params, id: 1 } });
  return res.json as { jsonrpc: '2.0'; id?: number; result?: any; error?: { code: number; message: string; data?: unknown } }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
