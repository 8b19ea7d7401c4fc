import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http, type HttpResult, type TestServer } from './server.ts';

export interface SeenRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeProvider {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

export type FakeHandler = (req: SeenRequest, res: ServerResponse) => void | Promise<void>;

/** A local HTTP server standing in for an identity provider's endpoints (127.0.0.1, port 0). */
export async function startFakeProvider(handler: FakeHandler): Promise<FakeProvider> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: SeenRequest = { method: req.method ?? '', url: new URL(req.url ?? '/', 'http://x'), headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(r);
      Promise.resolve(handler(r, res)).catch((err: Error) => {
        res.writeHead(500).end(err.message);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Every `name=value` a response sets, by name (the last one wins). */
export function setCookies(r: HttpResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of r.headers.getSetCookie()) {
    const m = /^([^=]+)=([^;]*)/.exec(c);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

export function rawSetCookie(r: HttpResult, name: string): string | undefined {
  return r.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

/** Turns OAuth on with one provider and stores its configuration through the admin API. */
export async function configureOAuth(s: TestServer, admin: string, provider: string, config: Record<string, string>): Promise<void> {
  const set = await http(s.url, '/api/admin/settings/oidc', { method: 'POST', cookie: admin, body: { name: provider, addition: JSON.stringify(config) } });
  if (set.status !== 200) throw new Error(`provider config refused: ${set.text}`);
  const on = await http(s.url, '/api/admin/settings/', { method: 'POST', cookie: admin, body: { o_auth_enabled: true, o_auth_provider: provider } });
  if (on.status !== 200) throw new Error(`settings refused: ${on.text}`);
}

/** A request carrying arbitrary cookies (the flow cookies beside, or instead of, a session). */
export function withCookies(s: TestServer, path: string, cookies: Record<string, string>): Promise<HttpResult> {
  const cookie = Object.entries(cookies)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
  return http(s.url, path, { headers: cookie ? { cookie } : {} });
}

/** GET /api/oauth: the issued state and where the browser is sent. */
export async function startLogin(s: TestServer, cookies: Record<string, string> = {}): Promise<{ res: HttpResult; state: string; location: URL }> {
  const res = await withCookies(s, '/api/oauth', cookies);
  if (res.status !== 302) throw new Error(`/api/oauth answered ${res.status}: ${res.text}`);
  return { res, state: setCookies(res).oauth_state ?? '', location: new URL(res.headers.get('location') ?? '') };
}

/** The audit log's messages, newest first (the admin's view). */
export async function auditMessages(s: TestServer, admin: string): Promise<string[]> {
  const logs = await http(s.url, '/api/admin/logs?limit=100&page=1', { cookie: admin });
  return (logs.json.data.logs as { message: string }[]).map((l) => l.message);
}
