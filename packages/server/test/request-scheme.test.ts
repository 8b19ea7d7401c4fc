import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http, startTestServer, type TestServer } from './helpers/server.ts';

async function loginCookieHeader(s: TestServer, headers: Record<string, string>): Promise<string> {
  const res = await http(s.url, '/api/login', {
    method: 'POST',
    body: { username: s.adminUsername, password: s.adminPassword },
    headers,
  });
  assert.equal(res.status, 200);
  return res.headers.getSetCookie().find((c) => c.startsWith('session_token=')) ?? '';
}

const httpsHints: Array<Record<string, string>> = [
  { 'x-forwarded-proto': 'https' },
  { 'x-forwarded-protocol': 'https' },
  { 'x-forwarded-ssl': 'on' },
  { 'x-url-scheme': 'https' },
];

describe('session cookie Secure flag follows the scheme a trusted proxy reports (auth.md §4.2)', () => {
  let trusted: TestServer;
  let untrusted: TestServer;
  before(async () => {
    trusted = await startTestServer({ env: { KOMARI_TRUSTED_PROXIES: '127.0.0.1' } });
    untrusted = await startTestServer();
  });
  after(async () => {
    await trusted.dispose();
    await untrusted.dispose();
  });

  for (const hint of httpsHints) {
    const name = Object.keys(hint)[0];
    it(`${name} from a trusted proxy makes the cookie Secure`, async () => {
      assert.match(await loginCookieHeader(trusted, hint), /; HttpOnly; Secure; SameSite=Lax$/);
    });
    it(`${name} from an untrusted peer is ignored`, async () => {
      assert.doesNotMatch(await loginCookieHeader(untrusted, hint), /Secure/);
    });
  }

  it('X-Forwarded-Proto wins over the later headers, as in Komari', async () => {
    const cookie = await loginCookieHeader(trusted, { 'x-forwarded-proto': 'http', 'x-forwarded-ssl': 'on' });
    assert.doesNotMatch(cookie, /Secure/);
  });

  it('logout clears the cookie with the same Secure attribute', async () => {
    const res = await http(trusted.url, '/api/logout', { headers: { 'x-forwarded-ssl': 'on' } });
    assert.equal(res.status, 302);
    assert.match(res.headers.getSetCookie()[0] ?? '', /^session_token=; Path=\/; Max-Age=0; HttpOnly; Secure; SameSite=Lax$/);
  });
});
