import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from './helpers/clock.ts';
import { auditMessages, configureOAuth, rawSetCookie, sendJson, setCookies, startFakeProvider, startLogin, withCookies, type FakeProvider } from './helpers/oauth.ts';
import { http, startWithAdmin, type TestServer, type TestServerOptions } from './helpers/server.ts';

const githubUserId = 583231;

/** GitHub's token and user endpoints: code `good` belongs to user 583231, `other` to 777. */
function fakeGithub(): Promise<FakeProvider> {
  return startFakeProvider((req, res) => {
    if (req.method === 'POST' && req.url.pathname === '/login/oauth/access_token') {
      const ok = req.url.searchParams.get('client_id') === 'gh-id' && req.url.searchParams.get('client_secret') === 'gh-secret-value';
      const code = req.url.searchParams.get('code');
      if (!ok || (code !== 'good' && code !== 'other')) return sendJson(res, 200, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
      return sendJson(res, 200, { access_token: `tok-${code}`, token_type: 'bearer' });
    }
    if (req.method === 'GET' && req.url.pathname === '/user') {
      const auth = req.headers.authorization;
      if (auth === 'Bearer tok-good') return sendJson(res, 200, { id: githubUserId, login: 'octo' });
      if (auth === 'Bearer tok-other') return sendJson(res, 200, { id: 777, login: 'someone' });
      return sendJson(res, 401, { message: 'Bad credentials' });
    }
    sendJson(res, 404, {});
  });
}

/** Columns of the (only) account, written as an import from Komari would leave them. */
function setAccount(s: TestServer, values: Record<string, string>): void {
  const db = new DatabaseSync(s.dbPath);
  try {
    for (const [col, v] of Object.entries(values)) db.prepare(`UPDATE accounts SET ${col} = ?`).run(v);
  } finally {
    db.close();
  }
}

describe('OAuth with the github provider (against a local stand-in for GitHub)', () => {
  let s: TestServer;
  let admin: string;
  let gh: FakeProvider;
  before(async () => {
    gh = await fakeGithub();
    ({ s, cookie: admin } = await startWithAdmin({ oauthEndpoints: { githubWeb: gh.url, githubApi: gh.url } }));
  });
  after(async () => {
    await s.dispose();
    await gh.close();
  });

  it('GET /api/oauth with OAuth off is 403 with Komari’s exact body', async () => {
    const res = await http(s.url, '/api/oauth');
    assert.equal(res.status, 403);
    assert.equal(res.text, '{"status":"error","error":"OAuth is not enabled"}');
  });

  it('GET /api/oauth with OAuth on is a 302 to GitHub’s authorize URL with an HttpOnly oauth_state cookie', async () => {
    await configureOAuth(s, admin, 'github', { client_id: 'gh-id', client_secret: 'gh-secret-value' });
    const { res, state, location } = await startLogin(s);
    assert.match(state, /^[0-9A-Za-z]{16}$/);
    assert.equal(rawSetCookie(res, 'oauth_state'), `oauth_state=${state}; Path=/; Max-Age=3600; HttpOnly`);
    assert.equal(location.origin + location.pathname, `${gh.url}/login/oauth/authorize`);
    assert.deepEqual([...location.searchParams], [['client_id', 'gh-id'], ['state', state], ['scope', 'user:email']]);
  });

  it('an external account bound to nobody is 401 with Komari’s message, and no session is made', async () => {
    const { state } = await startLogin(s);
    const res = await withCookies(s, `/api/oauth_callback?code=good&state=${state}`, { oauth_state: state });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, { status: 'error', message: 'please log in and bind your external account first.' });
    assert.equal(setCookies(res).session_token, undefined);
    assert.equal(setCookies(res).oauth_state, '');
  });

  it('binding with a session: bind sets the cookie and sends to /api/oauth; the callback stores github_<id> and audits it', async () => {
    const bind = await http(s.url, '/api/admin/oauth2/bind', { cookie: admin });
    assert.equal(bind.status, 302);
    assert.equal(bind.headers.get('location'), '/api/oauth');
    const me = await http(s.url, '/api/me', { cookie: admin });
    assert.equal(rawSetCookie(bind, 'binding_external_account'), `binding_external_account=${me.json.uuid}; Path=/; Max-Age=3600; HttpOnly`);
    const flow = { session_token: admin, binding_external_account: me.json.uuid as string };
    const { state } = await startLogin(s, flow);
    const cb = await withCookies(s, `/api/oauth_callback?code=good&state=${state}`, { ...flow, oauth_state: state });
    assert.equal(cb.status, 302, cb.text);
    assert.equal(cb.headers.get('location'), '/admin/dashboard');
    assert.equal(setCookies(cb).binding_external_account, '');
    const after = await http(s.url, '/api/me', { cookie: admin });
    assert.equal(after.json.sso_id, `github_${githubUserId}`);
    assert.ok((await auditMessages(s, admin)).includes(`bound external account (OAuth),sso_id: github_${githubUserId}`));
  });

  it('a binding cookie that was not there when the state was issued does not bind', async () => {
    const me = await http(s.url, '/api/me', { cookie: admin });
    const { state } = await startLogin(s, { session_token: admin });
    const cb = await withCookies(s, `/api/oauth_callback?code=other&state=${state}`, { session_token: admin, binding_external_account: me.json.uuid, oauth_state: state });
    assert.equal(cb.status, 500);
    assert.deepEqual(cb.json, { status: 'error', message: 'Binding failed' });
    assert.equal((await http(s.url, '/api/me', { cookie: admin })).json.sso_id, `github_${githubUserId}`);
  });

  it('a bound account logs in through the callback: session cookie, 302 /admin/dashboard, login_method oauth, audited', async () => {
    const { state } = await startLogin(s);
    const cb = await withCookies(s, `/api/oauth_callback?code=good&state=${state}`, { oauth_state: state });
    assert.equal(cb.status, 302, cb.text);
    assert.equal(cb.headers.get('location'), '/admin/dashboard');
    const token = setCookies(cb).session_token!;
    assert.match(token, /^[0-9A-Za-z]{32}$/);
    assert.equal(rawSetCookie(cb, 'session_token'), `session_token=${token}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax`);
    const me = await http(s.url, '/api/me', { cookie: token });
    assert.equal(me.json.logged_in, true);
    assert.equal(me.json.sso_id, `github_${githubUserId}`);
    const sessions = await http(s.url, '/api/admin/session/get', { cookie: token });
    const mine = (sessions.json.data as { session: string; login_method: string }[]).find((x) => x.session === token);
    assert.equal(mine?.login_method, 'oauth');
    assert.ok((await auditMessages(s, admin)).includes('logged in (OAuth)'));
  });

  it('OAuth login skips 2FA and works with password login disabled, as in Komari', async () => {
    const me = await http(s.url, '/api/me', { cookie: admin });
    setAccount(s, { sso_id: `github_${githubUserId}`, two_factor: 'JBSWY3DPEHPK3PXP' });
    await http(s.url, '/api/admin/settings/', { method: 'POST', cookie: admin, body: { disable_password_login: true } });
    try {
      assert.equal((await http(s.url, '/api/login', { method: 'POST', body: { username: 'admin', password: s.adminPassword } })).status, 403);
      const { state } = await startLogin(s);
      const cb = await withCookies(s, `/api/oauth_callback?code=good&state=${state}`, { oauth_state: state });
      assert.equal(cb.status, 302, cb.text);
      const who = await http(s.url, '/api/me', { cookie: setCookies(cb).session_token });
      assert.equal(who.json.uuid, me.json.uuid);
      assert.equal(who.json['2fa_enabled'], true);
    } finally {
      await http(s.url, '/api/admin/settings/', { method: 'POST', cookie: admin, body: { disable_password_login: false } });
      setAccount(s, { two_factor: '' });
    }
  });

  it('on a private site a guest still reaches /api/oauth and /api/oauth_callback', async () => {
    await http(s.url, '/api/admin/settings/', { method: 'POST', cookie: admin, body: { private_site: true } });
    try {
      const { state } = await startLogin(s);
      const cb = await withCookies(s, `/api/oauth_callback?code=good&state=${state}`, { oauth_state: state });
      assert.equal(cb.status, 302, cb.text);
    } finally {
      await http(s.url, '/api/admin/settings/', { method: 'POST', cookie: admin, body: { private_site: false } });
    }
  });

  it('the client secret never appears in an error answer or the audit log', async () => {
    const { state } = await startLogin(s);
    const cb = await withCookies(s, `/api/oauth_callback?code=wrong&state=${state}`, { oauth_state: state });
    assert.equal(cb.status, 500);
    assert.match(cb.json.error, /^Failed to get user info: no access token: The code passed is incorrect/);
    const logs = await auditMessages(s, admin);
    assert.ok(logs.some((m) => m.startsWith('OAuth login failed (github)')));
    assert.ok(!logs.some((m) => m.includes('gh-secret-value')));
  });

  it('a forged state (cookie and query agree, but the server never issued it) is refused with 400 Invalid state', async () => {
    const res = await withCookies(s, '/api/oauth_callback?code=good&state=forgedforgedforg', { oauth_state: 'forgedforgedforg' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { status: 'error', error: 'Invalid state' });
    assert.equal(setCookies(res).session_token, undefined);
  });

  it('a query state that differs from the cookie is refused', async () => {
    const { state } = await startLogin(s);
    const res = await withCookies(s, '/api/oauth_callback?code=good&state=somethingelse123', { oauth_state: state });
    assert.equal(res.status, 400);
    assert.equal(res.json.error, 'Invalid state');
  });

  it('a state is single-use: replaying a successful callback is refused', async () => {
    const { state } = await startLogin(s);
    const first = await withCookies(s, `/api/oauth_callback?code=good&state=${state}`, { oauth_state: state });
    assert.equal(first.status, 302);
    const replay = await withCookies(s, `/api/oauth_callback?code=good&state=${state}`, { oauth_state: state });
    assert.equal(replay.status, 400);
    assert.equal(replay.json.error, 'Invalid state');
    assert.equal(setCookies(replay).session_token, undefined);
  });

  it('unbind clears sso_id; the external account then logs in to nothing', async () => {
    const un = await http(s.url, '/api/admin/oauth2/unbind', { method: 'POST', cookie: admin });
    assert.deepEqual(un.json, { status: 'success', message: '' });
    const me = await http(s.url, '/api/me', { cookie: admin });
    assert.equal(me.json.sso_id, '');
    const { state } = await startLogin(s);
    const cb = await withCookies(s, `/api/oauth_callback?code=good&state=${state}`, { oauth_state: state });
    assert.equal(cb.status, 401);
  });

  it('binding without a session: an API key gets Komari’s 500 "No user found", a guest 401, a forged binding cookie "Binding failed"', async () => {
    const key = randomBytes(24).toString('base64url');
    assert.equal((await http(s.url, '/api/admin/settings/', { method: 'POST', cookie: admin, body: { api_key: key } })).status, 200);
    const withKey = await http(s.url, '/api/admin/oauth2/bind', { headers: { authorization: `Bearer ${key}` } });
    assert.equal(withKey.status, 500);
    assert.deepEqual(withKey.json, { status: 'error', message: 'No user found: record not found' });
    const unbindKey = await http(s.url, '/api/admin/oauth2/unbind', { method: 'POST', headers: { authorization: `Bearer ${key}` } });
    assert.equal(unbindKey.status, 500);
    const guest = await http(s.url, '/api/admin/oauth2/bind');
    assert.equal(guest.status, 401);
    // A guest who plants a binding cookie naming the admin cannot bind their GitHub account to it.
    const me = await http(s.url, '/api/me', { cookie: admin });
    const { state } = await startLogin(s, { binding_external_account: me.json.uuid });
    const cb = await withCookies(s, `/api/oauth_callback?code=other&state=${state}`, { oauth_state: state, binding_external_account: me.json.uuid });
    assert.equal(cb.status, 500);
    assert.deepEqual(cb.json, { status: 'error', message: 'Binding failed' });
    assert.equal((await http(s.url, '/api/me', { cookie: admin })).json.sso_id, '');
  });
});

/** A server whose GitHub is the local stand-in, with the github provider configured and on. */
async function githubServer(opts: TestServerOptions = {}): Promise<{ s: TestServer; admin: string; gh: FakeProvider; close(): Promise<void> }> {
  const gh = await fakeGithub();
  const { s, cookie: admin } = await startWithAdmin({ ...opts, oauthEndpoints: { githubWeb: gh.url, githubApi: gh.url } });
  await configureOAuth(s, admin, 'github', { client_id: 'gh-id', client_secret: 'gh-secret-value' });
  return {
    s,
    admin,
    gh,
    async close() {
      await s.dispose();
      await gh.close();
    },
  };
}

describe('OAuth states expire and failed callbacks are rate-limited', () => {
  let s: TestServer;
  let gh: FakeProvider;
  let close: () => Promise<void>;
  const clock = new ManualClock(Date.now());
  before(async () => {
    ({ s, gh, close } = await githubServer({
      clock,
      limits: { oauth: { stateTtlMs: 60_000, maxPendingStates: 3, perIp: { maxFailures: 3, windowMs: 60_000 } } },
    }));
  });
  after(() => close());

  it('a state used after its TTL is refused even with matching cookie and query', async () => {
    const { state } = await startLogin(s);
    clock.advance(60_001);
    const res = await withCookies(s, `/api/oauth_callback?code=good&state=${state}`, { oauth_state: state });
    assert.equal(res.status, 400);
    assert.equal(res.json.error, 'Invalid state');
    assert.equal(gh.seen.filter((r) => r.url.pathname === '/login/oauth/access_token').length, 0);
  });

  it('at most maxPendingStates wait: a flood of /api/oauth drops the oldest state', async () => {
    const first = await startLogin(s);
    const rest = [];
    for (let i = 0; i < 3; i++) rest.push(await startLogin(s));
    const dropped = await withCookies(s, `/api/oauth_callback?code=good&state=${first.state}`, { oauth_state: first.state });
    assert.equal(dropped.status, 400);
    assert.equal(dropped.json.error, 'Invalid state');
    const kept = rest.at(-1)!;
    const ok = await withCookies(s, `/api/oauth_callback?code=good&state=${kept.state}`, { oauth_state: kept.state });
    assert.equal(ok.status, 401, 'a recent state still reaches the exchange (the account is unbound)');
  });

  it('after the allowed failures per IP the callback answers 429 with Retry-After, even for a valid state', async () => {
    clock.advance(120_000);
    for (let i = 0; i < 3; i++) {
      const bad = await withCookies(s, '/api/oauth_callback?code=good&state=x', { oauth_state: 'y' });
      assert.equal(bad.status, 400);
    }
    const { state } = await startLogin(s);
    const limited = await withCookies(s, `/api/oauth_callback?code=good&state=${state}`, { oauth_state: state });
    assert.equal(limited.status, 429);
    assert.match(limited.json.error, /^Too many failed OAuth attempts, try again in \d+ seconds$/);
    assert.equal(limited.headers.get('retry-after'), '60');
    clock.advance(60_001);
    const { state: again } = await startLogin(s);
    const allowed = await withCookies(s, `/api/oauth_callback?code=good&state=${again}`, { oauth_state: again });
    assert.equal(allowed.status, 401, 'the window passed: the callback runs again (and the account is unbound)');
  });
});

/** GET /api/oauth from a chosen loopback address (every 127.x.y.z reaches 127.0.0.1 on Linux): the issued state. */
function startLoginFrom(s: TestServer, localAddress: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(`${s.url}/api/oauth`, { localAddress }, (res) => {
      res.resume();
      const cookie = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('oauth_state='));
      if (res.statusCode !== 302 || !cookie) reject(new Error(`/api/oauth answered ${res.statusCode}`));
      else resolve(cookie.slice('oauth_state='.length).split(';')[0]!);
    }).on('error', reject);
  });
}

describe('a flood of /api/oauth from one address drops only its own states', () => {
  let s: TestServer;
  let close: () => Promise<void>;
  before(async () => {
    ({ s, close } = await githubServer({ limits: { oauth: { maxPendingStates: 4 } } }));
  });
  after(() => close());

  it('the admin’s pending login survives 20 states issued to another address while it is at the provider', async () => {
    const admins = await startLoginFrom(s, '127.0.0.2');
    const others = await startLoginFrom(s, '127.0.0.4');
    const flood: string[] = [];
    for (let i = 0; i < 20; i++) flood.push(await startLoginFrom(s, '127.0.0.3'));
    for (const state of [admins, others]) {
      const res = await withCookies(s, `/api/oauth_callback?code=good&state=${state}`, { oauth_state: state });
      assert.equal(res.status, 401, `the state reaches the exchange (the account is unbound): ${res.text}`);
    }
    // the flooder's newest state is kept, its oldest are gone
    const newest = await withCookies(s, `/api/oauth_callback?code=good&state=${flood.at(-1)}`, { oauth_state: flood.at(-1)! });
    assert.equal(newest.status, 401);
    const oldest = await withCookies(s, `/api/oauth_callback?code=good&state=${flood[0]}`, { oauth_state: flood[0]! });
    assert.equal(oldest.json.error, 'Invalid state');
  });
});

describe('an OAuth login makes its address known-good, as a password login does (issue 12, hole 7)', () => {
  const windowMs = 10 * 60_000;
  let s: TestServer;
  let close: () => Promise<void>;
  before(async () => {
    // Behind a "proxy" at 127.0.0.1, so each request names its client in X-Forwarded-For.
    ({ s, close } = await githubServer({
      env: { KOMARI_TRUSTED_PROXIES: '127.0.0.1' },
      limits: { login: { perIp: { maxFailures: 3, windowMs }, perAccount: { maxFailures: 3, windowMs } } },
    }));
    setAccount(s, { sso_id: `github_${githubUserId}` });
  });
  after(() => close());

  const from = (ip: string, cookie = '') => ({ 'x-forwarded-for': ip, ...(cookie ? { cookie } : {}) });
  const passwordLogin = (ip: string, password: string) =>
    http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password }, headers: from(ip) });

  it('the address of an OAuth login passes the account lock that refuses a new address', async () => {
    const ssoIp = '192.0.2.20';
    const started = await http(s.url, '/api/oauth', { headers: from(ssoIp) });
    const state = setCookies(started).oauth_state;
    assert.ok(state, started.text);
    const cb = await http(s.url, `/api/oauth_callback?code=good&state=${state}`, { headers: from(ssoIp, `oauth_state=${state}`) });
    assert.equal(cb.status, 302, cb.text);
    for (let i = 1; i <= 3; i++) assert.equal((await passwordLogin(`198.51.100.${i}`, `wrong-${i}`)).status, 401);
    assert.equal((await passwordLogin('192.0.2.99', s.adminPassword)).status, 429, 'a new address meets the account lock');
    assert.equal((await passwordLogin(ssoIp, s.adminPassword)).status, 200, 'the OAuth login’s address is known-good');
  });
});

describe('GET /api/oauth is rate-limited per address (each start may make the server fetch from the provider)', () => {
  const clock = new ManualClock(Date.now());
  let s: TestServer;
  let close: () => Promise<void>;
  before(async () => {
    ({ s, close } = await githubServer({ clock, limits: { oauth: { startsPerIp: { maxFailures: 3, windowMs: 60_000 } } } }));
  });
  after(() => close());

  it('past the allowed starts the answer is 429 with Retry-After and no state; the window passing lets it start again', async () => {
    for (let i = 0; i < 3; i++) await startLogin(s);
    const limited = await http(s.url, '/api/oauth');
    assert.equal(limited.status, 429, limited.text);
    assert.match(limited.json.error, /^Too many OAuth logins started, try again in \d+ seconds$/);
    assert.equal(limited.headers.get('retry-after'), '60');
    assert.equal(setCookies(limited).oauth_state, undefined);
    clock.advance(60_001);
    assert.ok((await startLogin(s)).state);
  });
});
