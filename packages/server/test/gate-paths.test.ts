import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { http, startTestServer, type TestServer } from './helpers/server.ts';
import { upgradeStatus } from './helpers/ws.ts';

// The gates (CORS, private site, role gates, WebSocket origin check) must judge the path the
// router matched, not the raw request target: the router decodes percent-escapes and accepts
// absolute-form targets, which fetch would normalise away, so these requests are written by hand.

interface RawResult {
  status: number;
  headers: Record<string, string>;
  /** the body as latin1 text (bytes preserved) */
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

interface RawOptions {
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One HTTP/1.1 request written byte for byte over a TCP socket, with `Connection: close`; the
 * answer is read until the server closes the connection.
 */
function raw(base: string, method: string, target: string, o: RawOptions = {}): Promise<RawResult> {
  const { hostname, port } = new URL(base);
  const headers: Record<string, string> = { Host: `${hostname}:${port}`, Connection: 'close', ...o.headers };
  if (o.body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(o.body));
  }
  const head = [`${method} ${target} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const all = Buffer.concat(chunks).toString('latin1');
      const split = all.indexOf('\r\n\r\n');
      const lines = (split < 0 ? all : all.slice(0, split)).split('\r\n');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '');
      if (!m) return reject(new Error(`no status line in ${JSON.stringify(all.slice(0, 200))}`));
      const hs: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        hs[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      let text = split < 0 ? '' : all.slice(split + 4);
      if (/chunked/i.test(hs['transfer-encoding'] ?? '')) text = unchunk(text);
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      resolve({ status: Number(m[1]), headers: hs, text, json });
    });
    // Write without half-closing: the server closes after answering (Connection: close).
    socket.write(`${head}\r\n\r\n${o.body ?? ''}`);
  });
}

function unchunk(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const eol = text.indexOf('\r\n', at);
    if (eol < 0) return out;
    const size = parseInt(text.slice(at, eol), 16);
    if (!size) return out;
    out += text.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

const unauthorized = { status: 'error', message: 'Unauthorized.' };
const pngSignature = '\x89PNG\r\n\x1a\n';

let s: TestServer;
let admin: string;
let adminUuid: string;

async function setSettings(body: Record<string, unknown>): Promise<void> {
  const res = await http(s.url, '/api/admin/settings', { method: 'POST', cookie: admin, body });
  assert.equal(res.status, 200, res.text);
}

/** The admin's username as /api/me reports it to a fresh admin login. */
async function adminUsername(): Promise<string> {
  const me = await http(s.url, '/api/me', { cookie: await s.login() });
  assert.equal(me.status, 200, me.text);
  return me.json.username as string;
}

before(async () => {
  s = await startTestServer();
  admin = await s.login();
  adminUuid = (await http(s.url, '/api/me', { cookie: admin })).json.uuid;
  assert.match(adminUuid, /^[0-9a-f-]{36}$/);
});
after(() => s.dispose());

describe('the admin gate judges the routed path', () => {
  it('a guest POST /api/%61dmin/update/user answers 401 Unauthorized. and renames nobody', async () => {
    const res = await raw(s.url, 'POST', '/api/%61dmin/update/user', { body: JSON.stringify({ uuid: adminUuid, username: 'pwned' }) });
    assert.equal(res.status, 401, res.text);
    assert.deepEqual(res.json, unauthorized);
    assert.equal(await adminUsername(), s.adminUsername);
  });

  it('a guest POST with the absolute-form target http://x/api/admin/update/user answers 401 and renames nobody', async () => {
    const res = await raw(s.url, 'POST', 'http://x/api/admin/update/user', { body: JSON.stringify({ uuid: adminUuid, username: 'pwned' }) });
    assert.equal(res.status, 401, res.text);
    assert.deepEqual(res.json, unauthorized);
    assert.equal(await adminUsername(), s.adminUsername);
  });

  it('a guest GET /api/%61dmin/2fa/generate answers 401 and no QR code PNG', async () => {
    const res = await raw(s.url, 'GET', '/api/%61dmin/2fa/generate');
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, unauthorized);
    assert.ok(!res.text.startsWith(pngSignature), 'no PNG body');
    assert.doesNotMatch(res.headers['set-cookie'] ?? '', /2fa_secret=/);
  });

  it('a guest GET /%61pi/admin/settings answers 401 Unauthorized.', async () => {
    const res = await raw(s.url, 'GET', '/%61pi/admin/settings');
    assert.equal(res.status, 401, res.text);
    assert.deepEqual(res.json, unauthorized);
  });
});

describe('the CORS check judges the routed path', () => {
  it('an admin cookie from Origin https://evil.example cannot POST /%61pi/admin/settings: 403 and the sitename is unchanged', async () => {
    const before = (await http(s.url, '/api/public')).json.data.sitename as string;
    assert.notEqual(before, 'csrf');
    const res = await raw(s.url, 'POST', '/%61pi/admin/settings', {
      headers: { Cookie: `session_token=${admin}`, Origin: 'https://evil.example' },
      body: JSON.stringify({ sitename: 'csrf' }),
    });
    assert.equal(res.status, 403, res.text);
    assert.equal((await http(s.url, '/api/public')).json.data.sitename, before);
  });
});

describe('the private-site gate judges the routed path', () => {
  before(() => setSettings({ private_site: true }));
  after(() => setSettings({ private_site: false }));

  it('a guest GET /api/%6Eodes, /%61pi/nodes or http://x/api/nodes answers 401 Private site is enabled, please login first.', async () => {
    for (const target of ['/api/%6Eodes', '/%61pi/nodes', 'http://x/api/nodes']) {
      const res = await raw(s.url, 'GET', target);
      assert.equal(res.status, 401, `${target}: ${res.text}`);
      assert.deepEqual(res.json, { status: 'error', message: 'Private site is enabled, please login first.' }, target);
    }
  });
});

describe('the WebSocket origin check runs on WebSocket routes only', () => {
  it('GET /api/version with an Upgrade: websocket header and no Origin gets the normal 200 JSON, while a real upgrade to /api/rpc2 without Origin or ?token is still 403', async () => {
    const res = await raw(s.url, 'GET', '/api/version', { headers: { Upgrade: 'websocket' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'success');
    assert.equal(typeof res.json.data.version, 'string');
    assert.equal(await upgradeStatus(`${s.url.replace(/^http/, 'ws')}/api/rpc2`), 403);
  });
});

describe('HEAD and malformed paths', () => {
  it('HEAD /api/nodes answers 404 (GET routes answer no HEAD), while HEAD /ping answers 200', async () => {
    assert.equal((await raw(s.url, 'HEAD', '/api/nodes')).status, 404);
    assert.equal((await raw(s.url, 'HEAD', '/ping')).status, 200);
  });

  it('POST /api/%zz (a malformed percent-escape) answers 404 with an empty body', async () => {
    const res = await raw(s.url, 'POST', '/api/%zz', { body: '{}' });
    assert.equal(res.status, 404);
    assert.equal(res.text, '');
  });

  it('GET /api/%zz answers 404, not Fastify\'s FST_ERR_BAD_URL JSON', async () => {
    const res = await raw(s.url, 'GET', '/api/%zz');
    assert.equal(res.status, 404);
    assert.doesNotMatch(res.text, /FST_ERR_BAD_URL/);
    assert.equal(res.json?.code, undefined);
  });
});

describe('role gates belong to matched routes', () => {
  it('a guest POST /api/admin/nope (no such route) answers 404 with an empty body; a matched admin route still answers 401', async () => {
    const res = await raw(s.url, 'POST', '/api/admin/nope', { body: '{}' });
    assert.equal(res.status, 404, res.text);
    assert.equal(res.text, '');
    const matched = await raw(s.url, 'POST', '/api/admin/client/add', { body: '{}' });
    assert.equal(matched.status, 401);
    assert.deepEqual(matched.json, unauthorized);
    assert.equal((await http(s.url, '/api/admin/client/list', { cookie: admin })).json.length, 0, 'no node was added');
  });
});
