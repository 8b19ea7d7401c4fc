import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { http, startTestServer, type HttpResult, type TestServer } from './helpers/server.ts';

// The exact strings of public-api.md §1.6
const allowMethods = 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS';
const allowHeaders =
  'Origin, Content-Length, Content-Type, Authorization, Accept, X-CSRF-Token, X-Requested-With, Set-Cookie, X-2FA-Code, X-Two-Factor-Code';
const exposeHeaders = 'Content-Length, Authorization, Set-Cookie';
const evil = 'http://evil.example';
const apiKey = 'cors-NIgzHN2PXxHYwTs5_1tKbHP4ymy5';

function assertNoCorsHeaders(res: HttpResult): void {
  for (const h of ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods']) {
    assert.equal(res.headers.get(h), null, h);
  }
}

function assertCorsHeaders(res: HttpResult, origin: string, credentials: boolean): void {
  assert.equal(res.headers.get('access-control-allow-origin'), origin);
  assert.match(res.headers.get('vary') ?? '', /\bOrigin\b/);
  assert.equal(res.headers.get('access-control-allow-methods'), allowMethods);
  assert.equal(res.headers.get('access-control-allow-headers'), allowHeaders);
  assert.equal(res.headers.get('access-control-expose-headers'), exposeHeaders);
  assert.equal(res.headers.get('access-control-max-age'), '43200');
  assert.equal(res.headers.get('access-control-allow-credentials'), credentials ? 'true' : null);
}

describe('API CORS check', () => {
  let s: TestServer;
  let admin: string;
  let self: string;
  const setSettings = async (body: Record<string, unknown>) => {
    const res = await http(s.url, '/api/admin/settings', { method: 'POST', cookie: admin, body });
    assert.equal(res.status, 200, res.text);
  };
  const sessionCount = async () => (await http(s.url, '/api/admin/session/get', { cookie: admin })).json.data.length as number;

  before(async () => {
    s = await startTestServer();
    admin = await s.login();
    self = s.url; // http://127.0.0.1:<port>, the Host fetch sends
    await setSettings({ api_key: apiKey });
  });
  beforeEach(() => setSettings({ cors_origin_check_enabled: true, cors_allowed_origins: '' }));
  after(() => s.dispose());

  it('the check is on by default', async () => {
    const fresh = await startTestServer();
    try {
      assert.equal((await http(fresh.url, '/api/public')).json.data.cors_origin_check_enabled, true);
      assert.equal((await http(fresh.url, '/api/nodes', { headers: { origin: evil } })).status, 403);
    } finally {
      await fresh.dispose();
    }
  });

  it('a request without Origin passes and gets no CORS headers', async () => {
    const res = await http(s.url, '/api/nodes');
    assert.equal(res.status, 200);
    assertNoCorsHeaders(res);
  });

  it('an Origin equal to Host passes with the full CORS header set', async () => {
    const res = await http(s.url, '/api/nodes', { headers: { origin: self } });
    assert.equal(res.status, 200, res.text);
    assertCorsHeaders(res, self, true);
  });

  it('the Host comparison ignores case and scheme but not the port', async () => {
    const upper = self.replace('http://', 'HTTP://');
    assert.equal((await http(s.url, '/api/nodes', { headers: { origin: upper } })).status, 200);
    assert.equal((await http(s.url, '/api/nodes', { headers: { origin: self.replace('http://', 'https://') } })).status, 200);
    assert.equal((await http(s.url, '/api/nodes', { headers: { origin: 'http://127.0.0.1:1' } })).status, 403);
  });

  it('an OPTIONS preflight from an allowed origin is 204 with the headers', async () => {
    const res = await http(s.url, '/api/nodes', { method: 'OPTIONS', headers: { origin: self, 'access-control-request-method': 'GET' } });
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assertCorsHeaders(res, self, true);
  });

  it('a preflight to an /api path with no route is still answered 204', async () => {
    const res = await http(s.url, '/api/admin/settings/', { method: 'OPTIONS', headers: { origin: self } });
    assert.equal(res.status, 204);
  });

  it('error answers to an allowed origin keep the CORS headers so the browser can read them', async () => {
    const res = await http(s.url, '/api/admin/settings', { headers: { origin: self } });
    assert.equal(res.status, 401);
    assertCorsHeaders(res, self, true);
  });

  it('a foreign Origin on GET /api/nodes is 403 with an empty body', async () => {
    const res = await http(s.url, '/api/nodes', { headers: { origin: evil } });
    assert.equal(res.status, 403);
    assert.equal(res.text, '');
    assertNoCorsHeaders(res);
  });

  it('a foreign Origin on POST /api/login is 403 and no session is created', async () => {
    const before = await sessionCount();
    const res = await http(s.url, '/api/login', {
      method: 'POST',
      headers: { origin: evil },
      body: { username: s.adminUsername, password: s.adminPassword },
    });
    assert.equal(res.status, 403);
    assert.equal(res.text, '');
    assert.equal(res.headers.getSetCookie().length, 0);
    assert.equal(await sessionCount(), before);
  });

  it('a foreign Origin with an admin cookie cannot change settings (CSRF defence)', async () => {
    const res = await http(s.url, '/api/admin/settings', { method: 'POST', cookie: admin, headers: { origin: evil }, body: { sitename: 'csrf' } });
    assert.equal(res.status, 403);
    assert.notEqual((await http(s.url, '/api/public')).json.data.sitename, 'csrf');
  });

  it('an OPTIONS preflight from a foreign origin is 403', async () => {
    const res = await http(s.url, '/api/nodes', { method: 'OPTIONS', headers: { origin: evil, 'access-control-request-headers': 'content-type' } });
    assert.equal(res.status, 403);
    assert.equal(res.text, '');
    assertNoCorsHeaders(res);
  });

  it('a foreign preflight asking for Authorization is 204 with the headers but without Allow-Credentials', async () => {
    const res = await http(s.url, '/api/nodes', {
      method: 'OPTIONS',
      headers: { origin: evil, 'access-control-request-headers': 'Content-Type, Authorization' },
    });
    assert.equal(res.status, 204);
    assertCorsHeaders(res, evil, false);
  });

  it('an OPTIONS request without Origin is 403', async () => {
    const res = await http(s.url, '/api/nodes', { method: 'OPTIONS' });
    assert.equal(res.status, 403);
    assert.equal(res.text, '');
  });

  for (const entry of ['http://evil.example', 'evil.example', '*', 'a.example,\nEVIL.example', 'https://other.example\r\nhttp://evil.example/']) {
    it(`cors_allowed_origins ${JSON.stringify(entry)} allows ${evil}`, async () => {
      await setSettings({ cors_allowed_origins: entry });
      const res = await http(s.url, '/api/nodes', { headers: { origin: evil } });
      assert.equal(res.status, 200, res.text);
      assertCorsHeaders(res, evil, true);
    });
  }

  for (const entry of ['https://evil.example', 'evil.example:8080', 'other.example', 'http://evil.example.net']) {
    it(`cors_allowed_origins ${JSON.stringify(entry)} does not allow ${evil}`, async () => {
      await setSettings({ cors_allowed_origins: entry });
      assert.equal((await http(s.url, '/api/nodes', { headers: { origin: evil } })).status, 403);
    });
  }

  it('a valid API key header allows any origin', async () => {
    const res = await http(s.url, '/api/nodes', { headers: { origin: evil, authorization: `Bearer ${apiKey}` } });
    assert.equal(res.status, 200, res.text);
    assertCorsHeaders(res, evil, true);
    const wrong = await http(s.url, '/api/nodes', { headers: { origin: evil, authorization: `Bearer ${apiKey}-wrong` } });
    assert.equal(wrong.status, 403);
  });

  it('cors_origin_check_enabled=false sends no CORS headers and blocks nothing', async () => {
    await setSettings({ cors_origin_check_enabled: false });
    const get = await http(s.url, '/api/nodes', { headers: { origin: evil } });
    assert.equal(get.status, 200);
    assertNoCorsHeaders(get);
    const self_ = await http(s.url, '/api/nodes', { headers: { origin: self } });
    assertNoCorsHeaders(self_);
    const options = await http(s.url, '/api/nodes', { method: 'OPTIONS', headers: { origin: evil } });
    assert.notEqual(options.status, 403);
    assertNoCorsHeaders(options);
  });

  it('non-/api paths are never CORS-checked', async () => {
    const ping = await http(s.url, '/ping', { headers: { origin: evil } });
    assert.equal(ping.status, 200);
    assert.equal(ping.text, 'pong');
    assertNoCorsHeaders(ping);
    const spa = await http(s.url, '/apiary', { headers: { origin: evil } });
    assert.notEqual(spa.status, 403);
    assertNoCorsHeaders(spa);
  });

  it('a refused request carries no Cache-Control (it ends before the no-store step)', async () => {
    const res = await http(s.url, '/api/nodes', { headers: { origin: evil } });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('cache-control'), null);
  });
});
