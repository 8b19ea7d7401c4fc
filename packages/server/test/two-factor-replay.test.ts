import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateTotpSecret, totpCode } from '../src/auth/totp.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, sessionCookieOf, startTestServer, type HttpResult, type TestServer } from './helpers/server.ts';

const usedCode = '2FA code has already been used, wait for the next one';

describe('a TOTP code is accepted once', () => {
  let s: TestServer;
  let session: string;
  const secret = generateTotpSecret();
  const clock = new ManualClock(Date.now());
  const login = (code: string): Promise<HttpResult> =>
    http(s.url, '/api/login', { method: 'POST', body: { username: 'admin', password: s.adminPassword, '2fa_code': code } });
  const disable = (code: string): Promise<HttpResult> =>
    http(s.url, '/api/admin/2fa/disable', { method: 'POST', cookie: session, headers: { 'x-2fa-code': code } });
  const twoFactorOn = async () => (await s.ctx.store.accounts.byUsername('admin'))?.twoFactor !== '';

  before(async () => {
    s = await startTestServer({ clock });
    session = await s.login();
    await s.ctx.store.accounts.update((await s.ctx.store.accounts.first())!.uuid, { twoFactor: secret }, clock.now());
  });
  after(() => s.dispose());

  it('a code that logged in once is refused at a second login within its window, and the next step’s code works', async () => {
    clock.advance(30_000);
    const code = totpCode(secret, clock.now());
    assert.equal((await login(code)).status, 200);
    const again = await login(code);
    assert.equal(again.status, 401);
    assert.deepEqual(again.json, { status: 'error', message: usedCode });
    assert.deepEqual(again.headers.getSetCookie(), []);
    clock.advance(10_000); // still the same step for the server's ±1 window
    assert.equal((await login(code)).status, 401);
    assert.equal((await login(totpCode(secret, clock.now() + 30_000))).status, 200);
  });

  it('an older step’s code, still inside the ±1 window, is refused once a later one was used', async () => {
    clock.advance(60_000);
    const now = clock.now();
    assert.equal((await login(totpCode(secret, now))).status, 200);
    assert.deepEqual((await login(totpCode(secret, now - 30_000))).json, { status: 'error', message: usedCode });
  });

  it('a code used to log in cannot pass the sensitive re-check, and 2FA stays on', async () => {
    clock.advance(30_000);
    const code = totpCode(secret, clock.now());
    assert.equal((await login(code)).status, 200);
    const res = await disable(code);
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, { status: 'error', message: usedCode });
    assert.equal(await twoFactorOn(), true);
  });

  it('the used step survives a restart: the same code is still refused', async () => {
    clock.advance(30_000);
    const code = totpCode(secret, clock.now());
    assert.equal((await login(code)).status, 200);
    await s.stop();
    s = await startTestServer({ dir: s.dir, clock });
    assert.deepEqual((await login(code)).json, { status: 'error', message: usedCode });
    const next = await login(totpCode(secret, clock.now() + 30_000));
    assert.equal(next.status, 200, next.text);
    session = sessionCookieOf(next.headers);
  });

  it('the code that enabled a new secret cannot log in afterwards', async () => {
    clock.advance(60_000); // past the step the previous test used ahead of time
    assert.equal((await disable(totpCode(secret, clock.now()))).status, 200);
    clock.advance(30_000);
    const fresh = generateTotpSecret();
    const code = totpCode(fresh, clock.now());
    const enabled = await http(s.url, `/api/admin/2fa/enable?code=${code}`, { method: 'POST', headers: { cookie: `session_token=${session}; 2fa_secret=${fresh}` } });
    assert.equal(enabled.status, 200, enabled.text);
    assert.deepEqual((await login(code)).json, { status: 'error', message: usedCode });
  });
});
