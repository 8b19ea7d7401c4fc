import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { totpCode } from '../src/auth/totp.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, sessionCookieOf, startTestServer, type HttpResult, type TestServer } from './helpers/server.ts';

function login(s: TestServer, body: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  return http(s.url, '/api/login', { method: 'POST', body, headers });
}

/** One statement on the SQLite file, through its own connection. */
function sql(dbPath: string, query: string, ...args: SQLInputValue[]): Record<string, SQLInputValue> | undefined {
  const db = new DatabaseSync(dbPath);
  try {
    const stmt = db.prepare(query);
    if (/^\s*select/i.test(query)) return stmt.get(...args);
    stmt.run(...args);
    return undefined;
  } finally {
    db.close();
  }
}

const envelopeKeys = ['message', 'status'];

describe('POST /api/login', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.dispose());

  it('a correct password answers the success envelope and sets a 30-day HttpOnly SameSite=Lax cookie without Secure', async () => {
    const res = await login(s, { username: 'admin', password: s.adminPassword });
    assert.equal(res.status, 200);
    const token = res.json.data['set-cookie'].session_token;
    assert.match(token, /^[0-9A-Za-z]{32}$/);
    assert.deepEqual(res.json, { status: 'success', message: '', data: { 'set-cookie': { session_token: token } } });
    assert.deepEqual(res.headers.getSetCookie(), [`session_token=${token}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax`]);
    const me = await http(s.url, '/api/me', { cookie: token });
    assert.equal(me.json.logged_in, true);
    assert.equal(me.json.username, 'admin');
  });

  it('each login issues a different session token', async () => {
    assert.notEqual(await s.login(), await s.login());
  });

  it('X-Forwarded-Proto https from an untrusted peer does not add Secure', async () => {
    const res = await login(s, { username: 'admin', password: s.adminPassword }, { 'x-forwarded-proto': 'https' });
    assert.equal(res.status, 200);
    const [cookie] = res.headers.getSetCookie();
    assert.ok(cookie);
    assert.doesNotMatch(cookie, /Secure/);
  });

  it('the body is read as JSON whatever the Content-Type says', async () => {
    const res = await login(s, JSON.stringify({ username: 'admin', password: s.adminPassword }), { 'content-type': 'text/plain' });
    assert.equal(res.status, 200);
    assert.ok(sessionCookieOf(res.headers));
  });

  it('a wrong password sets no cookie and answers 401 Invalid credentials', async () => {
    const res = await login(s, { username: 'admin', password: 'not-the-password' });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, { status: 'error', message: 'Invalid credentials' });
    assert.deepEqual(res.headers.getSetCookie(), []);
  });

  it('a failed login is audited as a warn entry naming the account', async () => {
    await login(s, { username: s.adminUsername, password: 'guess-1' });
    const logs = await http(s.url, '/api/admin/logs', { cookie: await s.login() });
    const entry = logs.json.data.logs.find((l: { message: string }) => l.message === `failed login for "${s.adminUsername}": Invalid credentials`);
    assert.ok(entry, JSON.stringify(logs.json.data.logs));
    assert.equal(entry.msg_type, 'warn');
    assert.equal(entry.uuid, '');
  });

  it('a failed login with a username no account has is audited without it: it is often the password typed in the wrong box', async () => {
    const typedPassword = 'Tr0ub4dor-and-3-more-words';
    await login(s, { username: typedPassword, password: 'admin' });
    const logs = await http(s.url, '/api/admin/logs', { cookie: await s.login() });
    const messages = (logs.json.data.logs as Array<{ message: string }>).map((l) => l.message);
    assert.ok(messages.includes('failed login for an unknown username: Invalid credentials'), JSON.stringify(messages));
    assert.ok(!JSON.stringify(messages).includes(typedPassword));
  });

  it('an unknown user gets the same 401 Invalid credentials as a wrong password', async () => {
    const res = await login(s, { username: 'nobody', password: s.adminPassword });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, { status: 'error', message: 'Invalid credentials' });
    assert.deepEqual(res.headers.getSetCookie(), []);
  });

  it('the username is matched case-sensitively', async () => {
    const res = await login(s, { username: 'Admin', password: s.adminPassword });
    assert.equal(res.status, 401);
    assert.deepEqual(res.headers.getSetCookie(), []);
    await s.login(); // a success clears this IP's failure count for the tests that follow
  });

  it('an empty username or password answers 400 Username and password are required', async () => {
    for (const body of [{ username: '', password: s.adminPassword }, { username: 'admin', password: '' }, { username: 'admin' }, {}]) {
      const res = await login(s, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.deepEqual(res.json, { status: 'error', message: 'Invalid request body: Username and password are required' });
      assert.deepEqual(res.headers.getSetCookie(), []);
    }
  });

  it('malformed JSON answers 400 with the parser error after "Invalid request body: "', async () => {
    const res = await login(s, '{"username":"admin","password":');
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.json).sort(), envelopeKeys);
    assert.equal(res.json.status, 'error');
    assert.match(res.json.message, /^Invalid request body: .+/);
    assert.deepEqual(res.headers.getSetCookie(), []);
  });

  it('a JSON array or wrongly typed fields answer 400 and set no cookie, even with the right password', async () => {
    const bodies = [
      [s.adminUsername, s.adminPassword],
      { username: 1, password: s.adminPassword },
      { username: 'admin', password: [s.adminPassword] },
      { username: 'admin', password: s.adminPassword, '2fa_code': 123456 },
      'null',
      '"admin"',
    ];
    for (const body of bodies) {
      const res = await login(s, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.status, 'error');
      assert.match(res.json.message, /^Invalid request body: /);
      assert.deepEqual(res.headers.getSetCookie(), []);
    }
  });

  it('a successful login is audited as "logged in (password)" of type login with the account uuid', async () => {
    const cookie = await s.login();
    const me = await http(s.url, '/api/me', { cookie });
    const logs = await http(s.url, '/api/admin/logs', { cookie });
    const entry = logs.json.data.logs.find((l: { message: string }) => l.message === 'logged in (password)');
    assert.ok(entry);
    assert.equal(entry.msg_type, 'login');
    assert.equal(entry.uuid, me.json.uuid);
  });

  it('disable_password_login answers 403 Password login is disabled before looking at the body', async () => {
    const cookie = await s.login();
    const set = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { disable_password_login: true } });
    assert.equal(set.status, 200);
    for (const body of [{ username: 'admin', password: s.adminPassword }, 'not json']) {
      const res = await login(s, body);
      assert.equal(res.status, 403);
      assert.deepEqual(res.json, { status: 'error', message: 'Password login is disabled' });
      assert.deepEqual(res.headers.getSetCookie(), []);
    }
    // Existing sessions are not ended by it (auth.md §4.3).
    assert.equal((await http(s.url, '/api/admin/session/get', { cookie })).status, 200);
    await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { disable_password_login: false } });
    assert.equal((await login(s, { username: 'admin', password: s.adminPassword })).status, 200);
  });
});

describe('POST /api/login behind a trusted proxy', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ env: { KOMARI_TRUSTED_PROXIES: '127.0.0.1' } });
  });
  after(() => s.dispose());

  it('X-Forwarded-Proto https from a trusted proxy adds Secure between HttpOnly and SameSite=Lax', async () => {
    const res = await login(s, { username: 'admin', password: s.adminPassword }, { 'x-forwarded-proto': 'https' });
    assert.equal(res.status, 200);
    const token = sessionCookieOf(res.headers);
    assert.deepEqual(res.headers.getSetCookie(), [`session_token=${token}; Path=/; Max-Age=2592000; HttpOnly; Secure; SameSite=Lax`]);
  });

  it('X-Forwarded-Proto is compared case-sensitively, as in Komari: HTTPS adds no Secure', async () => {
    const res = await login(s, { username: 'admin', password: s.adminPassword }, { 'x-forwarded-proto': 'HTTPS' });
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.headers.getSetCookie()[0] ?? '', /Secure/);
  });

  it('the session records the client IP from X-Forwarded-For', async () => {
    const res = await login(s, { username: 'admin', password: s.adminPassword }, { 'x-forwarded-for': '203.0.113.5' });
    const token = sessionCookieOf(res.headers);
    const list = await http(s.url, '/api/admin/session/get', { cookie: token });
    const mine = list.json.data.find((x: { session: string }) => x.session === token);
    assert.equal(mine.ip, '203.0.113.5');
  });
});

describe('login throttling', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) await s.dispose();
  });
  async function fresh(env?: Record<string, string>): Promise<TestServer> {
    const s = await startTestServer({ env });
    servers.push(s);
    return s;
  }

  function assertThrottled(res: HttpResult): void {
    assert.equal(res.status, 429);
    assert.equal(res.json.status, 'error');
    assert.equal(typeof res.json.message, 'string');
    assert.notEqual(res.json.message, '');
    const retry = Number(res.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry > 0 && retry <= 600, `Retry-After ${res.headers.get('retry-after')}`);
    assert.deepEqual(res.headers.getSetCookie(), []);
  }

  it('after 10 wrong passwords from one IP the 11th attempt is refused with 429 even with the right password', async () => {
    const s = await fresh();
    for (let i = 0; i < 10; i++) assert.equal((await login(s, { username: 'admin', password: `wrong-${i}` })).status, 401);
    assertThrottled(await login(s, { username: 'admin', password: s.adminPassword }));
    // The limit is per IP: another username from the same peer is refused too, and an
    // X-Forwarded-For from an untrusted peer does not make it a different IP.
    assertThrottled(await login(s, { username: 'other', password: 'whatever' }));
    assertThrottled(await login(s, { username: 'admin', password: s.adminPassword }, { 'x-forwarded-for': '198.51.100.1' }));
  });

  it('a throttled IP does not lock out another IP', async () => {
    const s = await fresh({ KOMARI_TRUSTED_PROXIES: '127.0.0.1' });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    for (let i = 0; i < 10; i++) {
      assert.equal((await login(s, { username: 'admin', password: `wrong-${i}` }, from('203.0.113.7'))).status, 401);
    }
    assertThrottled(await login(s, { username: 'admin', password: s.adminPassword }, from('203.0.113.7')));
    const other = await login(s, { username: 'admin', password: s.adminPassword }, from('203.0.113.8'));
    assert.equal(other.status, 200);
    assert.ok(sessionCookieOf(other.headers));
  });

  it('after 20 failures for one account from different IPs its right password is refused with 429', async () => {
    const s = await fresh({ KOMARI_TRUSTED_PROXIES: '127.0.0.1' });
    for (let i = 1; i <= 20; i++) {
      const res = await login(s, { username: 'admin', password: `wrong-${i}` }, { 'x-forwarded-for': `198.51.100.${i}` });
      assert.equal(res.status, 401, `attempt ${i}`);
    }
    assertThrottled(await login(s, { username: 'admin', password: s.adminPassword }, { 'x-forwarded-for': '198.51.100.99' }));
    // Another username from a fresh IP is judged normally.
    const res = await login(s, { username: 'nobody', password: 'x' }, { 'x-forwarded-for': '198.51.100.100' });
    assert.equal(res.status, 401);
  });
});

describe('an account imported with Komari’s password hash', () => {
  let s: TestServer;
  const pw = 'Komari-Legacy-9';
  before(async () => {
    s = await startTestServer();
    await s.stop();
    // Komari's hash: base64(SHA-256(password + "06Wm4Jv1Hkxx")), computed here independently.
    const hash = createHash('sha256').update(pw + '06Wm4Jv1Hkxx').digest('base64');
    sql(s.dbPath, 'UPDATE accounts SET password_hash = ? WHERE username = ?', hash, 'admin');
    s = await startTestServer({ dir: s.dir });
  });
  after(() => s.dispose());

  const storedHash = () => String(sql(s.dbPath, 'SELECT password_hash FROM accounts WHERE username = ?', 'admin')?.password_hash);

  it('a wrong password is refused and leaves the legacy hash in place', async () => {
    const res = await login(s, { username: 'admin', password: 'wrong-password' });
    assert.equal(res.status, 401);
    assert.match(storedHash(), /^[A-Za-z0-9+/]{43}=$/);
  });

  it('the right password logs in and the hash is replaced by argon2id on that login', async () => {
    const res = await login(s, { username: 'admin', password: pw });
    assert.equal(res.status, 200);
    assert.ok(sessionCookieOf(res.headers));
    assert.match(storedHash(), /^argon2id\$/);
  });

  it('the password still logs in after the upgrade, and the old hash no longer matters', async () => {
    assert.equal((await login(s, { username: 'admin', password: pw })).status, 200);
    assert.equal((await login(s, { username: 'admin', password: 'wrong-password' })).status, 401);
  });
});

describe('two-factor authentication at login', () => {
  let s: TestServer;
  const secret = 'JBSWY3DPEHPK3PXP';
  const creds = () => ({ username: 'admin', password: s.adminPassword });
  const clock = new ManualClock(Date.now());
  /** A code is good once (issue 12): each use moves the clock one 30 s step first. */
  const nextCode = () => {
    clock.advance(30_000);
    return totpCode(secret, clock.now());
  };
  before(async () => {
    s = await startTestServer();
    await s.stop();
    sql(s.dbPath, 'UPDATE accounts SET two_factor = ? WHERE username = ?', secret, 'admin');
    s = await startTestServer({ dir: s.dir, clock });
  });
  after(() => s.dispose());

  /** Codes accepted right now: the current 30 s step and one either side, with a step of margin. */
  function acceptedNow(): Set<string> {
    const now = clock.now();
    return new Set([-2, -1, 0, 1, 2].map((d) => totpCode(secret, now + d * 30_000)));
  }

  /** A six-digit code that no accepted step produces. */
  function wrongCode(): string {
    const valid = acceptedNow();
    for (let i = 0; ; i++) {
      const c = String(i).padStart(6, '0');
      if (!valid.has(c)) return c;
    }
  }

  it('the right password without a code answers 401 "2FA code is required" and sets no cookie', async () => {
    const res = await login(s, creds());
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, { status: 'error', message: '2FA code is required' });
    assert.deepEqual(res.headers.getSetCookie(), []);
  });

  it('a wrong code answers 401 "Invalid 2FA code" and sets no cookie', async () => {
    const stale = totpCode(secret, clock.now() - 5 * 30_000); // two and a half minutes old
    const codes = [wrongCode(), 'abcdef', '12345', ...(acceptedNow().has(stale) ? [] : [stale])];
    for (const code of codes) {
      const res = await login(s, { ...creds(), '2fa_code': code });
      assert.equal(res.status, 401, code);
      assert.deepEqual(res.json, { status: 'error', message: 'Invalid 2FA code' });
      assert.deepEqual(res.headers.getSetCookie(), []);
    }
  });

  it('a wrong password with the right code answers Invalid credentials', async () => {
    const res = await login(s, { username: 'admin', password: 'wrong-password', '2fa_code': nextCode() });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, { status: 'error', message: 'Invalid credentials' });
  });

  it('the right password and the current code log in, and /api/me reports 2fa_enabled true', async () => {
    const res = await login(s, { ...creds(), '2fa_code': nextCode() });
    assert.equal(res.status, 200);
    const cookie = sessionCookieOf(res.headers);
    assert.ok(cookie);
    const me = await http(s.url, '/api/me', { cookie });
    assert.equal(me.json['2fa_enabled'], true);
  });

  it('a password change needs a code in the body or the X-2FA-Code header; a rename does not', async () => {
    const res = await login(s, { ...creds(), '2fa_code': nextCode() });
    const cookie = sessionCookieOf(res.headers);
    const uuid = (await http(s.url, '/api/me', { cookie })).json.uuid;
    const update = (body: unknown, headers: Record<string, string> = {}) =>
      http(s.url, '/api/admin/update/user', { method: 'POST', cookie, body, headers });
    const missing = await update({ uuid, password: 'Second-Pass-2' });
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.json, { status: 'error', message: '2FA code is required' });
    const wrong = await update({ uuid, password: 'Second-Pass-2', '2fa_code': wrongCode() });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json, { status: 'error', message: 'Invalid 2FA code' });
    assert.equal((await http(s.url, '/api/admin/session/get', { cookie })).status, 200, 'a refused change ends no session');
    assert.equal((await update({ uuid, username: 'admin2' })).status, 200);
    assert.equal((await update({ uuid, username: 'admin' })).status, 200);
    const viaHeader = await update({ uuid, password: 'Second-Pass-2' }, { 'x-2fa-code': nextCode() });
    assert.equal(viaHeader.status, 200, viaHeader.text);
    // The change ended every session; log in with the new password and change it back with the
    // code in the body this time.
    const again = await login(s, { username: 'admin', password: 'Second-Pass-2', '2fa_code': nextCode() });
    assert.equal(again.status, 200);
    const viaBody = await http(s.url, '/api/admin/update/user', {
      method: 'POST',
      cookie: sessionCookieOf(again.headers),
      body: { uuid, password: s.adminPassword, '2fa_code': nextCode() },
    });
    assert.equal(viaBody.status, 200, viaBody.text);
    assert.equal((await login(s, { ...creds(), '2fa_code': nextCode() })).status, 200);
  });
});
