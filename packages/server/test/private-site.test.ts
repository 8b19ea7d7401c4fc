import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http, rpc, startTestServer, type TestServer } from './helpers/server.ts';

const gateA = { status: 'error', message: 'Private site is enabled, please login first.' };
const apiKey = 'private-aLys1EvuyHuD6VAdxGxDGMSy9K3F';
const shareToken = 'share-123456';

describe('private site', () => {
  let s: TestServer;
  let admin: string;
  const setSettings = async (body: Record<string, unknown>) => {
    const res = await http(s.url, '/api/admin/settings', { method: 'POST', cookie: admin, body });
    assert.equal(res.status, 200, res.text);
  };
  const nowSec = () => Math.floor(Date.now() / 1000);

  before(async () => {
    s = await startTestServer();
    admin = await s.login();
    await setSettings({ private_site: true, api_key: apiKey });
  });
  after(() => s.dispose());

  it('a guest GET /api/nodes is refused with the Gate A 401 and no Cache-Control', async () => {
    const res = await http(s.url, '/api/nodes');
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, gateA);
    assert.equal(res.headers.get('cache-control'), null);
  });

  it('the Gate A 401 to a same-host origin keeps the CORS headers (CORS runs first)', async () => {
    const res = await http(s.url, '/api/nodes', { headers: { origin: s.url } });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('access-control-allow-origin'), s.url);
  });

  it('Gate A covers every /api path not on the open list, including unknown ones and /api/rpc2', async () => {
    for (const path of ['/api/logout', '/api/nope', '/api/records/load?uuid=x', '/api/task/ping']) {
      const res = await http(s.url, path);
      assert.equal(res.status, 401, path);
      assert.deepEqual(res.json, gateA, path);
    }
    const res = await http(s.url, '/api/rpc2', { method: 'POST', body: { jsonrpc: '2.0', method: 'common:getNodes', id: 1 } });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, gateA);
  });

  it('a guest still reaches /api/public, /api/me, /api/version, /ping and /api/login', async () => {
    const pub = await http(s.url, '/api/public');
    assert.equal(pub.status, 200);
    assert.equal(pub.json.data.private_site, true);
    const me = await http(s.url, '/api/me');
    assert.equal(me.status, 200);
    assert.deepEqual(me.json, { logged_in: false, username: 'Guest' });
    assert.equal((await http(s.url, '/api/version')).status, 200);
    const ping = await http(s.url, '/ping');
    assert.equal(ping.status, 200);
    assert.equal(ping.text, 'pong');
    const login = await http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password: s.adminPassword } });
    assert.equal(login.status, 200, login.text);
  });

  it('a guest /api/admin request meets the role gate, not Gate A', async () => {
    const res = await http(s.url, '/api/admin/settings');
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, { status: 'error', message: 'Unauthorized.' });
  });

  it('non-API paths are never blocked by Gate A', async () => {
    const res = await http(s.url, '/some/spa/page');
    assert.notEqual(res.status, 401);
    assert.notDeepEqual(res.json, gateA);
  });

  it('an admin session cookie passes', async () => {
    const res = await http(s.url, '/api/nodes', { cookie: admin });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'success');
    const r = await rpc(s.url, 'common:getNodes', undefined, { cookie: admin });
    assert.equal(r.error, undefined);
  });

  it('a valid API key passes', async () => {
    const res = await http(s.url, '/api/nodes', { headers: { authorization: `Bearer ${apiKey}` } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'success');
  });

  it('a wrong API key does not pass', async () => {
    const res = await http(s.url, '/api/nodes', { headers: { authorization: `Bearer ${apiKey}x` } });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, gateA);
  });

  it('an agent token passes Gate A (agents see what guests see)', async () => {
    const added = await http(s.url, '/api/admin/client/add', { method: 'POST', cookie: admin, body: { name: 'gate-agent' } });
    assert.equal(added.status, 200, added.text);
    const res = await http(s.url, `/api/nodes?token=${added.json.token as string}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'success');
  });

  it('an API key shorter than 32 characters cannot be saved, and the stored key keeps working', async () => {
    const res = await http(s.url, '/api/admin/settings', { method: 'POST', cookie: admin, body: { api_key: 'short-key' } });
    assert.equal(res.status, 400);
    const refused = await http(s.url, '/api/nodes', { headers: { authorization: 'Bearer short-key' } });
    assert.equal(refused.status, 401);
    assert.deepEqual(refused.json, gateA);
    assert.equal((await http(s.url, '/api/nodes', { headers: { authorization: `Bearer ${apiKey}` } })).status, 200);
  });

  it('a valid temp_key cookie passes both gates and /api/public then reports private_site false', async () => {
    await setSettings({ tempory_share_token: shareToken, tempory_share_token_expire_at: nowSec() + 3600 });
    const cookie = { cookie: `temp_key=${shareToken}` };
    const nodes = await http(s.url, '/api/nodes', { headers: cookie });
    assert.equal(nodes.status, 200, nodes.text);
    assert.equal(nodes.json.status, 'success');
    const pub = await http(s.url, '/api/public', { headers: cookie });
    assert.equal(pub.json.data.private_site, false);
    const r = await rpc(s.url, 'common:getNodes', undefined, { headers: cookie });
    assert.equal(r.error, undefined);
    // rpc2.md §10: common:getPublicInfo does not apply the temp_key override
    const info = await rpc(s.url, 'common:getPublicInfo', undefined, { headers: cookie });
    assert.equal(info.result.private_site, true);
  });

  it('a temp_key cookie grants no admin access', async () => {
    const res = await http(s.url, '/api/admin/settings', { headers: { cookie: `temp_key=${shareToken}` } });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, { status: 'error', message: 'Unauthorized.' });
  });

  it('a wrong temp_key cookie does not pass', async () => {
    const res = await http(s.url, '/api/nodes', { headers: { cookie: 'temp_key=share-654321' } });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, gateA);
  });

  it('an expired temp_key does not pass and /api/public keeps private_site true', async () => {
    await setSettings({ tempory_share_token: shareToken, tempory_share_token_expire_at: nowSec() - 10 });
    const cookie = { cookie: `temp_key=${shareToken}` };
    const res = await http(s.url, '/api/nodes', { headers: cookie });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, gateA);
    assert.equal((await http(s.url, '/api/public', { headers: cookie })).json.data.private_site, true);
  });

  it('an empty stored share token never matches an empty temp_key cookie', async () => {
    await setSettings({ tempory_share_token: '', tempory_share_token_expire_at: nowSec() + 3600 });
    const res = await http(s.url, '/api/nodes', { headers: { cookie: 'temp_key=' } });
    assert.equal(res.status, 401);
  });

  it('turning private_site off opens /api/nodes to guests again', async () => {
    await setSettings({ private_site: false });
    const res = await http(s.url, '/api/nodes');
    assert.equal(res.status, 200, res.text);
    assert.equal((await http(s.url, '/api/public')).json.data.private_site, false);
  });
});
