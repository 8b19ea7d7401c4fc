import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http, rpc, startTestServer, type TestServer } from './helpers/server.ts';

/** The seed's `/api/public` example, key → JSON type (theme_settings: object). */
const seedPublicTypes: Record<string, string> = {
  allow_cors: 'boolean',
  custom_body: 'string',
  custom_head: 'string',
  description: 'string',
  disable_password_login: 'boolean',
  oauth_enable: 'boolean',
  oauth_provider: 'string',
  ping_record_preserve_time: 'number',
  private_site: 'boolean',
  record_enabled: 'boolean',
  record_preserve_time: 'number',
  sitename: 'string',
  theme: 'string',
  theme_settings: 'object',
  // newer than the seed (public-api.md §6.3)
  cors_origin_check_enabled: 'boolean',
  visitor_audit_enabled: 'boolean',
};

describe('site endpoints', () => {
  let s: TestServer;
  let admin: string;
  before(async () => {
    s = await startTestServer();
    admin = await s.login();
  });
  after(() => s.dispose());

  it('GET /ping answers plain pong for any method', async () => {
    for (const method of ['GET', 'POST', 'PUT']) {
      const res = await http(s.url, '/ping', { method });
      assert.equal(res.status, 200);
      assert.equal(res.text, 'pong');
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    }
  });

  it('GET /api/version has the seed envelope with string version and hash', async () => {
    const res = await http(s.url, '/api/version');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.json).sort(), ['data', 'message', 'status']);
    assert.equal(res.json.status, 'success');
    assert.equal(res.json.message, '');
    assert.deepEqual(Object.keys(res.json.data).sort(), ['hash', 'server', 'server_version', 'version']);
    // Komari's number, which Komari clients compare (> 1.0.3, ≥ 1.0.5), and ours beside it.
    assert.equal(res.json.data.version, '1.4.3');
    assert.equal(res.json.data.server, 'komari-ts');
    assert.equal(res.json.data.server_version, '0.1.0');
    assert.equal(typeof res.json.data.hash, 'string');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('common:getVersion returns the same object as /api/version', async () => {
    const rest = await http(s.url, '/api/version');
    const r = await rpc(s.url, 'common:getVersion');
    assert.equal(r.error, undefined);
    assert.deepEqual(r.result, rest.json.data);
  });

  it('GET /api/public has every seed field with the seed JSON types, plus the newer keys', async () => {
    const res = await http(s.url, '/api/public');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.json).sort(), ['data', 'message', 'status']);
    assert.equal(res.json.status, 'success');
    assert.equal(res.json.message, '');
    const data = res.json.data as Record<string, unknown>;
    for (const [key, type] of Object.entries(seedPublicTypes)) {
      assert.ok(Object.hasOwn(data, key), `missing ${key}`);
      assert.equal(typeof data[key], type, `${key} should be a ${type}`);
    }
    assert.ok(data.theme_settings !== null && !Array.isArray(data.theme_settings), 'theme_settings is a plain object');
    assert.ok(Number.isInteger(data.record_preserve_time));
  });

  it('a fresh /api/public carries the declared defaults', async () => {
    const { json } = await http(s.url, '/api/public');
    assert.equal(json.data.sitename, 'Komari');
    assert.equal(json.data.description, 'A simple server monitor tool.');
    assert.equal(json.data.theme, 'default');
    // nothing saved: only the built-in manifest's selector, resolved to a list (themes.md §7)
    assert.deepEqual(json.data.theme_settings, { featured_nodes: [] });
    assert.equal(json.data.oauth_provider, 'github');
    assert.equal(json.data.oauth_enable, false);
    assert.equal(json.data.private_site, false);
    assert.equal(json.data.cors_origin_check_enabled, true);
    assert.equal(json.data.allow_cors, false);
    assert.equal(json.data.visitor_audit_enabled, false);
    assert.equal(json.data.record_enabled, true);
    assert.equal(json.data.custom_head, '');
    assert.equal(json.data.custom_body, '');
  });

  it('common:getPublicInfo returns the same object as /api/public', async () => {
    const rest = await http(s.url, '/api/public');
    const r = await rpc(s.url, 'common:getPublicInfo');
    assert.equal(r.error, undefined);
    assert.deepEqual(r.result, rest.json.data);
  });

  it('/api/public and common:getPublicInfo reflect saved settings', async () => {
    const saved = await http(s.url, '/api/admin/settings', {
      method: 'POST',
      cookie: admin,
      body: { sitename: 'My Fleet', description: 'd', custom_head: '<style></style>', custom_body: '<b>x</b>' },
    });
    assert.equal(saved.status, 200, saved.text);
    const theme = await http(s.url, '/api/admin/theme/settings?theme=default', { method: 'POST', cookie: admin, body: { a: 1 } });
    assert.equal(theme.status, 200, theme.text);
    const { json } = await http(s.url, '/api/public');
    const expected = { sitename: 'My Fleet', description: 'd', custom_head: '<style></style>', custom_body: '<b>x</b>', theme_settings: { a: 1, featured_nodes: [] } };
    for (const [k, v] of Object.entries(expected)) assert.deepEqual(json.data[k], v, k);
    const r = await rpc(s.url, 'common:getPublicInfo');
    for (const [k, v] of Object.entries(expected)) assert.deepEqual(r.result[k], v, k);
  });

  it('record_preserve_time and ping_record_preserve_time are the longest keepHours of history_retention', async () => {
    const saved = await http(s.url, '/api/admin/settings', {
      method: 'POST',
      cookie: admin,
      body: { history_retention: [{ bucketSeconds: 60, keepHours: 24 }, { bucketSeconds: 3600, keepHours: 720 }] },
    });
    assert.equal(saved.status, 200, saved.text);
    const { json } = await http(s.url, '/api/public');
    assert.equal(json.data.record_preserve_time, 720);
    assert.equal(json.data.ping_record_preserve_time, 720);
    assert.equal(json.data.record_enabled, true);

    await http(s.url, '/api/admin/settings', { method: 'POST', cookie: admin, body: { history_retention: [{ bucketSeconds: 60, keepHours: 48 }] } });
    const again = await http(s.url, '/api/public');
    assert.equal(again.json.data.record_preserve_time, 48);
  });

  it('allow_cors reports true when the origin check is off or the allow-list has *', async () => {
    await http(s.url, '/api/admin/settings', { method: 'POST', cookie: admin, body: { cors_allowed_origins: 'a.example, *' } });
    assert.equal((await http(s.url, '/api/public')).json.data.allow_cors, true);
    await http(s.url, '/api/admin/settings', { method: 'POST', cookie: admin, body: { cors_allowed_origins: '', cors_origin_check_enabled: false } });
    const { json } = await http(s.url, '/api/public');
    assert.equal(json.data.allow_cors, true);
    assert.equal(json.data.cors_origin_check_enabled, false);
    await http(s.url, '/api/admin/settings', { method: 'POST', cookie: admin, body: { cors_origin_check_enabled: true } });
    assert.equal((await http(s.url, '/api/public')).json.data.allow_cors, false);
  });

  it('oauth_enable, disable_password_login and visitor_audit_enabled come from their settings', async () => {
    await http(s.url, '/api/admin/settings', {
      method: 'POST',
      cookie: admin,
      body: { o_auth_enabled: true, o_auth_provider: 'generic', visitor_audit_enabled: true, theme: 'Mochi', disable_password_login: true },
    });
    const { json } = await http(s.url, '/api/public');
    assert.equal(json.data.oauth_enable, true);
    assert.equal(json.data.oauth_provider, 'generic');
    assert.equal(json.data.visitor_audit_enabled, true);
    assert.equal(json.data.theme, 'Mochi');
    assert.equal(json.data.disable_password_login, true);
  });
});

describe('Cache-Control and unmatched routes', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.dispose());

  it('/api responses carry Cache-Control: no-store, success and handler errors alike', async () => {
    assert.equal((await http(s.url, '/api/public')).headers.get('cache-control'), 'no-store');
    assert.equal((await http(s.url, '/api/me')).headers.get('cache-control'), 'no-store');
    const badLogin = await http(s.url, '/api/login', { method: 'POST', body: { username: 'admin', password: 'wrong-password' } });
    assert.equal(badLogin.status, 401);
    assert.equal(badLogin.headers.get('cache-control'), 'no-store');
    const badBody = await http(s.url, '/api/login', { method: 'POST', body: '{not json' });
    assert.equal(badBody.status, 400);
    assert.equal(badBody.headers.get('cache-control'), 'no-store');
  });

  it('the admin role gate 401 carries Cache-Control: no-store (it runs after the no-store step)', async () => {
    const res = await http(s.url, '/api/admin/settings');
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, { status: 'error', message: 'Unauthorized.' });
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('/ping has no Cache-Control', async () => {
    const res = await http(s.url, '/ping');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), null);
  });

  it('an unknown non-GET route answers 404 with an empty body', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await http(s.url, '/api/nope', { method, body: '{}' });
      assert.equal(res.status, 404, method);
      assert.equal(res.text, '', method);
    }
  });

  it('a registered GET route is not answered for other methods (no 405)', async () => {
    const res = await http(s.url, '/api/public', { method: 'POST', body: '{}' });
    assert.equal(res.status, 404);
    assert.equal(res.text, '');
  });
});
