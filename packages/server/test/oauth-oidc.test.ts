import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import Provider from 'oidc-provider';
import { auditMessages, configureOAuth, setCookies, startLogin, withCookies } from './helpers/oauth.ts';
import { CookieJar, rsaKey, signJwt, startFakeIssuer, type FakeIssuer, type SigningKey } from './helpers/oidc.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';

const publicUrl = 'https://status.example.test';
const callbackUrl = `${publicUrl}/api/oauth_callback`;
const subject = 'alice-0001';

interface RealIssuer {
  url: string;
  close(): Promise<void>;
}

/** A real OpenID Provider (npm oidc-provider) on 127.0.0.1, with its development login pages. */
async function startRealIssuer(): Promise<RealIssuer> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_q, r) => r.end();
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const key = rsaKey('real-1');
  const provider = new Provider(url, {
    clients: [{ client_id: 'komari', client_secret: 'oidc-secret-value', redirect_uris: [callbackUrl], response_types: ['code'], grant_types: ['authorization_code'] }],
    jwks: { keys: [key.privateKey.export({ format: 'jwk' }) as never] },
    cookies: { keys: ['test-cookie-key'] },
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, email: `${id}@example.test` }) }),
    pkce: { required: () => true },
  });
  const callback = provider.callback();
  handler = (req, res) => void callback(req, res);
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Plays the browser at the provider: follows its redirects, submits the development login form as
 * `subject` and its consent form, and returns the redirect back to the callback.
 */
async function authorizeAtProvider(start: URL): Promise<URL> {
  const jar = new CookieJar();
  let next = start;
  let submitted = 0;
  for (let hop = 0; hop < 12; hop++) {
    if (next.href.startsWith(callbackUrl)) return next;
    const interaction = /^\/interaction\/[^/]+$/.test(next.pathname);
    const body = interaction ? new URLSearchParams(submitted === 0 ? { prompt: 'login', login: subject } : { prompt: 'consent' }) : undefined;
    const res = await fetch(next, { method: body ? 'POST' : 'GET', body, headers: { cookie: jar.header() }, redirect: 'manual' });
    jar.store(res);
    await res.arrayBuffer();
    if (body) submitted++;
    const location = res.headers.get('location');
    if (!location) throw new Error(`the provider stopped at ${next.pathname} with ${res.status}`);
    next = new URL(location, next);
  }
  throw new Error('too many redirects at the provider');
}

describe('OAuth with the oidc provider against a real OpenID Provider (oidc-provider)', () => {
  let s: TestServer;
  let admin: string;
  let idp: RealIssuer;
  before(async () => {
    idp = await startRealIssuer();
    ({ s, cookie: admin } = await startWithAdmin({ env: { KOMARI_PUBLIC_URL: publicUrl } }));
    await configureOAuth(s, admin, 'oidc', { issuer: idp.url, client_id: 'komari', client_secret: 'oidc-secret-value', scope: '', user_id_field: '' });
  });
  after(async () => {
    await s.dispose();
    await idp.close();
  });

  it('/api/oauth redirects to the discovered authorization endpoint with PKCE S256, a nonce and the public callback', async () => {
    const { location, state } = await startLogin(s);
    assert.equal(location.origin, idp.url);
    const q = Object.fromEntries(location.searchParams);
    assert.equal(q.response_type, 'code');
    assert.equal(q.client_id, 'komari');
    assert.equal(q.redirect_uri, callbackUrl);
    assert.equal(q.scope, 'openid profile email');
    assert.equal(q.state, state);
    assert.equal(q.code_challenge_method, 'S256');
    assert.match(q.code_challenge!, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(q.nonce && q.nonce.length >= 16);
  });

  it('binding and then logging in through the real provider gives oidc_<sub>', async () => {
    const me = await http(s.url, '/api/me', { cookie: admin });
    const flow = { session_token: admin, binding_external_account: me.json.uuid as string };
    const bindStart = await startLogin(s, flow);
    const bindBack = await authorizeAtProvider(bindStart.location);
    const bound = await withCookies(s, `/api/oauth_callback${bindBack.search}`, { ...flow, oauth_state: bindStart.state });
    assert.equal(bound.status, 302, bound.text);
    assert.equal((await http(s.url, '/api/me', { cookie: admin })).json.sso_id, `oidc_${subject}`);

    const { location, state } = await startLogin(s);
    const back = await authorizeAtProvider(location);
    const cb = await withCookies(s, `/api/oauth_callback${back.search}`, { oauth_state: state });
    assert.equal(cb.status, 302, cb.text);
    assert.equal(cb.headers.get('location'), '/admin/dashboard');
    const me2 = await http(s.url, '/api/me', { cookie: setCookies(cb).session_token });
    assert.equal(me2.json.logged_in, true);
    assert.equal(me2.json.sso_id, `oidc_${subject}`);
    assert.ok((await auditMessages(s, admin)).includes('logged in (OAuth)'));
  });

  it('a code redeemed with another login’s state (so another PKCE verifier and nonce) is refused', async () => {
    const first = await startLogin(s);
    const back = await authorizeAtProvider(first.location);
    const second = await startLogin(s);
    const code = back.searchParams.get('code')!;
    const cb = await withCookies(s, `/api/oauth_callback?code=${encodeURIComponent(code)}&state=${second.state}`, { oauth_state: second.state });
    assert.equal(cb.status, 500);
    assert.match(cb.json.error, /^Failed to get user info: .*invalid_grant/);
    assert.equal(setCookies(cb).session_token, undefined);
  });
});

describe('oidc ID tokens that must be refused (against a local issuer that mints them)', () => {
  let s: TestServer;
  let admin: string;
  let issuer: FakeIssuer;
  let good: SigningKey;
  const attacker = rsaKey('attacker');
  before(async () => {
    good = rsaKey('k1');
    issuer = await startFakeIssuer(good);
    ({ s, cookie: admin } = await startWithAdmin({ env: { KOMARI_PUBLIC_URL: publicUrl } }));
    await configureOAuth(s, admin, 'oidc', { issuer: issuer.url, client_id: 'komari', client_secret: 'fake-secret-value' });
    await http(s.url, '/api/admin/oauth2/unbind', { method: 'POST', cookie: admin });
    // The account is bound to the subject the minted tokens name.
    const db = new DatabaseSync(s.dbPath);
    db.prepare("UPDATE accounts SET sso_id = 'oidc_bob'").run();
    db.close();
  });
  after(async () => {
    await s.dispose();
    await issuer.close();
  });

  /** Starts a login, has the issuer answer the token built from the login's nonce, runs the callback. */
  async function loginWith(mint: (nonce: string, now: number) => string) {
    const { location, state } = await startLogin(s);
    const now = Math.floor(Date.now() / 1000);
    issuer.idToken.next = mint(location.searchParams.get('nonce')!, now);
    return withCookies(s, `/api/oauth_callback?code=c&state=${state}`, { oauth_state: state });
  }

  const claims = (nonce: string, now: number, extra: Record<string, unknown> = {}) => ({
    iss: issuer.url, aud: 'komari', sub: 'bob', nonce, iat: now, exp: now + 300, ...extra,
  });

  it('a well-formed token logs in (the control case)', async () => {
    const res = await loginWith((nonce, now) => signJwt(claims(nonce, now), good));
    assert.equal(res.status, 302, res.text);
    assert.ok(setCookies(res).session_token);
    // The issuer lists only client_secret_post, so the secret went in the form.
    const token = issuer.seen.find((r) => r.url.pathname === '/token')!;
    assert.equal(new URLSearchParams(token.body).get('client_secret'), 'fake-secret-value');
    assert.equal(token.headers.authorization, undefined);
  });

  it('a token signed with a key published after the key set was cached logs in (the set is re-read once)', async () => {
    const rotated = rsaKey('k2');
    issuer.published.push(rotated);
    const res = await loginWith((nonce, now) => signJwt(claims(nonce, now), rotated));
    assert.equal(res.status, 302, res.text);
  });

  it('a token for another audience is refused', async () => {
    const res = await loginWith((nonce, now) => signJwt(claims(nonce, now, { aud: 'someone-else' }), good));
    assert.equal(res.status, 500);
    assert.equal(res.json.error, 'Failed to get user info: the ID token is meant for "someone-else", not this client');
  });

  it('several audiences need azp naming this client', async () => {
    const res = await loginWith((nonce, now) => signJwt(claims(nonce, now, { aud: ['komari', 'other'] }), good));
    assert.equal(res.status, 500);
    assert.match(res.json.error, /authorised party/);
  });

  it('a token signed with another key under the published kid is refused (bad signature)', async () => {
    const res = await loginWith((nonce, now) => signJwt(claims(nonce, now), attacker, 'k1'));
    assert.equal(res.status, 500);
    assert.equal(res.json.error, 'Failed to get user info: the ID token signature is invalid');
  });

  it('a tampered payload is refused', async () => {
    const res = await loginWith((nonce, now) => {
      const [h, , sig] = signJwt(claims(nonce, now), good).split('.');
      return `${h}.${Buffer.from(JSON.stringify(claims(nonce, now, { sub: 'mallory' }))).toString('base64url')}.${sig}`;
    });
    assert.equal(res.status, 500);
    assert.equal(res.json.error, 'Failed to get user info: the ID token signature is invalid');
  });

  it('an unsigned token (alg none) is refused', async () => {
    const res = await loginWith((nonce, now) => {
      const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      return `${enc({ alg: 'none' })}.${enc(claims(nonce, now))}.`;
    });
    assert.equal(res.status, 500);
    assert.match(res.json.error, /"none", which is not accepted/);
  });

  it('a nonce from another login is refused', async () => {
    const res = await loginWith((_nonce, now) => signJwt(claims('a-nonce-from-elsewhere', now), good));
    assert.equal(res.status, 500);
    assert.equal(res.json.error, 'Failed to get user info: the ID token nonce does not match this login');
  });

  it('an expired token and a token from another issuer are refused', async () => {
    const expired = await loginWith((nonce, now) => signJwt(claims(nonce, now, { iat: now - 3600, exp: now - 600 }), good));
    assert.equal(expired.json.error, 'Failed to get user info: the ID token has expired');
    const foreign = await loginWith((nonce, now) => signJwt(claims(nonce, now, { iss: 'https://evil.example' }), good));
    assert.match(foreign.json.error, /the ID token was issued by "https:\/\/evil.example"/);
  });

  it('every refusal is audited as a warning, without the secret', async () => {
    const logs = await auditMessages(s, admin);
    assert.ok(logs.some((m) => m === 'OAuth login failed (oidc): the ID token signature is invalid'));
    assert.ok(logs.some((m) => m === 'OAuth login failed (oidc): the ID token nonce does not match this login'));
    assert.ok(!logs.some((m) => m.includes('fake-secret-value')));
  });
});
