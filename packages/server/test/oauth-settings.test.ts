import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http, rpc, startWithAdmin, type TestServer } from './helpers/server.ts';

const item = (name: string, required: boolean, def = '') => ({ name, required, type: 'string', options: '', default: def, help: '' });

describe('OAuth provider settings (GET/POST /api/admin/settings/oidc)', () => {
  let s: TestServer;
  let admin: string;
  before(async () => {
    ({ s, cookie: admin } = await startWithAdmin());
  });
  after(() => s.dispose());

  it('without a provider the answer is every provider’s Item list (Komari’s three and oidc)', async () => {
    const res = await http(s.url, '/api/admin/settings/oidc', { cookie: admin });
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'success');
    const data = res.json.data;
    assert.deepEqual(data.github, [item('client_id', true), item('client_secret', true)]);
    assert.deepEqual(data.generic, [
      item('client_id', true), item('client_secret', true), item('auth_url', true), item('token_url', true),
      item('user_info_url', true), item('scope', false), item('user_id_field', true),
    ]);
    assert.deepEqual(data.oidc.map((i: { name: string; default: string }) => `${i.name}=${i.default}`), [
      'issuer=', 'client_id=', 'client_secret=', 'scope=openid profile email', 'user_id_field=sub',
    ]);
    assert.deepEqual(data.qq, [item('aggregation_url', true, 'https://login.qjqq.cn'), item('app_id', true), item('app_key', true), item('login_type', true)]);
  });

  it('every provider has a zero-value row from boot', async () => {
    const res = await http(s.url, '/api/admin/settings/oidc?provider=qq', { cookie: admin });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.data, { name: 'qq', addition: JSON.stringify({ aggregation_url: '', app_id: '', app_key: '', login_type: '' }) });
  });

  it('a configuration is saved as a JSON string and read back; unknown keys are dropped', async () => {
    const addition = JSON.stringify({ client_id: 'abc', client_secret: 'shh', extra: 1 });
    const set = await http(s.url, '/api/admin/settings/oidc', { method: 'POST', cookie: admin, body: { name: 'github', addition } });
    assert.equal(set.status, 200);
    assert.deepEqual(set.json, { status: 'success', message: '', data: { message: 'OIDC provider set successfully' } });
    const got = await http(s.url, '/api/admin/settings/oidc?provider=github', { cookie: admin });
    assert.deepEqual(got.json.data, { name: 'github', addition: JSON.stringify({ client_id: 'abc', client_secret: 'shh' }) });
  });

  it('the same methods answer over JSON-RPC', async () => {
    const got = await rpc(s.url, 'admin:getOidcProvider', { provider: 'github' }, { cookie: admin });
    assert.equal(got.result.name, 'github');
    const set = await rpc(s.url, 'admin:setOidcProvider', { name: 'generic', addition: '{"client_id":"x"}' }, { cookie: admin });
    assert.deepEqual(set.result, { message: 'OIDC provider set successfully' });
  });

  it('a missing name is 400 "Provider name is required"', async () => {
    const res = await http(s.url, '/api/admin/settings/oidc', { method: 'POST', cookie: admin, body: { addition: '{}' } });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { status: 'error', message: 'Provider name is required' });
  });

  it('an unknown provider is 404 on set and on get', async () => {
    const set = await http(s.url, '/api/admin/settings/oidc', { method: 'POST', cookie: admin, body: { name: 'myspace', addition: '{}' } });
    assert.equal(set.status, 404);
    assert.deepEqual(set.json, { status: 'error', message: 'Provider not found: myspace' });
    const get = await http(s.url, '/api/admin/settings/oidc?provider=myspace', { cookie: admin });
    assert.equal(get.status, 404);
    assert.deepEqual(get.json, { status: 'error', message: 'Provider not found: record not found' });
  });

  it('addition sent as an object, as broken JSON or with a non-string field is 400 "Invalid configuration" and changes nothing', async () => {
    const before = await http(s.url, '/api/admin/settings/oidc?provider=github', { cookie: admin });
    for (const addition of [{ client_id: 'x' }, '{not json', '{"client_id":5}', '[1]']) {
      const res = await http(s.url, '/api/admin/settings/oidc', { method: 'POST', cookie: admin, body: { name: 'github', addition } });
      assert.equal(res.status, 400, JSON.stringify(addition));
      assert.match(res.json.message, /^Invalid configuration: /);
    }
    const afterwards = await http(s.url, '/api/admin/settings/oidc?provider=github', { cookie: admin });
    assert.deepEqual(afterwards.json, before.json);
  });

  it('guests cannot read or write provider configurations', async () => {
    const get = await http(s.url, '/api/admin/settings/oidc?provider=github');
    assert.equal(get.status, 401);
    const set = await http(s.url, '/api/admin/settings/oidc', { method: 'POST', body: { name: 'github', addition: '{"client_id":"evil"}' } });
    assert.equal(set.status, 401);
    const got = await http(s.url, '/api/admin/settings/oidc?provider=github', { cookie: admin });
    assert.doesNotMatch(got.json.data.addition, /evil/);
  });

  it('/api/public reports oauth_enable and oauth_provider from the settings', async () => {
    await http(s.url, '/api/admin/settings/', { method: 'POST', cookie: admin, body: { o_auth_enabled: true, o_auth_provider: 'generic' } });
    const pub = await http(s.url, '/api/public');
    assert.equal(pub.json.data.oauth_enable, true);
    assert.equal(pub.json.data.oauth_provider, 'generic');
  });
});
