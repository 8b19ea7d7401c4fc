import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { http, type HttpResult, type TestServer, startTestServer } from './helpers/server.ts';
import { ManualClock } from './helpers/clock.ts';
import { nextCode, wrongCode } from './helpers/totp.ts';

// jsqr is CommonJS typed as an ES default export; under nodenext the import is module.exports,
// which carries the decoder as `.default` as well.
const jsQR = jsqr.default;

const otpauthPrefix = 'otpauth://totp/Komari%20Monitor:komari?algorithm=SHA1&digits=6&issuer=Komari+Monitor&period=30&secret=';

interface Generated {
  status: number;
  contentType: string | null;
  setCookies: string[];
  png: Buffer;
  /** the secret from the `2fa_secret` cookie */
  secret: string;
  /** the X-2FA-Secret header (komari-ts: for the admin UI to show) */
  headerSecret: string | null;
}

/** GET /api/admin/2fa/generate with fetch directly: the body is binary, not text. */
async function generate(s: TestServer, session: string): Promise<Generated> {
  const res = await fetch(`${s.url}/api/admin/2fa/generate`, { headers: { cookie: `session_token=${session}` } });
  const png = Buffer.from(await res.arrayBuffer());
  const setCookies = res.headers.getSetCookie();
  const secret = setCookies.map((c) => /^2fa_secret=([^;]*)/.exec(c)?.[1]).find((v) => v !== undefined) ?? '';
  return { status: res.status, contentType: res.headers.get('content-type'), setCookies, png, secret, headerSecret: res.headers.get('x-2fa-secret') };
}

/** The text a QR code PNG encodes, read back through pngjs (pixels) and jsQR (decoder). */
function decodeQr(png: Buffer): string | undefined {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data;
}

function enable(s: TestServer, session: string, secret: string | undefined, query: string, body?: unknown): Promise<HttpResult> {
  const cookie = `session_token=${session}` + (secret === undefined ? '' : `; 2fa_secret=${secret}`);
  return http(s.url, `/api/admin/2fa/enable${query}`, { method: 'POST', headers: { cookie }, body });
}

describe('two-factor setup routes', () => {
  let s: TestServer;
  let session: string;
  const clock = new ManualClock(Date.now());
  const creds = () => ({ username: 'admin', password: s.adminPassword });
  const login = (body: unknown) => http(s.url, '/api/login', { method: 'POST', body });
  const disable = (o: { body?: unknown; headers?: Record<string, string> } = {}) =>
    http(s.url, '/api/admin/2fa/disable', { method: 'POST', cookie: session, ...o });
  const twoFactorEnabled = async () => (await http(s.url, '/api/me', { cookie: session })).json['2fa_enabled'] as boolean;

  /** Generates a secret and enables it with the current code; returns the secret. */
  async function turnOn(): Promise<string> {
    const { secret } = await generate(s, session);
    const res = await enable(s, session, secret, `?code=${nextCode(secret, clock)}`);
    assert.equal(res.status, 200, res.text);
    return secret;
  }

  before(async () => {
    s = await startTestServer({ clock });
    session = await s.login();
  });
  after(() => s.dispose());

  it('generate answers a 250×250 PNG QR code of the otpauth URL and puts the secret in a 30-minute HttpOnly cookie', async () => {
    const g = await generate(s, session);
    assert.equal(g.status, 200);
    assert.equal(g.contentType, 'image/png');
    assert.deepEqual([...g.png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(g.png.subarray(12, 16).toString('latin1'), 'IHDR');
    assert.equal(g.png.readUInt32BE(16), 250, 'width');
    assert.equal(g.png.readUInt32BE(20), 250, 'height');
    assert.match(g.secret, /^[A-Z2-7]{32}$/);
    assert.deepEqual(g.setCookies, [`2fa_secret=${g.secret}; Path=/; Max-Age=1800; HttpOnly`]);
    assert.equal(decodeQr(g.png), otpauthPrefix + g.secret);
    assert.equal(g.headerSecret, g.secret, 'the same secret, for typing in by hand');
  });

  it('each generate makes a new secret', async () => {
    const a = await generate(s, session);
    const b = await generate(s, session);
    assert.notEqual(a.secret, b.secret);
  });

  it('enable without the secret cookie or without a query code answers 400 and enables nothing', async () => {
    const { secret } = await generate(s, session);
    const code = nextCode(secret, clock);
    const cases = [
      await enable(s, session, undefined, `?code=${code}`),
      await enable(s, session, secret, ''),
      await enable(s, session, secret, '?code='),
      // The code is read from the query string only (auth.md §6).
      await enable(s, session, secret, '', { code }),
    ];
    for (const res of cases) {
      assert.equal(res.status, 400);
      assert.deepEqual(res.json, { status: 'error', message: '2FA secret or code not provided' });
    }
    assert.equal(await twoFactorEnabled(), false);
  });

  it('enable with a wrong code answers 400 Invalid 2FA code, and login still needs no code', async () => {
    const { secret } = await generate(s, session);
    const res = await enable(s, session, secret, `?code=${wrongCode(secret, clock.now())}`);
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { status: 'error', message: 'Invalid 2FA code' });
    assert.deepEqual(res.headers.getSetCookie(), []);
    assert.equal(await twoFactorEnabled(), false);
    assert.equal((await login(creds())).status, 200);
  });

  it('enable with the current code stores the secret, clears the cookie, and login then needs the code', async () => {
    const { secret } = await generate(s, session);
    const res = await enable(s, session, secret, `?code=${nextCode(secret, clock)}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { status: 'success', message: '', data: '2FA enabled successfully' });
    assert.deepEqual(res.headers.getSetCookie(), ['2fa_secret=; Path=/; Max-Age=0; HttpOnly']);
    assert.equal(await twoFactorEnabled(), true);
    const without = await login(creds());
    assert.equal(without.status, 401);
    assert.deepEqual(without.json, { status: 'error', message: '2FA code is required' });
    assert.equal((await login({ ...creds(), '2fa_code': nextCode(secret, clock) })).status, 200);
  });

  it('disable is behind the sensitive re-check: no code or a wrong code answers 401 and keeps 2FA on', async () => {
    assert.equal(await twoFactorEnabled(), true);
    const secret = String((await s.ctx.store.accounts.byUsername('admin'))?.twoFactor);
    const missing = await disable();
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.json, { status: 'error', message: '2FA code is required' });
    for (const o of [{ headers: { 'x-2fa-code': wrongCode(secret, clock.now()) } }, { body: { '2fa_code': wrongCode(secret, clock.now()) } }]) {
      const wrong = await disable(o);
      assert.equal(wrong.status, 401);
      assert.deepEqual(wrong.json, { status: 'error', message: 'Invalid 2FA code' });
    }
    assert.equal(await twoFactorEnabled(), true);
  });

  it('disable with the right code in X-2FA-Code clears 2FA, and login needs no code again', async () => {
    const secret = String((await s.ctx.store.accounts.byUsername('admin'))?.twoFactor);
    const res = await disable({ headers: { 'x-2fa-code': nextCode(secret, clock) } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { status: 'success', message: '', data: '' });
    assert.equal(await twoFactorEnabled(), false);
    assert.equal((await login(creds())).status, 200);
  });

  it('disable takes the code from the JSON body too, and passes without one when 2FA is off', async () => {
    const secret = await turnOn();
    const res = await disable({ body: { '2fa_code': nextCode(secret, clock) } });
    assert.equal(res.status, 200, res.text);
    assert.equal(await twoFactorEnabled(), false);
    // auth.md §7 step 3: an account without 2FA passes the re-check with no code at all.
    assert.equal((await disable()).status, 200);
  });

  it('enable and disable are audited as warn entries carrying the account uuid', async () => {
    const me = await http(s.url, '/api/me', { cookie: session });
    const logs = await http(s.url, '/api/admin/logs?limit=1000', { cookie: session });
    const rows = logs.json.data.logs as { message: string; msg_type: string; uuid: string }[];
    for (const message of ['2FA enabled', '2FA disabled']) {
      const row = rows.find((r) => r.message === message);
      assert.ok(row, `${message} in ${JSON.stringify(rows.map((r) => r.message))}`);
      assert.equal(row.msg_type, 'warn');
      assert.equal(row.uuid, me.json.uuid);
    }
  });

  it('guests get 401 Unauthorized. on all three routes', async () => {
    const { secret } = await generate(s, session);
    const code = nextCode(secret, clock);
    const routes: [string, string][] = [['GET', '/api/admin/2fa/generate'], ['POST', `/api/admin/2fa/enable?code=${code}`], ['POST', '/api/admin/2fa/disable']];
    for (const [method, path] of routes) {
      const res = await http(s.url, path, { method, headers: { cookie: `2fa_secret=${secret}` } });
      assert.equal(res.status, 401, path);
      assert.deepEqual(res.json, { status: 'error', message: 'Unauthorized.' });
      assert.deepEqual(res.headers.getSetCookie(), []);
    }
    assert.equal(await twoFactorEnabled(), false);
  });

  it('an API-key caller has no account: enable and disable answer 400 (deviation from Komari’s silent no-op)', async () => {
    const key = 'twofactor-7OZzzjR2yFDiYMNR8tS8LO8BlQ-z';
    assert.equal((await http(s.url, '/api/admin/settings', { method: 'POST', cookie: session, body: { api_key: key } })).status, 200);
    const { secret } = await generate(s, session);
    const headers = { authorization: `Bearer ${key}`, cookie: `2fa_secret=${secret}` };
    const requests = [
      http(s.url, `/api/admin/2fa/enable?code=${nextCode(secret, clock)}`, { method: 'POST', headers }),
      http(s.url, '/api/admin/2fa/disable', { method: 'POST', headers }),
    ];
    for (const res of await Promise.all(requests)) {
      assert.equal(res.status, 400);
      assert.deepEqual(res.json, { status: 'error', message: '2FA requires a logged-in account' });
    }
    assert.equal(await twoFactorEnabled(), false);
  });
});
