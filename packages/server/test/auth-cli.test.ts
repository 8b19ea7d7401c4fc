import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { runCli, spawnCliServer, type CliServer } from './helpers/cli.ts';
import { http, sessionCookieOf, startTestServer, type HttpResult, type TestServer } from './helpers/server.ts';

const restartHint = 'Please restart the server to apply the changes.';
const firstStartLine = /^Default admin account created\. Username: admin , Password: ([0-9A-Za-z]{12})$/m;

function login(url: string, username: string, password: string, code?: string): Promise<HttpResult> {
  const body: Record<string, string> = { username, password };
  if (code !== undefined) body['2fa_code'] = code;
  return http(url, '/api/login', { method: 'POST', body });
}

async function loginCookie(url: string, username: string, password: string): Promise<string> {
  const res = await login(url, username, password);
  assert.equal(res.status, 200, res.text);
  const cookie = sessionCookieOf(res.headers);
  assert.ok(cookie);
  return cookie;
}

describe('komari server: first start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-cli-'));
  const dbPath = join(dir, 'komari.db');
  let server: CliServer | undefined;
  let password = '';
  let cookie = '';
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the admin account with a 12-character random password once, and that password logs in', async () => {
    server = await spawnCliServer(dbPath);
    const m = firstStartLine.exec(server.stdout());
    assert.ok(m, `stdout: ${server.stdout()}\nstderr: ${server.stderr()}`);
    password = m[1]!;
    cookie = await loginCookie(server.url, 'admin', password);
  });

  it('GET /api/me for that login has exactly the seed’s fields with the seed’s types', async () => {
    const me = (await http(server!.url, '/api/me', { cookie })).json;
    assert.deepEqual(Object.keys(me).sort(), ['2fa_enabled', 'logged_in', 'sso_id', 'sso_type', 'username', 'uuid']);
    assert.equal(me['2fa_enabled'], false);
    assert.equal(me.logged_in, true);
    assert.equal(typeof me.sso_id, 'string');
    assert.equal(typeof me.sso_type, 'string');
    assert.equal(me.username, 'admin');
    assert.match(me.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('SIGTERM stops the server with exit code 0', async () => {
    const { code, signal } = await server!.stop();
    server = undefined;
    assert.equal(signal, null);
    assert.equal(code, 0);
  });

  it('a restart on the same database prints no new password and keeps the account and its sessions', async () => {
    server = await spawnCliServer(dbPath);
    assert.doesNotMatch(server.stdout(), /Default admin account created/);
    const me = await http(server.url, '/api/me', { cookie });
    assert.equal(me.json.logged_in, true);
    assert.equal(me.json.username, 'admin');
    await loginCookie(server.url, 'admin', password);
    const { code } = await server.stop();
    server = undefined;
    assert.equal(code, 0);
  });
});

describe('recovery commands', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ env: { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'First-Pass-1' } });
  });
  after(() => s.dispose());

  /** Stops the server, runs `fn` on the stopped database, starts it again on the same directory. */
  async function whileStopped(fn: () => Promise<void> | void): Promise<void> {
    await s.stop();
    try {
      await fn();
    } finally {
      s = await startTestServer({ dir: s.dir, env: { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'First-Pass-1' } });
    }
  }

  function setTwoFactor(secret: string): void {
    const db = new DatabaseSync(s.dbPath);
    try {
      db.prepare('UPDATE accounts SET two_factor = ?').run(secret);
    } finally {
      db.close();
    }
  }

  it('chpasswd on a missing database file prints "Database file does not exist." and creates no file', async () => {
    const missing = join(s.dir, 'nope', 'missing.db');
    const res = await runCli(['chpasswd', '-p', 'NewPass123', '-d', missing]);
    assert.match(res.stdout, /^Database file does not exist\.$/m);
    assert.notEqual(res.code, 0);
    assert.equal(existsSync(missing), false);
  });

  it('chpasswd without -p prints the usage and changes nothing', async () => {
    const cookie = await loginCookie(s.url, 'root', 'First-Pass-1');
    const res = await runCli(['chpasswd', '-d', s.dbPath]);
    assert.match(res.stdout, /Usage/);
    assert.doesNotMatch(res.stdout, /Password changed/);
    assert.equal((await http(s.url, '/api/admin/session/get', { cookie })).status, 200);
    await loginCookie(s.url, 'root', 'First-Pass-1');
  });

  it('chpasswd -p sets the first account’s password whatever its name and ends every session', async () => {
    const cookie = await loginCookie(s.url, 'root', 'First-Pass-1');
    let out = '';
    await whileStopped(async () => {
      const res = await runCli(['chpasswd', '-p', 'NewPass123'], { KOMARI_DB: s.dbPath });
      assert.equal(res.code, 0, res.stderr);
      out = res.stdout;
    });
    assert.equal(out, ['Changing password for user: root', 'Password changed successfully, new password: NewPass123', restartHint, ''].join('\n'));
    assert.equal((await http(s.url, '/api/admin/session/get', { cookie })).status, 401);
    assert.equal((await login(s.url, 'root', 'First-Pass-1')).status, 401);
    await loginCookie(s.url, 'root', 'NewPass123');
  });

  it('chpasswd takes effect on a running server without a restart (accounts and sessions are read per request)', async () => {
    const cookie = await loginCookie(s.url, 'root', 'NewPass123');
    const res = await runCli(['chpasswd', '-p', 'Live-Pass-9', '-d', s.dbPath]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal((await http(s.url, '/api/admin/session/get', { cookie })).status, 401);
    assert.equal((await login(s.url, 'root', 'NewPass123')).status, 401);
    await loginCookie(s.url, 'root', 'Live-Pass-9');
  });

  it('disable-2fa clears every secret, so the login needs no code', async () => {
    await whileStopped(() => setTwoFactor('JBSWY3DPEHPK3PXP'));
    const needsCode = await login(s.url, 'root', 'Live-Pass-9');
    assert.deepEqual(needsCode.json, { status: 'error', message: '2FA code is required' });
    let out = '';
    await whileStopped(async () => {
      const res = await runCli(['disable-2fa', '-d', s.dbPath]);
      assert.equal(res.code, 0, res.stderr);
      out = res.stdout;
    });
    assert.equal(out, `2FA has been disabled.\n${restartHint}\n`);
    const cookie = await loginCookie(s.url, 'root', 'Live-Pass-9');
    assert.equal((await http(s.url, '/api/me', { cookie })).json['2fa_enabled'], false);
  });

  it('permit-login sets disable_password_login back to false', async () => {
    const cookie = await loginCookie(s.url, 'root', 'Live-Pass-9');
    await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { disable_password_login: true } });
    const refused = await login(s.url, 'root', 'Live-Pass-9');
    assert.equal(refused.status, 403);
    let out = '';
    await whileStopped(async () => {
      const res = await runCli(['permit-login', '-d', s.dbPath]);
      assert.equal(res.code, 0, res.stderr);
      out = res.stdout;
    });
    assert.equal(out, `Password login has been permitted.\n${restartHint}\n`);
    assert.equal((await http(s.url, '/api/public')).json.data.disable_password_login, false);
    await loginCookie(s.url, 'root', 'Live-Pass-9');
  });

  it('an unknown command exits 2 and prints the usage on stderr', async () => {
    const res = await runCli(['frobnicate', '-d', s.dbPath]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /unknown command: frobnicate/);
    assert.match(res.stderr, /Usage/);
  });
});
