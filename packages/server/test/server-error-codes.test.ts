import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serverErrorCode } from '@komari-ts/protocol/error-codes';
import { totpCode } from '../src/auth/totp.ts';
import { addNode } from './helpers/agent-common.ts';
import { http, startWithAdmin, type HttpResult, type TestServer } from './helpers/server.ts';
import { wrongCode } from './helpers/totp.ts';

/** The stable code (and parameters) a client finds for this error answer. */
function codeOf(res: HttpResult): { code: string; params: Record<string, string> } | undefined {
  assert.equal(res.json?.status, 'error', res.text);
  return serverErrorCode(res.json.message as string);
}

/*
 * The server's English sentences are what the shared catalog (@komari-ts/protocol/error-codes)
 * turns into codes for the web UI's translations; these answers pin them, so rewording one on the
 * server fails here rather than showing English to a Chinese admin.
 */
describe('error answers an admin meets map to stable codes (issue 17 §5)', () => {
  let s: TestServer;
  let cookie: string;
  const login = (body: unknown) => http(s.url, '/api/login', { method: 'POST', body });

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
  });
  after(() => s.dispose());

  it('ping-task refusals', async () => {
    const node = await addNode(s, cookie, 'n');
    const ok = { name: 'x', target: 'example.com', type: 'icmp', interval: 30, clients: [node.uuid] };
    const cases: [unknown, string, Record<string, string>?][] = [
      [{ ...ok, name: '' }, 'ping.fields_required'],
      [{ ...ok, clients: [] }, 'ping.clients_required'],
      [{ ...ok, clients: [], default_on: true }, 'ping.no_server_today'],
      [{ ...ok, type: 'udp' }, 'ping.bad_type', { types: 'icmp, tcp, http' }],
      [{ ...ok, name: 'n'.repeat(300) }, 'ping.name_too_long', { max: '255' }],
      [{ ...ok, interval: 0 }, 'ping.bad_interval', { max: '604800' }],
      [{ ...ok, clients: ['ghost'] }, 'ping.unknown_client', { uuids: 'ghost' }],
      [{ ...ok, target: 'a b' }, 'ping.target_spaces'],
      [{ ...ok, target: 'exa$mple.com' }, 'ping.target_host'],
      [{ ...ok, type: 'tcp', target: 'example.com:99999' }, 'ping.target_host_port'],
      [{ ...ok, type: 'http', target: 'ftp://example.com' }, 'ping.target_scheme'],
      [{ ...ok, target: 'x'.repeat(256) }, 'ping.target_too_long', { max: '255' }],
    ];
    for (const [body, code, params = {}] of cases) {
      const res = await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body });
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(codeOf(res), { code, params }, res.text);
    }
    const edit = await http(s.url, '/api/admin/ping/edit', { method: 'POST', cookie, body: { tasks: [] } });
    assert.equal(codeOf(edit)?.code, 'request.invalid_data');
  });

  it('node edits', async () => {
    const node = await addNode(s, cookie, 'edit-me');
    const cases: [unknown, string, Record<string, string>?][] = [
      [{ traffic_limit: -1 }, 'node.traffic_limit'],
      [{ name: 'n'.repeat(101) }, 'node.too_long', { field: 'name', max: '100' }],
      [{ expired_at: 'soon' }, 'node.expired_at', { value: 'soon' }],
      [{ colour: 'red' }, 'node.unknown_field', { field: 'colour' }],
    ];
    for (const [body, code, params = {}] of cases) {
      const res = await http(s.url, `/api/admin/client/${node.uuid}/edit`, { method: 'POST', cookie, body });
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(codeOf(res), { code, params }, res.text);
    }
    const gone = await http(s.url, '/api/admin/client/no-such-node/edit', { method: 'POST', cookie, body: { name: 'x' } });
    assert.equal(codeOf(gone)?.code, 'request.not_found');
  });

  it('login: wrong password, 2FA required, wrong 2FA code, then too many failures', async () => {
    const wrong = await login({ username: s.adminUsername, password: 'nope' });
    assert.deepEqual([wrong.status, codeOf(wrong)?.code], [401, 'auth.invalid_credentials']);

    const gen = await fetch(`${s.url}/api/admin/2fa/generate`, { headers: { cookie: `session_token=${cookie}` } });
    const secret = gen.headers.getSetCookie().map((c) => /^2fa_secret=([^;]*)/.exec(c)?.[1]).find(Boolean) ?? '';
    const on = await http(s.url, `/api/admin/2fa/enable?code=${totpCode(secret, Date.now())}`, {
      method: 'POST',
      headers: { cookie: `session_token=${cookie}; 2fa_secret=${secret}` },
    });
    assert.equal(on.status, 200, on.text);
    const needCode = await login({ username: s.adminUsername, password: s.adminPassword });
    assert.deepEqual([needCode.status, codeOf(needCode)?.code], [401, 'auth.code_required']);
    const badCode = await login({ username: s.adminUsername, password: s.adminPassword, '2fa_code': wrongCode(secret) });
    assert.deepEqual([badCode.status, codeOf(badCode)?.code], [401, 'auth.invalid_code']);

    // keep failing until the guard steps in (its allowance is configuration, not this test's)
    let last = badCode;
    for (let i = 0; i < 50 && last.status !== 429; i++) last = await login({ username: s.adminUsername, password: 'nope' });
    assert.equal(last.status, 429, last.text);
    const limited = codeOf(last);
    assert.equal(limited?.code, 'auth.login_rate_limited');
    assert.equal(limited?.params.seconds, last.headers.get('retry-after'));
  });
});
