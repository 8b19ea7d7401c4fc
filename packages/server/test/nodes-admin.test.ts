import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http, startTestServer, type HttpOptions, type TestServer } from './helpers/server.ts';

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ok = { status: 'success', message: '' };
const notFound = { status: 'error', message: 'record not found' };

/** Every editable field with a non-default value. */
const fullEdit = {
  name: 'tokyo-1', remark: 'private note', public_remark: 'public note', weight: 7, price: 9.99, billing_cycle: 30,
  auto_renewal: true, currency: '¥', expired_at: '2027-01-31T00:00:00Z', group: 'Asia', tags: 'a;b', hidden: true,
  traffic_limit: 1099511627776, traffic_limit_type: 'sum', region: '🇯🇵',
};

describe('node management over REST', () => {
  let s: TestServer;
  let cookie: string;
  const admin = (path: string, o: HttpOptions = {}) => http(s.url, path, { cookie, ...o });
  const post = (path: string, body?: unknown) => admin(path, { method: 'POST', body });
  const getNode = async (uuid: string) => (await admin(`/api/admin/client/${uuid}`)).json;
  const add = async (name?: string): Promise<string> => (await post('/api/admin/client/add', name === undefined ? {} : { name })).json.uuid;
  const edit = (uuid: string, body: unknown) => post(`/api/admin/client/${uuid}/edit`, body);
  const listUuids = async () => (await admin('/api/admin/client/list')).json.map((n: { uuid: string }) => n.uuid);
  const auditMessages = async (): Promise<string[]> =>
    (await admin('/api/admin/logs?limit=1000')).json.data.logs.map((l: { message: string }) => l.message);

  before(async () => {
    s = await startTestServer();
    cookie = await s.login();
  });
  after(() => s.dispose());

  it('add answers a flat uuid v4 and a 22-character alphanumeric token', async () => {
    const res = await post('/api/admin/client/add', { name: 'tokyo' });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.json).sort(), ['status', 'token', 'uuid']);
    assert.equal(res.json.status, 'success');
    assert.match(res.json.uuid, uuidV4);
    assert.match(res.json.token, /^[0-9A-Za-z]{22}$/);
    const node = await getNode(res.json.uuid);
    assert.equal(node.name, 'tokyo');
    assert.equal(node.token, res.json.token);
  });

  it('add without a name names the node client_ plus the first 8 uuid characters', async () => {
    for (const body of [{}, { name: '' }, undefined]) {
      const res = await post('/api/admin/client/add', body);
      assert.equal(res.status, 200);
      assert.equal((await getNode(res.json.uuid)).name, `client_${res.json.uuid.slice(0, 8)}`);
    }
  });

  it('list is a bare array with tokens, get is the raw node, the token route is flat', async () => {
    const uuid = await add('list-me');
    const list = await admin('/api/admin/client/list');
    assert.equal(list.status, 200);
    assert.ok(Array.isArray(list.json));
    const listed = list.json.find((n: { uuid: string }) => n.uuid === uuid);
    assert.match(listed.token, /^[0-9A-Za-z]{22}$/);
    const one = await admin(`/api/admin/client/${uuid}`);
    assert.equal(one.status, 200);
    assert.equal(one.json.status, undefined);
    assert.deepEqual(one.json, listed);
    const token = await admin(`/api/admin/client/${uuid}/token`);
    assert.deepEqual(token.json, { status: 'success', token: listed.token });
  });

  it('edit writes every editable field and answers the standard envelope without data', async () => {
    const uuid = await add('before-edit');
    const res = await edit(uuid, fullEdit);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, ok);
    const node = await getNode(uuid);
    for (const [k, v] of Object.entries(fullEdit)) assert.deepEqual(node[k], v, k);
  });

  it('remove deletes the node from the admin list and from /api/nodes', async () => {
    const uuid = await add('doomed');
    assert.deepEqual((await post(`/api/admin/client/${uuid}/remove`)).json, ok);
    assert.ok(!(await listUuids()).includes(uuid));
    const pub = await http(s.url, '/api/nodes');
    assert.ok(!pub.json.data.some((n: { uuid: string }) => n.uuid === uuid));
    assert.equal((await admin(`/api/admin/client/${uuid}`)).status, 404);
  });

  it('create (named only), edit, delete and order are written to the audit log', async () => {
    const named = await add('audited');
    const unnamed = await add();
    await edit(named, { remark: 'x' });
    await post('/api/admin/client/order', { [named]: 3 });
    await post(`/api/admin/client/${named}/remove`);
    const logs = await auditMessages();
    for (const m of [`create client:${named}`, `edit client:${named}`, `delete client:${named}`, 'order clients']) {
      assert.ok(logs.includes(m), m);
    }
    assert.ok(!logs.includes(`create client:${unnamed}`));
  });

  it('expired_at accepts a bare date, RFC 3339 with a zone, "" and null', async () => {
    const uuid = await add('expiry');
    const cases: Array<[unknown, string | null]> = [
      ['2027-01-31', '2027-01-31T00:00:00Z'],
      [null, null],
      ['2027-01-31T08:00:00+08:00', '2027-01-31T00:00:00Z'],
      ['', null],
      ['2027-06-01T12:30:00.5Z', '2027-06-01T12:30:00.5Z'],
      ['2028-02-29', '2028-02-29T00:00:00Z'],
      ['2027-02-28T23:59:59-01:00', '2027-03-01T00:59:59Z'],
    ];
    for (const [sent, stored] of cases) {
      const res = await edit(uuid, { expired_at: sent });
      assert.equal(res.status, 200, `${String(sent)}: ${res.text}`);
      assert.equal((await getNode(uuid)).expired_at, stored, String(sent));
    }
  });

  it('expired_at refuses impossible dates, other formats and zoneless timestamps, changing nothing', async () => {
    const uuid = await add('expiry-bad');
    await edit(uuid, { expired_at: '2027-01-31' });
    const before = await getNode(uuid);
    for (const bad of ['2027-13-45', '2027-02-30', '31/01/2027', '2027-01-31T08:00:00', '2027-01-31T25:00:00Z', 'soon', 5]) {
      const res = await edit(uuid, { expired_at: bad, name: 'changed' });
      assert.equal(res.status, 400, String(bad));
      assert.equal(res.json.status, 'error');
      assert.deepEqual(await getNode(uuid), before, String(bad));
    }
  });

  it('an unknown field is a 400 naming it and nothing is written', async () => {
    const uuid = await add('strict');
    const before = await getNode(uuid);
    const res = await edit(uuid, { name: 'changed', foo: 1 });
    assert.equal(res.status, 400);
    assert.equal(res.json.status, 'error');
    assert.match(res.json.message, /foo/);
    assert.deepEqual(await getNode(uuid), before);
  });

  it('mistyped or out-of-range fields are refused and nothing is written', async () => {
    const uuid = await add('typed');
    const before = await getNode(uuid);
    const bad = [
      { hidden: 'yes' }, { weight: 1.5 }, { traffic_limit: -1 }, { traffic_limit_type: 'weird' }, { name: 5 },
      { price: '9' }, { auto_renewal: 1 }, { name: 'x'.repeat(101) }, { currency: 'c'.repeat(21) }, { token: '' },
      // every node row is held in memory: its free-form fields are bounded too (issue 12)
      { remark: 'r'.repeat(65_537) }, { public_remark: 'p'.repeat(65_537) }, { group: 'g'.repeat(256) },
      { tags: 't'.repeat(4097) }, { region: 'r'.repeat(256) }, { ipv4: '1'.repeat(256) }, { ipv6: ':'.repeat(256) },
    ];
    for (const body of bad) {
      const res = await edit(uuid, { remark: 'should not stick', ...body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.status, 'error');
      assert.deepEqual(await getNode(uuid), before, JSON.stringify(body));
    }
  });

  it('a malformed JSON body is refused with Komari message and nothing changes', async () => {
    const uuid = await add('malformed');
    const before = await getNode(uuid);
    const countBefore = (await listUuids()).length;
    for (const path of [`/api/admin/client/${uuid}/edit`, '/api/admin/client/add', '/api/admin/client/order']) {
      const res = await post(path, '{"name": "x",');
      assert.equal(res.status, 400, path);
      assert.deepEqual(res.json, { status: 'error', message: 'Invalid or missing request body' });
    }
    assert.deepEqual(await getNode(uuid), before);
    assert.equal((await listUuids()).length, countBefore);
  });

  it('an unknown uuid is 404 record not found for get, edit, remove and token (Komari: 500 or success)', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    const countBefore = (await listUuids()).length;
    for (const res of [
      await admin(`/api/admin/client/${ghost}`),
      await edit(ghost, { name: 'ghost' }),
      await post(`/api/admin/client/${ghost}/remove`),
      await admin(`/api/admin/client/${ghost}/token`),
    ]) {
      assert.equal(res.status, 404);
      assert.deepEqual(res.json, notFound);
    }
    assert.equal((await listUuids()).length, countBefore);
  });

  it('a body over 1 MiB is refused with 413 and nothing is created or changed', async () => {
    const uuid = await add('big');
    const before = await getNode(uuid);
    const countBefore = (await listUuids()).length;
    const huge = 'x'.repeat(1024 * 1024 + 16);
    for (const [path, body] of [
      ['/api/admin/client/add', { name: 'big2', pad: huge }],
      [`/api/admin/client/${uuid}/edit`, { remark: huge }],
    ] as const) {
      const res = await post(path, body);
      assert.equal(res.status, 413, path);
      assert.equal(res.json.status, 'error');
      assert.equal(typeof res.json.message, 'string');
    }
    assert.equal((await listUuids()).length, countBefore);
    assert.deepEqual(await getNode(uuid), before);
  });

  it('editing a token to one another node uses is a 400 and changes nothing', async () => {
    const a = await add('token-a');
    const b = await add('token-b');
    const beforeA = await getNode(a);
    const beforeB = await getNode(b);
    const res = await edit(a, { token: beforeB.token, name: 'renamed' });
    assert.equal(res.status, 400);
    assert.equal(res.json.status, 'error');
    assert.deepEqual(await getNode(a), beforeA);
    assert.deepEqual(await getNode(b), beforeB);
  });

  it('an admin may set a new token, which the token route then reports', async () => {
    const uuid = await add('rekey');
    assert.deepEqual((await edit(uuid, { token: 'NewToken1234567890abcd' })).json, ok);
    assert.deepEqual((await admin(`/api/admin/client/${uuid}/token`)).json, { status: 'success', token: 'NewToken1234567890abcd' });
  });

  it('guests and a wrong cookie get 401 Unauthorized. on every admin node route and nothing changes', async () => {
    const uuid = await add('guarded');
    const before = await getNode(uuid);
    const countBefore = (await listUuids()).length;
    const routes: Array<[string, string, unknown?]> = [
      ['POST', '/api/admin/client/add', { name: 'intruder' }],
      ['GET', '/api/admin/client/list'],
      ['POST', '/api/admin/client/order', { [uuid]: 99 }],
      ['GET', `/api/admin/client/${uuid}`],
      ['POST', `/api/admin/client/${uuid}/edit`, { name: 'pwned' }],
      ['POST', `/api/admin/client/${uuid}/remove`],
      ['GET', `/api/admin/client/${uuid}/token`],
    ];
    for (const bad of [undefined, 'not-a-real-session-token']) {
      for (const [method, path, body] of routes) {
        const res = await http(s.url, path, { method, body, cookie: bad });
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.deepEqual(res.json, { status: 'error', message: 'Unauthorized.' });
      }
    }
    assert.equal((await listUuids()).length, countBefore);
    assert.deepEqual(await getNode(uuid), before);
  });

  it('order sets weights so /api/nodes lists B, C, A and ignores unknown uuids', async () => {
    const [a, b, c] = [await add('A'), await add('B'), await add('C')];
    const res = await post('/api/admin/client/order', { [a]: 2, [b]: 0, [c]: 1, 'no-such-node': 5 });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, ok);
    assert.deepEqual([(await getNode(a)).weight, (await getNode(b)).weight, (await getNode(c)).weight], [2, 0, 1]);
    const order = (await http(s.url, '/api/nodes')).json.data.map((n: { uuid: string }) => n.uuid).filter((u: string) => [a, b, c].includes(u));
    assert.deepEqual(order, [b, c, a]);
    assert.ok(!(await listUuids()).includes('no-such-node'));
  });

  const refusesOrder = async (bodies: unknown[]) => {
    const [a, b] = [await add('wa'), await add('wb')];
    await post('/api/admin/client/order', { [a]: 4, [b]: 5 });
    const logsBefore = (await auditMessages()).length;
    for (const body of bodies) {
      const sent = typeof body === 'function' ? (body as (x: string, y: string) => unknown)(a, b) : body;
      const res = await post('/api/admin/client/order', sent);
      assert.equal(res.status, 400, JSON.stringify(sent));
      assert.equal(res.json.status, 'error');
      assert.deepEqual([(await getNode(a)).weight, (await getNode(b)).weight], [4, 5], JSON.stringify(sent));
    }
    assert.equal((await auditMessages()).length, logsBefore);
  };

  it('order refuses non-integer weights without changing any weight', async () => {
    await refusesOrder([
      (a: string, b: string) => ({ [a]: 1, [b]: 1.5 }),
      (a: string, b: string) => ({ [a]: 1, [b]: '2' }),
      (a: string, b: string) => ({ [a]: 1, [b]: null }),
      { x: 1.5 },
    ]);
  });

  it('order refuses a body that is not a uuid-to-weight object (Komari: 400 Invalid or missing request body)', async () => {
    await refusesOrder([[1, 2], '"text"', '7']);
  });
});

describe('node persistence', () => {
  it('nodes with their weights, hidden flags, tokens and fields survive a restart', async () => {
    const s = await startTestServer();
    let cookie = await s.login();
    const post = (path: string, body?: unknown) => http(s.url, path, { method: 'POST', body, cookie });
    const a = (await post('/api/admin/client/add', { name: 'keep-a' })).json.uuid;
    const b = (await post('/api/admin/client/add', { name: 'keep-b' })).json.uuid;
    await post(`/api/admin/client/${a}/edit`, { ...fullEdit, hidden: true });
    await post('/api/admin/client/order', { [a]: 9, [b]: 1 });
    const before = (await http(s.url, '/api/admin/client/list', { cookie })).json;
    await s.stop();

    const s2 = await startTestServer({ dir: s.dir });
    try {
      cookie = await s2.login();
      const list = (await http(s2.url, '/api/admin/client/list', { cookie })).json;
      assert.deepEqual(list, before);
      const pick = (uuid: string) => list.filter((n: { uuid: string }) => n.uuid === uuid).map((n: Record<string, unknown>) => [n.weight, n.hidden]);
      assert.deepEqual([pick(a), pick(b)], [[[9, true]], [[1, false]]]);
      const guest = (await http(s2.url, '/api/nodes')).json.data.map((n: { uuid: string }) => n.uuid);
      assert.deepEqual(guest, [b]);
    } finally {
      await s2.dispose();
    }
  });
});
