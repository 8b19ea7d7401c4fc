import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { http, sessionCookieOf, startTestServer, type HttpResult, type TestServer } from './helpers/server.ts';

const unauthorized = { status: 'error', message: 'Unauthorized.' };
const guest = { logged_in: false, username: 'Guest' };
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function login(s: TestServer, username: string, password: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return http(s.url, '/api/login', { method: 'POST', body: { username, password }, headers });
}

function bearer(value: string): { headers: Record<string, string> } {
  return { headers: { authorization: value } };
}

const apiKey = 'sessions-outB5bLcyqGC_BYvamgxX-nE5KHK';

async function setApiKey(s: TestServer, cookie: string, key: string): Promise<void> {
  const res = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { api_key: key } });
  assert.equal(res.status, 200, res.text);
}

describe('GET /api/me and the API key', () => {
  let s: TestServer;
  let cookie: string;
  before(async () => {
    s = await startTestServer();
    cookie = await s.login();
  });
  after(() => s.dispose());

  it('a guest gets exactly {logged_in:false, username:"Guest"} with no envelope', async () => {
    const res = await http(s.url, '/api/me');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, guest);
    assert.deepEqual(Object.keys(res.json).sort(), ['logged_in', 'username']);
  });

  it('a session gets exactly the seed’s six fields with the seed’s types', async () => {
    const res = await http(s.url, '/api/me', { cookie });
    assert.deepEqual(Object.keys(res.json).sort(), ['2fa_enabled', 'logged_in', 'sso_id', 'sso_type', 'username', 'uuid']);
    assert.equal(res.json['2fa_enabled'], false);
    assert.equal(res.json.logged_in, true);
    assert.equal(res.json.sso_id, '');
    assert.equal(res.json.sso_type, '');
    assert.equal(res.json.username, 'admin');
    assert.match(res.json.uuid, uuidShape);
  });

  it('with no API key set, "Bearer " with an empty key opens no admin route', async () => {
    const res = await http(s.url, '/api/admin/session/get', bearer('Bearer '));
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, unauthorized);
  });

  it('a valid API key opens /api/admin/* with Authorization: Bearer <key>, but /api/me still answers the guest shape', async () => {
    const key = apiKey;
    await setApiKey(s, cookie, key);
    const admin = await http(s.url, '/api/admin/session/get', bearer(`Bearer ${key}`));
    assert.equal(admin.status, 200);
    assert.equal(admin.json.status, 'success');
    assert.equal(admin.json.current, '');
    const me = await http(s.url, '/api/me', bearer(`Bearer ${key}`));
    assert.deepEqual(me.json, guest);
  });

  it('the API key wins over a session cookie, so /api/me with both answers the guest shape', async () => {
    const me = await http(s.url, '/api/me', { cookie, ...bearer(`Bearer ${apiKey}`) });
    assert.deepEqual(me.json, guest);
  });

  it('a wrong key, a lower-case "bearer", an extra space or a bare key open no admin route', async () => {
    // (Trailing whitespace is not tested: HTTP parsers, Go's included, strip it from header values.)
    const key = apiKey;
    for (const value of [`Bearer ${apiKey.slice(0, -1)}X`, `bearer ${key}`, `BEARER ${key}`, `Bearer  ${key}`, key, `Basic ${key}`]) {
      const res = await http(s.url, '/api/admin/session/get', bearer(value));
      assert.equal(res.status, 401, JSON.stringify(value));
      assert.deepEqual(res.json, unauthorized);
    }
  });

  it('an agent-style ?token= does not carry the API key', async () => {
    const res = await http(s.url, `/api/admin/session/get?token=${apiKey}`);
    assert.equal(res.status, 401);
  });
});

describe('GET /api/logout', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.dispose());

  it('answers 302 to / and clears the cookie with Max-Age=0 and the login attributes', async () => {
    const cookie = await s.login();
    const res = await http(s.url, '/api/logout', { cookie });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/');
    assert.deepEqual(res.headers.getSetCookie(), ['session_token=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax']);
  });

  it('ends the session on the server: the old cookie is a guest afterwards, other sessions live on', async () => {
    const ended = await s.login();
    const other = await s.login();
    await http(s.url, '/api/logout', { cookie: ended });
    assert.deepEqual((await http(s.url, '/api/me', { cookie: ended })).json, guest);
    const denied = await http(s.url, '/api/admin/session/get', { cookie: ended });
    assert.equal(denied.status, 401);
    assert.deepEqual(denied.json, unauthorized);
    const alive = await http(s.url, '/api/admin/session/get', { cookie: other });
    assert.equal(alive.status, 200);
    assert.ok(!alive.json.data.some((x: { session: string }) => x.session === ended));
  });

  it('without a cookie still answers 302 to /', async () => {
    const res = await http(s.url, '/api/logout');
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/');
  });

  it('is audited as "logged out" of type logout with an empty uuid', async () => {
    const cookie = await s.login();
    const logs = await http(s.url, '/api/admin/logs', { cookie });
    const entry = logs.json.data.logs.find((l: { message: string }) => l.message === 'logged out');
    assert.ok(entry);
    assert.equal(entry.msg_type, 'logout');
    assert.equal(entry.uuid, '');
    assert.equal(entry.ip, '127.0.0.1');
  });
});

describe('admin sessions', () => {
  let s: TestServer;
  let a: string;
  let b: string;
  before(async () => {
    s = await startTestServer();
    a = sessionCookieOf((await login(s, 'admin', s.adminPassword, { 'user-agent': 'browser-a' })).headers);
    b = sessionCookieOf((await login(s, 'admin', s.adminPassword, { 'user-agent': 'browser-b' })).headers);
  });
  after(() => s.dispose());

  const list = (cookie: string) => http(s.url, '/api/admin/session/get', { cookie });
  const remove = (cookie: string, body: unknown) => http(s.url, '/api/admin/session/remove', { method: 'POST', cookie, body });

  it('session/get is flat: status, current = the caller’s token, data = one entry per login', async () => {
    const res = await list(a);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.json).sort(), ['current', 'data', 'status']);
    assert.equal(res.json.status, 'success');
    assert.equal(res.json.current, a);
    assert.deepEqual(res.json.data.map((x: { session: string }) => x.session).sort(), [a, b].sort());
    assert.equal((await list(b)).json.current, b);
  });

  it('each session object has Komari’s ten keys, its login details and a 30-day expiry', async () => {
    const me = await http(s.url, '/api/me', { cookie: a });
    const entry = (await list(a)).json.data.find((x: { session: string }) => x.session === b);
    const keys = ['created_at', 'expires', 'ip', 'latest_ip', 'latest_online', 'latest_user_agent', 'login_method', 'session', 'user_agent', 'uuid'];
    assert.deepEqual(Object.keys(entry).sort(), keys);
    assert.equal(entry.uuid, me.json.uuid);
    assert.equal(entry.user_agent, 'browser-b');
    assert.equal(entry.ip, '127.0.0.1');
    assert.equal(entry.login_method, 'password');
    for (const k of ['latest_online', 'expires', 'created_at']) assert.ok(!Number.isNaN(Date.parse(entry[k])), k);
    assert.equal(Date.parse(entry.expires) - Date.parse(entry.created_at), 30 * 24 * 3600 * 1000);
  });

  it('every request refreshes the session’s latest user agent but not the one it logged in with', async () => {
    await http(s.url, '/api/me', { cookie: b, headers: { 'user-agent': 'browser-b-updated' } });
    const entry = (await list(a)).json.data.find((x: { session: string }) => x.session === b);
    assert.equal(entry.latest_user_agent, 'browser-b-updated');
    assert.equal(entry.user_agent, 'browser-b');
  });

  it('an expired session counts as a guest and is deleted', async () => {
    const c = await s.login();
    const db = new DatabaseSync(s.dbPath);
    try {
      db.prepare('UPDATE sessions SET expires = ? WHERE session = ?').run(Date.now() - 1000, c);
    } finally {
      db.close();
    }
    assert.deepEqual((await http(s.url, '/api/me', { cookie: c })).json, guest);
    assert.equal((await list(c)).status, 401);
    assert.ok(!(await list(a)).json.data.some((x: { session: string }) => x.session === c));
  });

  it('session/remove without a session answers 400 "session is required"', async () => {
    for (const body of [{}, { session: '' }]) {
      const res = await remove(a, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.deepEqual(res.json, { status: 'error', message: 'session is required' });
    }
    assert.equal((await list(a)).json.data.length, 2);
  });

  it('session/remove of an unknown token succeeds and ends nothing', async () => {
    const res = await remove(a, { session: 'x'.repeat(32) });
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'success');
    assert.equal((await list(a)).json.data.length, 2);
  });

  it('session/remove ends that session only', async () => {
    const res = await remove(a, { session: b });
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'success');
    assert.equal((await list(b)).status, 401);
    assert.deepEqual((await http(s.url, '/api/me', { cookie: b })).json, guest);
    const after = await list(a);
    assert.deepEqual(after.json.data.map((x: { session: string }) => x.session), [a]);
  });

  it('session/remove/all ends every session, the caller’s included', async () => {
    const c = await s.login();
    const res = await http(s.url, '/api/admin/session/remove/all', { method: 'POST', cookie: a });
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'success');
    for (const cookie of [a, c]) assert.equal((await list(cookie)).status, 401);
    const fresh = await s.login();
    assert.deepEqual((await list(fresh)).json.data.map((x: { session: string }) => x.session), [fresh]);
  });
});

describe('POST /api/admin/update/user', () => {
  let s: TestServer;
  let uuid: string;
  let password: string;
  before(async () => {
    s = await startTestServer();
    password = s.adminPassword;
    uuid = (await http(s.url, '/api/me', { cookie: await s.login() })).json.uuid;
  });
  after(() => s.dispose());

  const update = (cookie: string, body: unknown) => http(s.url, '/api/admin/update/user', { method: 'POST', cookie, body });
  async function cookieFor(username: string, pw: string): Promise<string> {
    const res = await login(s, username, pw);
    assert.equal(res.status, 200, res.text);
    return sessionCookieOf(res.headers);
  }

  it('a new password (with the current one) answers {status, message, data:{uuid}} and ends every session', async () => {
    const one = await cookieFor('admin', password);
    const two = await cookieFor('admin', password);
    const res = await update(one, { uuid, password: 'Changed-Pass-2', old_password: password });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { status: 'success', message: '', data: { uuid } });
    for (const cookie of [one, two]) assert.equal((await http(s.url, '/api/admin/session/get', { cookie })).status, 401);
    assert.equal((await login(s, 'admin', password)).status, 401);
    password = 'Changed-Pass-2';
    await cookieFor('admin', password);
  });

  it('a wrong old_password (komari-ts) answers 400 and changes nothing; the right one is accepted', async () => {
    const cookie = await cookieFor('admin', password);
    const wrong = await update(cookie, { uuid, password: 'Another-Pass-4', old_password: 'not-it' });
    assert.equal(wrong.status, 400);
    assert.deepEqual(wrong.json, { status: 'error', message: 'Current password is wrong' });
    assert.equal((await http(s.url, '/api/admin/session/get', { cookie })).status, 200);
    const right = await update(cookie, { uuid, password: 'Another-Pass-4', old_password: password });
    assert.equal(right.status, 200, right.text);
    password = 'Another-Pass-4';
    await cookieFor('admin', password);
  });

  it('a password shorter than 6 bytes answers 400 and changes nothing', async () => {
    const cookie = await cookieFor('admin', password);
    const res = await update(cookie, { uuid, password: 'abcde' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { status: 'error', message: 'Password must be at least 6 characters long' });
    assert.equal((await http(s.url, '/api/admin/session/get', { cookie })).status, 200);
    await cookieFor('admin', password);
  });

  it('a missing uuid or a body that is not JSON answers 400 and changes nothing', async () => {
    const cookie = await cookieFor('admin', password);
    for (const body of [{ password: 'Another-Pass-3' }, '{"uuid":', 'password=Another-Pass-3']) {
      const res = await update(cookie, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.status, 'error');
      assert.match(res.json.message, /^Invalid or missing request body/);
    }
    assert.equal((await http(s.url, '/api/admin/session/get', { cookie })).status, 200);
    await cookieFor('admin', password);
  });

  it('neither username nor password answers 400', async () => {
    const res = await update(await cookieFor('admin', password), { uuid });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { status: 'error', message: 'At least one field (username or password) must be provided' });
  });

  it('a rename keeps the sessions and the new name logs in; a name under 3 bytes is refused', async () => {
    const cookie = await cookieFor('admin', password);
    const short = await update(cookie, { uuid, username: 'ab' });
    assert.equal(short.status, 400);
    assert.deepEqual(short.json, { status: 'error', message: 'Username must be at least 3 characters long' });
    const res = await update(cookie, { uuid, username: 'root' });
    assert.deepEqual(res.json, { status: 'success', message: '', data: { uuid } });
    const me = await http(s.url, '/api/me', { cookie });
    assert.equal(me.json.username, 'root');
    assert.equal((await login(s, 'admin', password)).status, 401);
    await cookieFor('root', password);
  });

  it('password length counts bytes, as Komari does: two CJK characters (6 bytes) are accepted', async () => {
    const cookie = await cookieFor('root', password);
    const res = await update(cookie, { uuid, password: '密码', old_password: password });
    assert.equal(res.status, 200, res.text);
    await cookieFor('root', '密码');
  });
});
