import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allMethods } from '../src/methods/index.ts';
import { http, rpc, startTestServer, type HttpOptions, type TestServer } from './helpers/server.ts';

let s: TestServer;
let cookie: string;

/** POST /api/rpc2 with a body sent byte for byte. */
function post(text: string, o: Omit<HttpOptions, 'body' | 'method'> = {}) {
  return http(s.url, '/api/rpc2', { ...o, method: 'POST', body: text });
}

async function addNode(name: string): Promise<{ uuid: string; token: string }> {
  const res = await http(s.url, '/api/admin/client/add', { method: 'POST', body: { name }, cookie });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

before(async () => {
  s = await startTestServer();
  cookie = await s.login();
});
after(() => s.dispose());

describe('rpc.* built-ins over POST /api/rpc2', () => {
  it('rpc.ping answers exactly {"jsonrpc":"2.0","id":1,"result":"pong"}', async () => {
    const res = await post('{"jsonrpc":"2.0","method":"rpc.ping","id":1}');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { jsonrpc: '2.0', id: 1, result: 'pong' });
  });

  it('rpc.version answers "2.0"', async () => {
    assert.deepEqual(await rpc(s.url, 'rpc.version'), { jsonrpc: '2.0', id: 1, result: '2.0' });
  });

  it('rpc.methods lists every registered method except rpc.*, sorted, whatever the caller may call', async () => {
    const { result } = await rpc(s.url, 'rpc.methods');
    const expected = s.ctx.registry.names().filter((n) => !n.startsWith('rpc.'));
    assert.deepEqual(result, expected);
    assert.deepEqual(result, [...result].sort());
    for (const m of allMethods) if (!m.name.startsWith('rpc.')) assert.ok(result.includes(m.name), m.name);
    assert.ok(result.includes('admin:listClients'), 'admin names are listed to guests too');
  });

  it('rpc.methods with {internal:true} (or positional [true]) also lists rpc.*', async () => {
    const named = await rpc(s.url, 'rpc.methods', { internal: true });
    assert.deepEqual(named.result, s.ctx.registry.names());
    for (const b of ['rpc.help', 'rpc.methods', 'rpc.ping', 'rpc.version']) assert.ok(named.result.includes(b), b);
    assert.deepEqual((await rpc(s.url, 'rpc.methods', [true])).result, named.result);
  });

  it('rpc.help with a method describes it by name', async () => {
    const { result } = await rpc(s.url, 'rpc.help', { method: 'common:getNodes' });
    assert.equal(result.name, 'common:getNodes');
    assert.equal(typeof result.summary, 'string');
    assert.ok(result.params.some((p: { name: string }) => p.name === 'uuid'));
  });

  it('rpc.help for an unknown method is -32600 "method not found"', async () => {
    const res = await rpc(s.url, 'rpc.help', { method: 'common:nope' });
    assert.deepEqual(res.error, { code: -32600, message: 'method not found' });
  });

  it('rpc.help without params lists {name, summary?} for every method, rpc.* included', async () => {
    const { result } = await rpc(s.url, 'rpc.help');
    assert.ok(Array.isArray(result));
    assert.deepEqual(result.map((e: { name: string }) => e.name), s.ctx.registry.names());
    for (const e of result) {
      assert.ok(Object.keys(e).every((k) => k === 'name' || k === 'summary'), JSON.stringify(e));
    }
  });
});

describe('POST /api/rpc2 body failures are HTTP 400 with Komari texts (rpc2.md §3)', () => {
  const cases: Array<[string, string, unknown]> = [
    ['empty body', '', { code: -32700, message: 'empty body' }],
    ['whitespace body', '   ', { code: -32700, message: 'empty body' }],
    ['non-object text', 'hello', { code: -32700, message: 'invalid json: not object/array' }],
    ['empty batch', '[]', { code: -32600, message: 'empty batch' }],
    ['missing method', '{"jsonrpc":"2.0"}', { code: -32600, message: 'method required' }],
  ];
  for (const [name, body, error] of cases) {
    it(`${name} → 400 ${JSON.stringify(error)}`, async () => {
      const res = await post(body);
      assert.equal(res.status, 400);
      assert.deepEqual(res.json, { jsonrpc: '2.0', error });
    });
  }

  it('broken JSON → -32700 "invalid json" with the decoder message as data', async () => {
    const res = await post('{bad');
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, -32700);
    assert.equal(res.json.error.message, 'invalid json');
    assert.equal(typeof res.json.error.data, 'string');
    assert.ok(!('id' in res.json));
  });

  it('a wrong jsonrpc version → -32600 "invalid jsonrpc version" echoing the id', async () => {
    const res = await post('{"jsonrpc":"1.0","method":"rpc.ping","id":7}');
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { jsonrpc: '2.0', id: 7, error: { code: -32600, message: 'invalid jsonrpc version' } });
  });

  it('a blank method → -32600 "method required"', async () => {
    const res = await post('{"jsonrpc":"2.0","method":"  ","id":"x"}');
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { jsonrpc: '2.0', id: 'x', error: { code: -32600, message: 'method required' } });
  });

  it('a batch with one invalid element → 400 with one error object, not an array', async () => {
    const res = await post('[{"jsonrpc":"2.0","method":"rpc.ping","id":1},{"jsonrpc":"2.0","id":2}]');
    assert.equal(res.status, 400);
    assert.ok(!Array.isArray(res.json));
    assert.deepEqual(res.json.error, { code: -32600, message: 'method required' });
  });

  it('a batch whose elements are all valid but one fails at dispatch is still 200 with every reply', async () => {
    const res = await post('[{"jsonrpc":"2.0","method":"rpc.ping","id":1},{"jsonrpc":"2.0","method":"common:nope","id":2}]');
    assert.equal(res.status, 200);
    assert.equal(res.json.length, 2);
    assert.equal(res.json[0].result, 'pong');
    assert.equal(res.json[1].error.code, -32601);
  });

  it('a batch of non-objects [1,2] → 400 -32700', async () => {
    const res = await post('[1,2]');
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, -32700);
    assert.equal(res.json.error.message, 'invalid json');
  });

  it('a body over 1 MiB → 413 and nothing in it runs', async () => {
    const pad = 'x'.repeat(1024 * 1024 + 10);
    const body = JSON.stringify([
      { jsonrpc: '2.0', method: 'admin:editSettings', params: { sitename: 'oversized' }, id: 1 },
      { jsonrpc: '2.0', method: 'rpc.ping', params: { pad }, id: 2 },
    ]);
    const res = await post(body, { cookie });
    assert.equal(res.status, 413);
    assert.notEqual(s.ctx.settings.get('sitename'), 'oversized');
  });

  it('other HTTP methods on /api/rpc2 → 404 with an empty body', async () => {
    const res = await http(s.url, '/api/rpc2', { method: 'PUT', body: '{}' });
    assert.equal(res.status, 404);
    assert.equal(res.text, '');
  });
});

describe('POST /api/rpc2 responses (rpc2.md §2-§3)', () => {
  it('a batch of two → 200 array of two replies in request order', async () => {
    const res = await post('[{"jsonrpc":"2.0","method":"rpc.version","id":"a"},{"jsonrpc":"2.0","method":"rpc.ping","id":2}]');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, [
      { jsonrpc: '2.0', id: 'a', result: '2.0' },
      { jsonrpc: '2.0', id: 2, result: 'pong' },
    ]);
  });

  it('a batch of exactly one → 200 a single object, not an array', async () => {
    const res = await post('[{"jsonrpc":"2.0","method":"rpc.ping","id":3}]');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { jsonrpc: '2.0', id: 3, result: 'pong' });
  });

  it('a request without id (or with id null) is answered without any id key', async () => {
    for (const body of ['{"jsonrpc":"2.0","method":"rpc.ping"}', '{"jsonrpc":"2.0","method":"rpc.ping","id":null}']) {
      const res = await post(body);
      assert.equal(res.status, 200);
      assert.equal(res.text, '{"jsonrpc":"2.0","result":"pong"}');
    }
  });

  it('a batch runs sequentially: a later call sees what an earlier one wrote', async () => {
    const res = await post(
      JSON.stringify([
        { jsonrpc: '2.0', method: 'admin:editSettings', params: { sitename: 'batch-site' }, id: 1 },
        { jsonrpc: '2.0', method: 'admin:getSettings', id: 2 },
      ]),
      { cookie },
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.json[0], { jsonrpc: '2.0', id: 1 });
    assert.equal(res.json[1].result.sitename, 'batch-site');
  });

  it('the body is read as JSON whatever the Content-Type says', async () => {
    const res = await post('{"jsonrpc":"2.0","method":"rpc.ping","id":1}', { headers: { 'content-type': 'text/plain' } });
    assert.equal(res.status, 200);
    assert.equal(res.json.result, 'pong');
  });

  it('a string id is echoed as a string', async () => {
    const res = await post('{"jsonrpc":"2.0","method":"rpc.ping","id":"abc-1"}');
    assert.deepEqual(res.json, { jsonrpc: '2.0', id: 'abc-1', result: 'pong' });
  });

  it('an unknown method → HTTP 200, -32601 "method not found" with the name as data', async () => {
    const res = await post('{"jsonrpc":"2.0","method":"common:nope","id":1}');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'method not found', data: 'common:nope' } });
  });

  it('a method that returns nothing is answered without a result key', async () => {
    const res = await post('{"jsonrpc":"2.0","method":"admin:orderClients","params":{},"id":4}', { cookie });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { jsonrpc: '2.0', id: 4 });
  });

  it('an empty-object result is kept, not dropped', async () => {
    const res = await rpc(s.url, 'common:getNodes');
    assert.ok('result' in res, JSON.stringify(res));
    assert.equal(typeof res.result, 'object');
  });
});

describe('params binding (rpc2.md §5)', () => {
  let node: { uuid: string };
  before(async () => {
    node = await addNode('bind-me');
  });

  it('named keys match case-insensitively ({"UUID": …})', async () => {
    const res = await rpc(s.url, 'common:getNodes', { UUID: node.uuid });
    assert.equal(res.result?.uuid, node.uuid, JSON.stringify(res));
    assert.equal(res.result.name, 'bind-me');
  });

  it('of several spellings of one key the one sorting last wins, whatever the order sent (Komari sorts via a Go map)', async () => {
    const nodeOf = async (params: string) =>
      (await post(`{"jsonrpc":"2.0","method":"common:getNodes","params":${params},"id":1}`)).json.result?.uuid;
    assert.equal(await nodeOf(`{"UUID":"${node.uuid}","uuid":"nope"}`), undefined, '"uuid" sorts after "UUID"');
    assert.equal(await nodeOf(`{"uuid":"nope","UUID":"${node.uuid}"}`), undefined, 'order sent does not matter');
    assert.equal(await nodeOf(`{"Uuid":"${node.uuid}","UUID":"nope"}`), node.uuid, '"Uuid" sorts after "UUID"');
  });

  it('positional arrays fill fields in order; extra elements are ignored', async () => {
    assert.equal((await rpc(s.url, 'common:getNodes', [node.uuid])).result?.uuid, node.uuid);
    assert.equal((await rpc(s.url, 'common:getNodes', [node.uuid, 'extra', 3])).result?.uuid, node.uuid);
  });

  it('a scalar fills the first field', async () => {
    assert.equal((await rpc(s.url, 'common:getNodes', node.uuid)).result?.uuid, node.uuid);
  });

  it('a "__proto__" key is just an unknown key, never a prototype that supplies params', async () => {
    const res = await post(`{"jsonrpc":"2.0","method":"common:getNodes","params":{"__proto__":{"uuid":"${node.uuid}"}},"id":1}`);
    assert.equal(res.json.result?.uuid, undefined, res.text);
    assert.equal(res.json.result?.[node.uuid]?.uuid, node.uuid, 'unfiltered: all nodes keyed by uuid');
  });

  it('a map-typed method (admin:orderClients) refuses array and scalar params with -32602', async () => {
    for (const params of [[1, 2], 'x', 5]) {
      const res = await rpc(s.url, 'admin:orderClients', params, { cookie });
      assert.equal(res.error?.code, -32602, JSON.stringify(params));
      assert.match(res.error!.message, /^Invalid (or missing )?request body: /);
    }
    const rest = await http(s.url, '/api/admin/client/order', { method: 'POST', body: [1, 2], cookie });
    assert.equal(rest.status, 400);
  });

  it('a lookup of an unknown uuid is -32602 "Node not found" with the uuid as data', async () => {
    const res = await rpc(s.url, 'common:getNodes', { uuid: 'no-such-node' });
    assert.deepEqual(res.error, { code: -32602, message: 'Node not found', data: 'no-such-node' });
  });

  it('a value of the wrong type → -32602 "Invalid request body: …"', async () => {
    const res = await rpc(s.url, 'common:getNodes', { uuid: 5 });
    assert.equal(res.error?.code, -32602);
    assert.match(res.error!.message, /^Invalid request body: /);
    const order = await rpc(s.url, 'admin:orderClients', { [node.uuid]: 'heavy' }, { cookie });
    assert.equal(order.error?.code, -32602);
    assert.match(order.error!.message, /^Invalid (or missing )?request body: /);
  });
});

describe('REST bridge rendering (rpc2.md §11.2)', () => {
  it('standard render omits data when the result is empty: exactly {"status":"success","message":""}', async () => {
    const res = await http(s.url, '/api/admin/client/order', { method: 'POST', body: {}, cookie });
    assert.equal(res.status, 200);
    assert.equal(res.text, '{"status":"success","message":""}');
  });

  it('standard render carries data when there is a result (GET /api/nodes)', async () => {
    const res = await http(s.url, '/api/nodes');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.json).sort(), ['data', 'message', 'status']);
    assert.ok(Array.isArray(res.json.data));
  });

  it('raw render is the bare result (GET /api/me)', async () => {
    assert.deepEqual((await http(s.url, '/api/me')).json, { logged_in: false, username: 'Guest' });
    const me = (await http(s.url, '/api/me', { cookie })).json;
    assert.equal(me.username, s.adminUsername);
    assert.equal(me.logged_in, true);
    assert.ok(!('status' in me));
  });

  it('flat render spreads the result next to status (POST /api/admin/client/add)', async () => {
    const res = await http(s.url, '/api/admin/client/add', { method: 'POST', body: { name: 'flat' }, cookie });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.json).sort(), ['status', 'token', 'uuid']);
    assert.equal(res.json.status, 'success');
  });

  it('-32602 maps to 400 with the RPC message and no data', async () => {
    const res = await http(s.url, '/api/admin/client/order', { method: 'POST', body: { x: 'heavy' }, cookie });
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.json).sort(), ['message', 'status']);
    assert.equal(res.json.status, 'error');
    assert.match(res.json.message, /^Invalid (or missing )?request body: /);
  });

  it('-32044 maps to 404 (GET /api/admin/client/<unknown>)', async () => {
    const res = await http(s.url, '/api/admin/client/no-such-node', { cookie });
    assert.equal(res.status, 404);
    assert.deepEqual(res.json, { status: 'error', message: 'record not found' });
  });

  it('a body that is not JSON (whitespace alone included) → 400 "Invalid or missing request body"', async () => {
    for (const body of ['{nope', '   ']) {
      const res = await http(s.url, '/api/admin/client/order', { method: 'POST', body, cookie });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.deepEqual(res.json, { status: 'error', message: 'Invalid or missing request body' });
    }
  });

  it('an empty body is {} params', async () => {
    const res = await http(s.url, '/api/admin/client/order', { method: 'POST', cookie });
    assert.equal(res.status, 200);
    assert.equal(res.text, '{"status":"success","message":""}');
  });

  it('trailing-slash variants are served: /api/admin/settings, /api/admin/settings/, /api/nodes/', async () => {
    for (const path of ['/api/admin/settings', '/api/admin/settings/']) {
      const res = await http(s.url, path, { cookie });
      assert.equal(res.status, 200, path);
      assert.equal(res.json.status, 'success');
      assert.equal(typeof res.json.data, 'object');
    }
    const nodes = await http(s.url, '/api/nodes/');
    assert.equal(nodes.status, 200);
    assert.ok(Array.isArray(nodes.json.data));
  });
});
