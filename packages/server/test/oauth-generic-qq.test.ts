import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { goFormatValue } from '../src/oauth/providers/go-format.ts';
import { configureOAuth, sendJson, setCookies, startFakeProvider, startLogin, withCookies, type FakeProvider } from './helpers/oauth.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';

const publicUrl = 'https://status.example.test';
const callbackUrl = `${publicUrl}/api/oauth_callback`;

function setSsoId(s: TestServer, ssoId: string): void {
  const db = new DatabaseSync(s.dbPath);
  try {
    db.prepare('UPDATE accounts SET sso_id = ?').run(ssoId);
  } finally {
    db.close();
  }
}

/** Binds the admin through the whole flow and returns the sso_id it got. */
async function bind(s: TestServer, admin: string, query: (state: string) => string): Promise<string> {
  const me = await http(s.url, '/api/me', { cookie: admin });
  const flow = { session_token: admin, binding_external_account: me.json.uuid as string };
  const { state } = await startLogin(s, flow);
  const cb = await withCookies(s, `/api/oauth_callback?${query(state)}`, { ...flow, oauth_state: state });
  assert.equal(cb.status, 302, cb.text);
  return (await http(s.url, '/api/me', { cookie: admin })).json.sso_id;
}

describe('Go %v formatting of generic user ids', () => {
  it('prints numbers as Komari stored them: exponent form from 1e6 and below 1e-4', () => {
    assert.equal(goFormatValue(583231), '583231');
    assert.equal(goFormatValue(999999), '999999');
    assert.equal(goFormatValue(1000000), '1e+06');
    assert.equal(goFormatValue(1234567), '1.234567e+06');
    assert.equal(goFormatValue(123456789012), '1.23456789012e+11');
    assert.equal(goFormatValue(-1234567), '-1.234567e+06');
    assert.equal(goFormatValue(12.5), '12.5');
    assert.equal(goFormatValue(0.00001), '1e-05');
    assert.equal(goFormatValue('abc'), 'abc');
    assert.equal(goFormatValue(true), 'true');
    assert.equal(goFormatValue(null), undefined);
    assert.equal(goFormatValue({ a: 1 }), undefined);
  });
});

describe('OAuth with the generic provider (against a local OAuth 2 server)', () => {
  let s: TestServer;
  let admin: string;
  let idp: FakeProvider;
  let userInfo: Record<string, unknown> = { uid: 1234567 };
  before(async () => {
    idp = await startFakeProvider((req, res) => {
      if (req.method === 'POST' && req.url.pathname === '/token') {
        const form = new URLSearchParams(req.body);
        const ok = form.get('client_id') === 'gen-id' && form.get('client_secret') === 'gen-secret-value' && form.get('grant_type') === 'authorization_code';
        if (!ok || form.get('code') !== 'good' || form.get('redirect_uri') !== callbackUrl) return sendJson(res, 400, { error: 'invalid_grant' });
        return sendJson(res, 200, { access_token: 'gen-token', token_type: 'Bearer' });
      }
      if (req.url.pathname === '/userinfo' && req.headers.authorization === 'Bearer gen-token') return sendJson(res, 200, userInfo);
      sendJson(res, 404, {});
    });
    ({ s, cookie: admin } = await startWithAdmin({ env: { KOMARI_PUBLIC_URL: publicUrl } }));
    await configureOAuth(s, admin, 'generic', {
      client_id: 'gen-id',
      client_secret: 'gen-secret-value',
      auth_url: `${idp.url}/authorize`,
      token_url: `${idp.url}/token`,
      user_info_url: `${idp.url}/userinfo`,
      scope: 'openid profile',
      user_id_field: 'uid',
    });
  });
  after(async () => {
    await s.dispose();
    await idp.close();
  });

  it('/api/oauth redirects to auth_url with the callback built from KOMARI_PUBLIC_URL, whatever the Host header says', async () => {
    const res = await http(s.url, '/api/oauth', { headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } });
    assert.equal(res.status, 302);
    const state = setCookies(res).oauth_state!;
    const location = new URL(res.headers.get('location')!);
    assert.equal(location.origin + location.pathname, `${idp.url}/authorize`);
    assert.deepEqual(Object.fromEntries(location.searchParams), {
      client_id: 'gen-id', state, scope: 'openid profile', redirect_uri: callbackUrl, response_type: 'code',
    });
  });

  it('a numeric user id of 1e6 or more is stored in Komari’s %v form (generic_1.234567e+06)', async () => {
    userInfo = { uid: 1234567 };
    assert.equal(await bind(s, admin, (state) => `code=good&state=${state}`), 'generic_1.234567e+06');
  });

  it('a binding imported from Komari in that form logs in', async () => {
    setSsoId(s, 'generic_1.234567e+06');
    const { state } = await startLogin(s);
    const cb = await withCookies(s, `/api/oauth_callback?code=good&state=${state}`, { oauth_state: state });
    assert.equal(cb.status, 302, cb.text);
    assert.ok(setCookies(cb).session_token);
  });

  it('a small numeric id and a string id print plainly', async () => {
    userInfo = { uid: 583231 };
    assert.equal(await bind(s, admin, (state) => `code=good&state=${state}`), 'generic_583231');
    userInfo = { uid: 'user-42' };
    assert.equal(await bind(s, admin, (state) => `code=good&state=${state}`), 'generic_user-42');
  });

  it('user info without the configured field is refused with a clear error, not bound to "<nil>"', async () => {
    userInfo = { other: 1 };
    const { state } = await startLogin(s);
    const cb = await withCookies(s, `/api/oauth_callback?code=good&state=${state}`, { oauth_state: state });
    assert.equal(cb.status, 500);
    assert.equal(cb.json.error, 'Failed to get user info: the user info has no usable field "uid"');
  });

  it('a token endpoint error is reported without the client secret', async () => {
    const { state } = await startLogin(s);
    const cb = await withCookies(s, `/api/oauth_callback?code=bad&state=${state}`, { oauth_state: state });
    assert.equal(cb.status, 500);
    assert.match(cb.json.error, /^Failed to get user info: .*HTTP 400/);
    assert.doesNotMatch(cb.text, /gen-secret-value/);
  });
});

describe('providers that send a redirect_uri without KOMARI_PUBLIC_URL', () => {
  let s: TestServer;
  let admin: string;
  before(async () => {
    ({ s, cookie: admin } = await startWithAdmin());
  });
  after(() => s.dispose());

  it('/api/oauth is refused with an error telling the admin to set KOMARI_PUBLIC_URL (never the Host header)', async () => {
    await configureOAuth(s, admin, 'generic', { client_id: 'a', auth_url: 'https://idp.example/auth' });
    const res = await http(s.url, '/api/oauth', { headers: { host: 'status.example.com' } });
    assert.equal(res.status, 500);
    assert.equal(res.json.status, 'error');
    assert.match(res.json.error, /set KOMARI_PUBLIC_URL/);
    assert.equal(setCookies(res).oauth_state, undefined);
  });
});

describe('OAuth with the qq provider (against a local aggregation service)', () => {
  let s: TestServer;
  let admin: string;
  let agg: FakeProvider;
  before(async () => {
    agg = await startFakeProvider((req, res) => {
      const q = req.url.searchParams;
      if (req.url.pathname !== '/connect.php' || q.get('appid') !== 'qq-app' || q.get('appkey') !== 'qq-key-value') return sendJson(res, 200, { code: 1, msg: 'bad app' });
      if (q.get('act') === 'login') {
        if (q.get('redirect_uri') !== callbackUrl || q.get('type') !== 'qq') return sendJson(res, 200, { code: 2, msg: 'bad redirect' });
        return sendJson(res, 200, { code: 0, msg: 'succ', type: 'qq', url: 'https://graph.qq.example/oauth2.0/authorize?client_id=1' });
      }
      if (q.get('act') === 'callback' && q.get('code') === 'good') return sendJson(res, 200, { code: 0, msg: 'succ', type: q.get('type'), social_uid: 'QQUID123' });
      sendJson(res, 200, { code: 3, msg: 'bad code' });
    });
    ({ s, cookie: admin } = await startWithAdmin({ env: { KOMARI_PUBLIC_URL: publicUrl } }));
    await configureOAuth(s, admin, 'qq', { aggregation_url: agg.url, app_id: 'qq-app', app_key: 'qq-key-value', login_type: 'qq' });
  });
  after(async () => {
    await s.dispose();
    await agg.close();
  });

  it('/api/oauth asks the aggregator for the login URL and redirects there', async () => {
    const { location, state } = await startLogin(s);
    assert.equal(location.href, 'https://graph.qq.example/oauth2.0/authorize?client_id=1');
    assert.match(state, /^[0-9A-Za-z]{16}$/);
  });

  it('the callback carries no state: the cookie alone must name an issued state', async () => {
    const noCookie = await http(s.url, '/api/oauth_callback?type=qq&code=good');
    assert.equal(noCookie.status, 400);
    assert.equal(noCookie.json.error, 'Invalid state');
    const forged = await withCookies(s, '/api/oauth_callback?type=qq&code=good', { oauth_state: 'neverissued12345' });
    assert.equal(forged.status, 400);
  });

  it('binding stores qq_<social_uid> and the account then logs in', async () => {
    assert.equal(await bind(s, admin, () => 'type=qq&code=good'), 'qq_QQUID123');
    const { state } = await startLogin(s);
    const cb = await withCookies(s, '/api/oauth_callback?type=qq&code=good', { oauth_state: state });
    assert.equal(cb.status, 302, cb.text);
    assert.ok(setCookies(cb).session_token);
  });

  it('a page on another site cannot start a binding for the signed-in admin: QQ’s callback carries no state, so the attacker’s own code would be bound', async () => {
    setSsoId(s, '');
    const me = await http(s.url, '/api/me', { cookie: admin });
    // The admin's browser follows a link on the attacker's page: cookies go along (SameSite=Lax).
    const crossSite = (path: string, cookies: Record<string, string>) =>
      http(s.url, path, { headers: { 'sec-fetch-site': 'cross-site', cookie: Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ') } });
    const start = await crossSite('/api/admin/oauth2/bind', { session_token: admin });
    assert.equal(start.status, 403, start.text);
    assert.equal(setCookies(start).binding_external_account, undefined);
    // Even with a binding cookie planted, a flow started cross-site is a login, never a binding.
    const flow = { session_token: admin, binding_external_account: me.json.uuid as string };
    const login = await crossSite('/api/oauth', flow);
    const state = setCookies(login).oauth_state!;
    // then the attacker's page sends the browser to the callback with a code of the attacker's account
    await crossSite('/api/oauth_callback?type=qq&code=good', { ...flow, oauth_state: state });
    assert.equal((await http(s.url, '/api/me', { cookie: admin })).json.sso_id, '');
    // the admin's own click (same origin) still binds
    const own = await http(s.url, '/api/admin/oauth2/bind', { cookie: admin, headers: { 'sec-fetch-site': 'same-origin' } });
    assert.equal(own.status, 302);
    assert.equal(setCookies(own).binding_external_account, me.json.uuid);
  });

  it('an aggregator error is reported with its code and without the app key', async () => {
    const { state } = await startLogin(s);
    const cb = await withCookies(s, '/api/oauth_callback?type=qq&code=bad', { oauth_state: state });
    assert.equal(cb.status, 500);
    assert.equal(cb.json.error, 'Failed to get user info: QQ login callback failed with code 3: bad code');
  });
});

describe('requests to a provider are bounded in time and size (limits.oauth)', () => {
  let s: TestServer;
  let admin: string;
  let idp: FakeProvider;
  const hanging: ServerResponse[] = [];
  before(async () => {
    idp = await startFakeProvider((req, res) => {
      const code = new URLSearchParams(req.body).get('code');
      if (code === 'big') return sendJson(res, 200, { access_token: 'x'.repeat(4096) });
      if (code === 'hang') return void hanging.push(res);
      sendJson(res, 404, {});
    });
    ({ s, cookie: admin } = await startWithAdmin({ env: { KOMARI_PUBLIC_URL: publicUrl }, limits: { oauth: { maxResponseBytes: 1024, fetchTimeoutMs: 300 } } }));
    await configureOAuth(s, admin, 'generic', {
      client_id: 'gen-id', auth_url: `${idp.url}/authorize`, token_url: `${idp.url}/token`, user_info_url: `${idp.url}/userinfo`, user_id_field: 'uid',
    });
  });
  after(async () => {
    for (const res of hanging) res.end();
    await s.dispose();
    await idp.close();
  });

  it('an answer larger than maxResponseBytes fails the login', async () => {
    const { state } = await startLogin(s);
    const cb = await withCookies(s, `/api/oauth_callback?code=big&state=${state}`, { oauth_state: state });
    assert.equal(cb.status, 500);
    assert.match(cb.json.error, /response larger than 1024 bytes/);
  });

  it('a provider that never answers fails the login after fetchTimeoutMs', async () => {
    const { state } = await startLogin(s);
    const cb = await withCookies(s, `/api/oauth_callback?code=hang&state=${state}`, { oauth_state: state });
    assert.equal(cb.status, 500);
    assert.match(cb.json.error, /^Failed to get user info: request to http:\/\/127\.0\.0\.1:\d+ failed: .*(timeout|aborted)/i);
    assert.equal(hanging.length, 1);
  });
});
