import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { generateTotpSecret, totpCode } from '../src/auth/totp.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, rpc, startTestServer, type TestServer } from './helpers/server.ts';
import { nextCode, wrongCode } from './helpers/totp.ts';

/**
 * The files 2FA grant (per user and node) outlives neither the session nor the credentials it was
 * earned with: a logout, a session deleted, a 2FA secret enabled, replaced or disabled, and a
 * password change drop every grant of that user, and only of that user.
 */
describe("file grants end with the user's session or credentials (issue 18)", () => {
  const clock = new ManualClock(Date.now());
  const node = 'node-under-grant';
  let s: TestServer;
  let admin: string;
  let other: string;
  let session: string;
  let secret: string;
  const newSession = (uuid: string) => s.ctx.accounts.createSession(uuid, '127.0.0.1', 'test', 'password');
  const grants = () => ({ admin: s.ctx.fileGrants.use(admin, node), other: s.ctx.fileGrants.use(other, node) });
  function grantBoth(): void {
    s.ctx.fileGrants.grant(admin, node);
    s.ctx.fileGrants.grant(other, node);
  }

  before(async () => {
    s = await startTestServer({ clock });
    admin = (await s.ctx.store.accounts.first())!.uuid;
    other = randomUUID();
    const now = clock.now();
    await s.ctx.store.accounts.create({ uuid: other, username: 'second-admin', passwordHash: 'x', ssoType: '', ssoId: '', twoFactor: '', createdAt: now, updatedAt: now });
    secret = generateTotpSecret();
    await s.ctx.store.accounts.update(admin, { twoFactor: secret }, now);
    session = await newSession(admin);
  });
  after(() => s.dispose());

  it('logout drops the user’s grants, not another user’s', async () => {
    grantBoth();
    const res = await http(s.url, '/api/logout', { cookie: session });
    assert.equal(res.status, 302);
    assert.deepEqual(grants(), { admin: false, other: true });
  });

  it('a logout without a live session drops nothing', async () => {
    grantBoth();
    assert.equal((await http(s.url, '/api/logout', { cookie: 'no-such-session' })).status, 302);
    assert.deepEqual(grants(), { admin: true, other: true });
  });

  it('an admin deleting a session drops its owner’s grants', async () => {
    session = await newSession(admin);
    const otherSession = await newSession(other);
    grantBoth();
    const res = await rpc(s.url, 'admin:deleteSession', { session: otherSession }, { cookie: session });
    assert.equal(res.error, undefined, JSON.stringify(res));
    assert.deepEqual(grants(), { admin: true, other: false });
  });

  it('a refused 2FA change keeps the grants; replacing 2FA drops them', async () => {
    grantBoth();
    const replacement = generateTotpSecret();
    const enable = (currentCode: string) =>
      http(s.url, `/api/admin/2fa/enable?code=${totpCode(replacement, clock.now())}`, {
        method: 'POST',
        headers: { cookie: `session_token=${session}; 2fa_secret=${replacement}` },
        body: { '2fa_code': currentCode },
      });
    assert.equal((await enable(wrongCode(secret, clock.now()))).status, 401);
    assert.deepEqual(grants(), { admin: true, other: true });
    const res = await enable(nextCode(secret, clock));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(grants(), { admin: false, other: true });
    secret = replacement;
  });

  it('disabling 2FA drops the grants', async () => {
    grantBoth();
    const res = await http(s.url, '/api/admin/2fa/disable', { method: 'POST', cookie: session, body: { '2fa_code': nextCode(secret, clock) } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(grants(), { admin: false, other: true });
  });

  it('enabling 2FA drops the grants', async () => {
    grantBoth();
    const fresh = generateTotpSecret();
    clock.advance(30_000);
    const res = await http(s.url, `/api/admin/2fa/enable?code=${totpCode(fresh, clock.now())}`, {
      method: 'POST',
      headers: { cookie: `session_token=${session}; 2fa_secret=${fresh}` },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(grants(), { admin: false, other: true });
    secret = fresh;
  });

  it('a password change drops the user’s grants, and every session it ends drops its owner’s', async () => {
    await newSession(other);
    grantBoth();
    const res = await http(s.url, '/api/admin/update/user', {
      method: 'POST',
      cookie: session,
      body: { uuid: admin, password: 'a-new-password-2', '2fa_code': nextCode(secret, clock) },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(grants(), { admin: false, other: false });
    assert.deepEqual(await s.ctx.store.sessions.list(), []);
  });
});
