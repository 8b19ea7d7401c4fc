import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, feedOf } from './helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';

const key = 'discovery-key-0123';

describe('auto-discovery POST /api/clients/register (agent-protocol.md §9)', () => {
  let s: TestServer;
  let cookie: string;

  const setKey = async (value: string) => {
    const res = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { auto_discovery_key: value } });
    assert.equal(res.status, 200, res.text);
  };
  // The official agent sends the key in the header and again in a JSON body, which is ignored.
  const register = (query: string, auth?: string) =>
    http(s.url, `/api/clients/register${query}`, {
      method: 'POST',
      body: { key: 'ignored' },
      headers: auth === undefined ? {} : { authorization: auth },
    });
  const nameOf = async (uuid: string) => (await http(s.url, `/api/admin/client/${uuid}`, { cookie })).json.name;

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    await setKey(key);
  });
  after(() => s.dispose());

  it('creates node Auto-<name> and answers its uuid and a token that works for the agent routes', async () => {
    const res = await register('?name=web-01', `Bearer ${key}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(res.text)));
    assert.deepEqual(Object.keys(res.json), ['status', 'message', 'data']);
    assert.deepEqual([res.json.status, res.json.message], ['success', '']);
    const { uuid, token } = res.json.data;
    assert.deepEqual(Object.keys(res.json.data), ['uuid', 'token']);
    assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(token, /^[0-9A-Za-z]{22}$/);
    assert.equal(await nameOf(uuid), 'Auto-web-01');
    const agent = await V1Agent.connect(s, token);
    agent.report();
    await eventually(async () => (await feedOf(s.url)).online.includes(uuid));
    await agent.close();
  });

  it('without a name the node is Auto-<8 random [0-9A-Za-z]>; every call creates a new node', async () => {
    const a = await register('', `Bearer ${key}`);
    const b = await register('?name=', `Bearer ${key}`);
    assert.notEqual(a.json.data.uuid, b.json.data.uuid);
    assert.match(await nameOf(a.json.data.uuid), /^Auto-[0-9A-Za-z]{8}$/);
    assert.match(await nameOf(b.json.data.uuid), /^Auto-[0-9A-Za-z]{8}$/);
  });

  it('a wrong, missing or non-Bearer key is 403 "Invalid AutoDiscovery Key" and creates nothing', async () => {
    const count = async () => (await http(s.url, '/api/admin/client/list', { cookie })).json.length;
    const before = await count();
    for (const auth of [`Bearer ${key}x`, undefined, key, `bearer ${key}`, `Bearer  ${key}`, 'Bearer ']) {
      const res = await register('?name=x', auth);
      assert.deepEqual([res.status, res.json], [403, { status: 'error', message: 'Invalid AutoDiscovery Key' }], String(auth));
      assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(res.text)));
    }
    assert.equal(await count(), before);
  });

  it('a key shorter than 12 characters disables registration, even when the header matches', async () => {
    await setKey('eleven-char');
    const short = await register('?name=x', 'Bearer eleven-char');
    assert.deepEqual([short.status, short.json], [403, { status: 'error', message: 'Invalid AutoDiscovery Key' }]);
    await setKey('');
    assert.equal((await register('?name=x', 'Bearer ')).status, 403);
    await setKey('twelve-chars');
    assert.equal((await register('?name=x', 'Bearer twelve-chars')).status, 200);
    await setKey(key);
  });
});

describe('auto-discovery keys cannot be guessed at speed (issue 12: every credential is throttled)', () => {
  it('after the allowed wrong keys an address gets 429 with Retry-After, even with the right key; others are not affected', async () => {
    const { s, cookie } = await startWithAdmin({
      env: { KOMARI_TRUSTED_PROXIES: '127.0.0.1' },
      limits: { agents: { registerPerIp: { maxFailures: 3, windowMs: 60_000 } } },
    });
    try {
      await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { auto_discovery_key: key } });
      const from = (ip: string, auth: string) =>
        http(s.url, '/api/clients/register?name=x', { method: 'POST', headers: { authorization: auth, 'x-forwarded-for': ip } });
      for (let i = 0; i < 3; i++) assert.equal((await from('192.0.2.7', `Bearer guess-${i}-0123456`)).status, 403);
      const locked = await from('192.0.2.7', `Bearer ${key}`);
      assert.equal(locked.status, 429, locked.text);
      assert.match(locked.json.message, /^Too many invalid keys, try again in \d+ seconds$/);
      assert.ok(Number(locked.headers.get('retry-after')) > 0);
      assert.equal((await from('192.0.2.8', `Bearer ${key}`)).status, 200, 'another address registers');
    } finally {
      await s.dispose();
    }
  });
});

