import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http, rpc, startTestServer, type TestServer } from './helpers/server.ts';

/** The node of the seed's /api/nodes example, with the JSON type of every key. */
const seedKeyTypes: Record<string, string> = {
  uuid: 'string', name: 'string', cpu_name: 'string', virtualization: 'string', arch: 'string', cpu_cores: 'number',
  os: 'string', kernel_version: 'string', gpu_name: 'string', region: 'string', mem_total: 'number',
  swap_total: 'number', disk_total: 'number', weight: 'number', price: 'number', billing_cycle: 'number',
  auto_renewal: 'boolean', currency: 'string', group: 'string', tags: 'string', hidden: 'boolean',
  traffic_limit: 'number', traffic_limit_type: 'string', created_at: 'string', updated_at: 'string',
  cpu_physical_cores: 'number',
};
const privateKeys = ['token', 'ipv4', 'ipv6', 'remark', 'version'];
const rfc3339Utc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const apiKey = 'public-Hq7Lm2Xv9Rt4Kp8Zw3Nb6Jc1Fd';

type Node = Record<string, unknown> & { uuid: string };

describe('node visibility for guests, admins and RPC callers', () => {
  let s: TestServer;
  let cookie: string;
  let shown: string;
  let hiddenNode: string;
  let token: string;
  const post = (path: string, body?: unknown) => http(s.url, path, { method: 'POST', body, cookie });
  const add = async (name: string) => (await post('/api/admin/client/add', { name })).json.uuid as string;
  const nodes = async (headers: { cookie?: string; headers?: Record<string, string> } = {}) =>
    (await http(s.url, '/api/nodes', headers)).json;
  const uuidsOf = (list: Node[]) => list.map((n) => n.uuid);
  const settings = (body: Record<string, unknown>) => post('/api/admin/settings', body);

  before(async () => {
    s = await startTestServer();
    cookie = await s.login();
  });
  after(() => s.dispose());

  it('/api/nodes on a site without nodes answers the envelope with data []', async () => {
    const res = await http(s.url, '/api/nodes');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { status: 'success', message: '', data: [] });
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('/api/nodes gives guests every key of the seed example with its JSON type', async () => {
    shown = await add('shown');
    const res = await nodes();
    assert.equal(res.status, 'success');
    assert.equal(res.message, '');
    const node = res.data.find((n: Node) => n.uuid === shown);
    for (const [key, type] of Object.entries(seedKeyTypes)) assert.equal(typeof node[key], type, key);
    assert.equal(node.expired_at, null);
    await post(`/api/admin/client/${shown}/edit`, { expired_at: '2026-04-13' });
    const dated = (await nodes()).data.find((n: Node) => n.uuid === shown);
    assert.equal(dated.expired_at, '2026-04-13T00:00:00Z');
    assert.match(dated.created_at, rfc3339Utc);
    assert.match(dated.updated_at, rfc3339Utc);
    assert.ok(Date.parse(dated.updated_at) >= Date.parse(dated.created_at));
  });

  it('token, ipv4, ipv6, remark and version are absent from /api/nodes for guests, admins and API keys', async () => {
    await post(`/api/admin/client/${shown}/edit`, { ipv4: '203.0.113.9', ipv6: '2001:db8::1', remark: 'secret' });
    assert.equal((await post('/api/admin/settings', { api_key: apiKey })).status, 200);
    const asAdmin = (await http(s.url, `/api/admin/client/${shown}`, { cookie })).json;
    assert.equal(asAdmin.ipv4, '203.0.113.9');
    assert.equal(asAdmin.remark, 'secret');
    for (const who of [{}, { cookie }, { headers: { authorization: `Bearer ${apiKey}` } }]) {
      const node = (await nodes(who)).data.find((n: Node) => n.uuid === shown);
      for (const key of privateKeys) assert.ok(!(key in node), `${key} for ${JSON.stringify(who)}`);
    }
  });

  it('public_remark appears only when it is not empty', async () => {
    const find = async () => (await nodes()).data.find((n: Node) => n.uuid === shown);
    assert.ok(!('public_remark' in (await find())));
    await post(`/api/admin/client/${shown}/edit`, { public_remark: 'hello guests' });
    assert.equal((await find()).public_remark, 'hello guests');
    await post(`/api/admin/client/${shown}/edit`, { public_remark: '' });
    assert.ok(!('public_remark' in (await find())));
  });

  it('hidden nodes are absent for guests and present for the admin cookie and an API key', async () => {
    hiddenNode = await add('hidden');
    await post(`/api/admin/client/${hiddenNode}/edit`, { hidden: true });
    assert.ok(!uuidsOf((await nodes()).data).includes(hiddenNode));
    assert.ok(uuidsOf((await nodes({ cookie })).data).includes(hiddenNode));
    const viaKey = await nodes({ headers: { authorization: `Bearer ${apiKey}` } });
    assert.ok(uuidsOf(viaKey.data).includes(hiddenNode));
    const wrongKey = await nodes({ headers: { authorization: 'Bearer not-the-key-at-all' } });
    assert.ok(!uuidsOf(wrongKey.data).includes(hiddenNode));
  });

  it('common:getNodes for a guest is keyed by uuid, without hidden nodes or private keys', async () => {
    const res = await rpc(s.url, 'common:getNodes');
    assert.equal(res.error, undefined);
    assert.deepEqual(Object.keys(res.result), [shown]);
    const node = res.result[shown];
    assert.equal(node.uuid, shown);
    for (const key of privateKeys) assert.ok(!(key in node), key);
    for (const [key, type] of Object.entries(seedKeyTypes)) assert.equal(typeof node[key], type, key);
  });

  it('common:getNodes for an admin or API key includes hidden nodes, tokens, IPs and remarks', async () => {
    token = (await http(s.url, `/api/admin/client/${shown}/token`, { cookie })).json.token;
    for (const o of [{ cookie }, { headers: { authorization: `Bearer ${apiKey}` } }]) {
      const res = await rpc(s.url, 'common:getNodes', undefined, o);
      assert.deepEqual(Object.keys(res.result).sort(), [shown, hiddenNode].sort());
      assert.equal(res.result[shown].token, token);
      assert.equal(res.result[shown].ipv4, '203.0.113.9');
      assert.equal(res.result[shown].ipv6, '2001:db8::1');
      assert.equal(res.result[shown].remark, 'secret');
      assert.equal(res.result[hiddenNode].hidden, true);
    }
  });

  it('common:getNodes returns one node for named, positional and scalar uuid params', async () => {
    const all = (await rpc(s.url, 'common:getNodes')).result;
    for (const params of [{ uuid: shown }, { UUID: shown }, [shown], shown]) {
      const res = await rpc(s.url, 'common:getNodes', params);
      assert.deepEqual(res.result, all[shown], JSON.stringify(params));
    }
    const hidden = await rpc(s.url, 'common:getNodes', { uuid: hiddenNode }, { cookie });
    assert.equal(hidden.result.uuid, hiddenNode);
  });

  it('common:getNodes answers -32602 Node not found with the uuid for unknown and hidden-to-guest nodes', async () => {
    for (const uuid of ['00000000-0000-4000-8000-000000000000', hiddenNode]) {
      const res = await rpc(s.url, 'common:getNodes', { uuid });
      assert.equal(res.result, undefined);
      assert.deepEqual(res.error, { code: -32602, message: 'Node not found', data: uuid });
    }
  });

  it('guests see masked IPs only while send_ip_addr_to_guest is on', async () => {
    const ipOnly = await add('v4-only');
    await post(`/api/admin/client/${ipOnly}/edit`, { ipv4: '198.51.100.7' });
    assert.equal((await settings({ send_ip_addr_to_guest: true })).status, 200);
    try {
      const on = (await rpc(s.url, 'common:getNodes')).result;
      assert.equal(on[shown].ipv4, '203.*.*.*');
      assert.equal(on[shown].ipv6, '2001:*:*:*:*:*:*:*');
      assert.equal(on[ipOnly].ipv4, '198.*.*.*');
      assert.ok(!('ipv6' in on[ipOnly]));
      assert.equal((await rpc(s.url, 'common:getNodes', { uuid: shown })).result.ipv4, '203.*.*.*');
      for (const key of ['token', 'remark', 'version']) assert.ok(!(key in on[shown]), key);
      const pub = (await nodes()).data.find((n: Node) => n.uuid === shown);
      assert.ok(!('ipv4' in pub) && !('ipv6' in pub));
      const asAdmin = (await rpc(s.url, 'common:getNodes', undefined, { cookie })).result;
      assert.equal(asAdmin[shown].ipv4, '203.0.113.9');
    } finally {
      await settings({ send_ip_addr_to_guest: false });
    }
    const off = (await rpc(s.url, 'common:getNodes')).result;
    assert.ok(!('ipv4' in off[shown]) && !('ipv6' in off[shown]));
    assert.ok(!('ipv4' in off[ipOnly]));
  });

  it('public:getNodesInformation equals the /api/nodes data for guests and admins', async () => {
    for (const o of [{}, { cookie }]) {
      const viaRpc = (await rpc(s.url, 'public:getNodesInformation', undefined, o)).result;
      assert.deepEqual(viaRpc, (await nodes(o)).data);
    }
    assert.ok(uuidsOf((await rpc(s.url, 'public:getNodesInformation', undefined, { cookie })).result).includes(hiddenNode));
  });

  it('/api/nodes and common:getNodes come in ascending weight order', async () => {
    const all = uuidsOf((await nodes({ cookie })).data);
    const weights = Object.fromEntries(all.map((u, i) => [u, all.length - i]));
    await post('/api/admin/client/order', weights);
    const reversed = [...all].reverse();
    assert.deepEqual(uuidsOf((await nodes({ cookie })).data), reversed);
    assert.deepEqual(Object.keys((await rpc(s.url, 'common:getNodes', undefined, { cookie })).result), reversed);
  });

  it('admin node methods over RPC work for the admin and are denied to guests', async () => {
    const created = await rpc(s.url, 'admin:addClient', { name: 'via-rpc' }, { cookie });
    const { uuid, token: tok } = created.result;
    assert.match(tok, /^[0-9A-Za-z]{22}$/);
    assert.equal((await rpc(s.url, 'admin:getClient', [uuid], { cookie })).result.name, 'via-rpc');
    assert.equal((await rpc(s.url, 'admin:editClient', { uuid, weight: 42 }, { cookie })).error, undefined);
    assert.equal((await rpc(s.url, 'admin:getClient', { uuid }, { cookie })).result.weight, 42);
    assert.deepEqual((await rpc(s.url, 'admin:getClientToken', uuid, { cookie })).result, { token: tok });
    const listed = (await rpc(s.url, 'admin:listClients', undefined, { cookie })).result;
    assert.ok(uuidsOf(listed).includes(uuid));

    const countBefore = listed.length;
    const guestCalls: Array<[string, unknown]> = [
      ['admin:addClient', { name: 'guest-made' }], ['admin:listClients', undefined], ['admin:getClient', { uuid }],
      ['admin:editClient', { uuid, name: 'pwned' }], ['admin:getClientToken', { uuid }],
      ['admin:orderClients', { [uuid]: 0 }], ['admin:removeClient', { uuid }],
    ];
    for (const [method, params] of guestCalls) {
      const res = await rpc(s.url, method, params);
      assert.equal(res.result, undefined, method);
      assert.deepEqual(res.error, { code: -32041, message: 'Permission denied' }, method);
    }
    const after = (await rpc(s.url, 'admin:listClients', undefined, { cookie })).result;
    assert.equal(after.length, countBefore);
    const mine = after.find((n: Node) => n.uuid === uuid);
    assert.deepEqual([mine.name, mine.weight], ['via-rpc', 42]);

    assert.equal((await rpc(s.url, 'admin:removeClient', { uuid }, { cookie })).error, undefined);
    const gone = await rpc(s.url, 'admin:getClient', { uuid }, { cookie });
    assert.equal(gone.error?.message, 'record not found');
  });
});
