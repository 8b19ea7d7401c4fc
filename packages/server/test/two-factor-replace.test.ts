import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateTotpSecret, totpCode } from '../src/auth/totp.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, sessionCookieOf, startTestServer, type HttpResult, type TestServer } from './helpers/server.ts';
import { nextCode, wrongCode } from './helpers/totp.ts';

const apiKey = 'replace-Vb3Nq8Zt1Lx6Rw2Pk9Hs4Jd7Fg';
const replaceNeedsCode = '2FA is already enabled: send a current code of it in 2fa_code (body or query) or X-2FA-Code to replace it';

/** What a thief holding only the session cookie can do; the secret stays the account's. */
describe('a stolen session cannot replace 2FA or change the password', () => {
  let s: TestServer;
  let session: string;
  let uuid: string;
  const clock = new ManualClock(Date.now());
  const storedSecret = async () => String((await s.ctx.store.accounts.byUuid(uuid))?.twoFactor);

  function enable(newSecret: string, query: string, headers: Record<string, string> = {}, body?: unknown): Promise<HttpResult> {
    return http(s.url, `/api/admin/2fa/enable?code=${totpCode(newSecret, clock.now())}${query}`, {
      method: 'POST',
      headers: { cookie: `session_token=${session}; 2fa_secret=${newSecret}`, ...headers },
      body,
    });
  }

  before(async () => {
    s = await startTestServer({ clock });
    session = await s.login();
    uuid = (await http(s.url, '/api/me', { cookie: session })).json.uuid;
    assert.equal((await http(s.url, '/api/admin/settings', { method: 'POST', cookie: session, body: { api_key: apiKey } })).status, 200);
    await s.ctx.store.accounts.update(uuid, { twoFactor: generateTotpSecret() }, clock.now());
  });
  after(() => s.dispose());

  it('enable while 2FA is on, without a code of the current secret, answers 401 and keeps the old secret', async () => {
    const old = await storedSecret();
    const res = await enable(generateTotpSecret(), '');
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, { status: 'error', message: replaceNeedsCode });
    assert.equal(await storedSecret(), old);
  });

  it('enable while 2FA is on, with a wrong current code, answers 401 Invalid 2FA code and keeps the old secret', async () => {
    const old = await storedSecret();
    const res = await enable(generateTotpSecret(), '', { 'x-2fa-code': wrongCode(old, clock.now()) });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, { status: 'error', message: 'Invalid 2FA code' });
    assert.equal(await storedSecret(), old);
  });

  it('enable while 2FA is on, with a current code (header, query or body), replaces the secret', async () => {
    for (const where of ['header', 'query', 'body'] as const) {
      const code = nextCode(await storedSecret(), clock);
      const fresh = generateTotpSecret();
      const res =
        where === 'header'
          ? await enable(fresh, '', { 'x-2fa-code': code })
          : where === 'query'
            ? await enable(fresh, `&2fa_code=${code}`)
            : await enable(fresh, '', {}, { '2fa_code': code });
      assert.equal(res.status, 200, `${where}: ${res.text}`);
      assert.equal(await storedSecret(), fresh, where);
    }
  });

  it('a password change by a session with 2FA needs a current code, not just the session', async () => {
    const res = await http(s.url, '/api/admin/update/user', { method: 'POST', cookie: session, body: { uuid, password: 'Thief-Pass-1' } });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, { status: 'error', message: '2FA code is required' });
    assert.equal((await http(s.url, '/api/login', { method: 'POST', body: { username: 'admin', password: 'Thief-Pass-1', '2fa_code': nextCode(await storedSecret(), clock) } })).status, 401);
  });

  it('an API-key caller still changes the password without a code or the current password (auth.md §9)', async () => {
    const res = await http(s.url, '/api/admin/update/user', {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
      body: { uuid, password: 'Key-Set-Pass-1' },
    });
    assert.equal(res.status, 200, res.text);
    const login = await http(s.url, '/api/login', { method: 'POST', body: { username: 'admin', password: 'Key-Set-Pass-1', '2fa_code': nextCode(await storedSecret(), clock) } });
    assert.equal(login.status, 200, login.text);
  });
});

describe('a password change without 2FA needs the current password', () => {
  let s: TestServer;
  let uuid: string;
  let password: string;
  const clock = new ManualClock(Date.now());
  const update = (cookie: string, body: Record<string, unknown>) =>
    http(s.url, '/api/admin/update/user', { method: 'POST', cookie, body: { uuid, ...body } });
  const loginWith = async (pw: string) => sessionCookieOf((await http(s.url, '/api/login', { method: 'POST', body: { username: 'admin', password: pw } })).headers);

  before(async () => {
    s = await startTestServer({ clock, limits: { login: { reauth: { maxFailures: 3, windowMs: 10 * 60_000 } } } });
    password = s.adminPassword;
    uuid = (await http(s.url, '/api/me', { cookie: await s.login() })).json.uuid;
  });
  after(() => s.dispose());

  it('without old_password the change answers 400 and the password stays', async () => {
    const cookie = await s.login();
    const res = await update(cookie, { password: 'Thief-Pass-2' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { status: 'error', message: 'The current password (old_password) is required to change the password' });
    assert.equal(await loginWith('Thief-Pass-2'), '');
    assert.notEqual(await loginWith(password), '');
  });

  it('wrong current passwords answer 400 until the limit, then 429 even for the right one; the window ends it', async () => {
    const cookie = await s.login();
    for (let i = 0; i < 3; i++) {
      const res = await update(cookie, { password: 'Thief-Pass-3', old_password: `guess-${i}` });
      assert.deepEqual([res.status, res.json], [400, { status: 'error', message: 'Current password is wrong' }], `guess ${i}`);
    }
    const locked = await update(cookie, { password: 'Thief-Pass-3', old_password: password });
    assert.equal(locked.status, 429);
    assert.match(locked.json.message, /^Too many wrong current passwords, try again in \d+ seconds$/);
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    assert.equal(await loginWith('Thief-Pass-3'), '');
    clock.advance(10 * 60_000);
    const ok = await update(cookie, { password: 'Owner-Pass-4', old_password: password });
    assert.equal(ok.status, 200, ok.text);
    assert.notEqual(await loginWith('Owner-Pass-4'), '');
  });
});
