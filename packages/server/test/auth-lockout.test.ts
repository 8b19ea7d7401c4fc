import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { LimitOverrides } from '../src/config/limits.ts';
import { runCli } from './helpers/cli.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, sessionCookieOf, startTestServer, type HttpResult, type TestServer } from './helpers/server.ts';

const windowMs = 10 * 60_000;

/** A server behind a "proxy" at 127.0.0.1, so each request can name its client in X-Forwarded-For. */
function lockoutServer(login: LimitOverrides['login'], servers: TestServer[], clock?: ManualClock, dir?: string): Promise<TestServer> {
  return startTestServer({ dir, clock, env: { KOMARI_TRUSTED_PROXIES: '127.0.0.1' }, limits: { login } }).then((s) => {
    servers.push(s);
    return s;
  });
}

function loginFrom(s: TestServer, ip: string, username: string, password: string): Promise<HttpResult> {
  return http(s.url, '/api/login', { method: 'POST', body: { username, password }, headers: { 'x-forwarded-for': ip } });
}

function assertLoggedIn(res: HttpResult, what: string): void {
  assert.equal(res.status, 200, `${what}: ${res.text}`);
  assert.ok(sessionCookieOf(res.headers), what);
}

function assertRefused(res: HttpResult, what: string): void {
  assert.equal(res.status, 429, `${what}: ${res.text}`);
  assert.match(res.json.message, /^Too many failed login attempts, try again in \d+ seconds$/, what);
  assert.ok(Number(res.headers.get('retry-after')) > 0, what);
  assert.deepEqual(res.headers.getSetCookie(), [], what);
}

/** `n` wrong passwords for `username`, each from its own address of `prefix` (.1, .2, ...). */
async function failFromMany(s: TestServer, prefix: string, username: string, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) assert.equal((await loginFrom(s, `${prefix}.${i}`, username, `wrong-${i}`)).status, 401);
}

describe('login lockout: a lock cannot be flushed or dodged', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) await s.dispose();
  });

  it('a flood of junk usernames larger than the tracked keys does not evict the locked account', async () => {
    const s = await lockoutServer({ maxKeys: 5, perAccount: { maxFailures: 3, windowMs } }, servers);
    await failFromMany(s, '198.51.100', 'admin', 3);
    assertRefused(await loginFrom(s, '198.51.100.50', 'admin', s.adminPassword), 'locked account');
    for (let i = 0; i < 12; i++) assert.equal((await loginFrom(s, `203.0.113.${i + 1}`, `junk-${i}`, 'x')).status, 401);
    assertRefused(await loginFrom(s, '198.51.100.51', 'admin', s.adminPassword), 'after the flood');
  });

  it('a flood of fresh addresses does not evict a locked address', async () => {
    const s = await lockoutServer({ maxKeys: 4, perIp: { maxFailures: 3, windowMs } }, servers);
    for (let i = 0; i < 3; i++) await loginFrom(s, '192.0.2.66', `user-${i}`, 'x');
    assertRefused(await loginFrom(s, '192.0.2.66', 'admin', s.adminPassword), 'locked address');
    await failFromMany(s, '203.0.113', 'someone', 10);
    assertRefused(await loginFrom(s, '192.0.2.66', 'admin', s.adminPassword), 'after the flood');
  });

  it('IPv6 clients are counted by /64, and an IPv4-mapped address as its IPv4', async () => {
    const s = await lockoutServer({ perIp: { maxFailures: 3, windowMs } }, servers);
    for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff::3']) {
      assert.equal((await loginFrom(s, ip, 'nobody', 'x')).status, 401);
    }
    assertRefused(await loginFrom(s, '2001:db8:1:2:abcd::99', 'admin', s.adminPassword), 'same /64');
    assertLoggedIn(await loginFrom(s, '2001:db8:1:3::1', 'admin', s.adminPassword), 'next /64');
    for (let i = 0; i < 3; i++) await loginFrom(s, '::ffff:198.51.100.7', 'nobody', 'x');
    assertRefused(await loginFrom(s, '198.51.100.7', 'admin', s.adminPassword), 'IPv4 of a mapped address');
  });

  it('past the global failure budget every new address is refused until the window ends', async () => {
    const clock = new ManualClock(Date.now());
    const s = await lockoutServer({ global: { maxFailures: 5, windowMs } }, servers, clock);
    for (let i = 1; i <= 5; i++) assert.equal((await loginFrom(s, `203.0.113.${i}`, `spread-${i}`, 'x')).status, 401);
    assertRefused(await loginFrom(s, '192.0.2.1', 'admin', s.adminPassword), 'global budget spent');
    assertRefused(await loginFrom(s, '192.0.2.2', 'other', 'x'), 'any username');
    clock.advance(windowMs);
    assertLoggedIn(await loginFrom(s, '192.0.2.1', 'admin', s.adminPassword), 'after the window');
  });
});

describe('known-good addresses keep the admin in', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) await s.dispose();
  });
  const limits = { perIp: { maxFailures: 3, windowMs }, perAccount: { maxFailures: 3, windowMs }, global: { maxFailures: 6, windowMs } };

  it('an address that logged in before passes the account lock and the global budget, but not its own limit', async () => {
    const s = await lockoutServer(limits, servers);
    assertLoggedIn(await loginFrom(s, '192.0.2.10', 'admin', s.adminPassword), 'first login');
    await failFromMany(s, '198.51.100', 'admin', 3);
    await failFromMany(s, '203.0.113', 'junk', 3);
    assertRefused(await loginFrom(s, '192.0.2.11', 'admin', s.adminPassword), 'a new address');
    assertLoggedIn(await loginFrom(s, '192.0.2.10', 'admin', s.adminPassword), 'the known address');
    for (let i = 0; i < 3; i++) assert.equal((await loginFrom(s, '192.0.2.10', 'admin', `wrong-${i}`)).status, 401);
    assertRefused(await loginFrom(s, '192.0.2.10', 'admin', s.adminPassword), 'the known address past its own limit');
  });

  it('known-good addresses survive a restart, and count for their own account only', async () => {
    const first = await lockoutServer(limits, servers);
    assertLoggedIn(await loginFrom(first, '192.0.2.20', 'admin', first.adminPassword), 'first login');
    await first.stop();
    const s = await lockoutServer(limits, servers, undefined, first.dir);
    await failFromMany(s, '198.51.100', 'admin', 3);
    assertLoggedIn(await loginFrom(s, '192.0.2.20', 'admin', s.adminPassword), 'known address after restart');
    assertRefused(await loginFrom(s, '192.0.2.21', 'admin', s.adminPassword), 'unknown address after restart');
  });
});

describe('recovery from the command line while the server runs', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) await s.dispose();
  });

  it('komari unlock clears the address, account and global locks of the running server', async () => {
    const s = await lockoutServer({ perIp: { maxFailures: 3, windowMs }, perAccount: { maxFailures: 3, windowMs }, global: { maxFailures: 4, windowMs } }, servers);
    for (let i = 0; i < 3; i++) await loginFrom(s, '192.0.2.30', 'admin', `wrong-${i}`);
    await loginFrom(s, '192.0.2.31', 'junk', 'x');
    assertRefused(await loginFrom(s, '192.0.2.30', 'admin', s.adminPassword), 'locked before unlock');
    assertRefused(await loginFrom(s, '192.0.2.32', 'admin', s.adminPassword), 'account locked before unlock');
    const res = await runCli(['unlock', '-d', s.dbPath]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'Login locks have been cleared: a running server lifts them at the next attempt.\n');
    assertLoggedIn(await loginFrom(s, '192.0.2.30', 'admin', s.adminPassword), 'after unlock');
    // The marker is used up: new failures lock again.
    for (let i = 0; i < 3; i++) await loginFrom(s, '192.0.2.33', 'nobody', `wrong-${i}`);
    assertRefused(await loginFrom(s, '192.0.2.33', 'admin', s.adminPassword), 'locked again');
  });

  it('komari permit-login takes effect on the running server without a restart', async () => {
    const s = await lockoutServer({}, servers);
    const cookie = await s.login();
    await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { disable_password_login: true } });
    assert.equal((await loginFrom(s, '192.0.2.40', 'admin', s.adminPassword)).status, 403);
    const res = await runCli(['permit-login', '-d', s.dbPath]);
    assert.equal(res.code, 0, res.stderr);
    assertLoggedIn(await loginFrom(s, '192.0.2.40', 'admin', s.adminPassword), 'after permit-login');
    assert.equal((await http(s.url, '/api/public')).json.data.disable_password_login, false);
  });

  it('komari unlock lists itself in the usage', async () => {
    const res = await runCli(['--help']);
    assert.match(res.stdout, /^ {2}unlock {12}clear the login locks/m);
  });
});
