import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode } from './helpers/agent-common.ts';
import { http, rpc, startWithAdmin, type TestServer } from './helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('ping tasks: admin methods, public list, agent list (admin-api.md §4)', () => {
  let s: TestServer;
  let cookie: string;
  const nodes: { uuid: string; token: string }[] = [];

  const post = (path: string, body: unknown) => http(s.url, `/api/admin/ping/${path}`, { method: 'POST', cookie, body });
  const list = async (): Promise<any[]> => (await http(s.url, '/api/admin/ping/', { cookie })).json.data;

  /** A bad input: 400 (or `status`) with exactly `message`, and no task changed. */
  async function refused(path: string, body: unknown, message: string | RegExp, status = 400): Promise<void> {
    const before = await list();
    const res = await post(path, body);
    assert.equal(res.status, status, res.text);
    assert.equal(res.json.status, 'error');
    if (typeof message === 'string') assert.equal(res.json.message, message);
    else assert.match(res.json.message, message);
    assert.deepEqual(await list(), before, 'nothing changed');
  }

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    for (const name of ['a', 'b', 'c']) nodes.push(await addNode(s, cookie, name));
  });
  after(() => s.dispose());

  it('add answers {task_id}; the list has the target, weight = id, default_on, and both slash spellings work', async () => {
    const [a, b] = nodes;
    const res = await post('add', { name: 'Cloudflare', target: '1.1.1.1:443', type: 'tcp', interval: 60, clients: [a!.uuid, b!.uuid] });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'success', message: '', data: { task_id: 1 } });
    const expected = { id: 1, weight: 1, name: 'Cloudflare', clients: [a!.uuid, b!.uuid], default_on: false, type: 'tcp', target: '1.1.1.1:443', interval: 60 };
    assert.deepEqual(await list(), [expected]);
    assert.deepEqual(Object.keys((await list())[0]), Object.keys(expected));
    assert.deepEqual((await http(s.url, '/api/admin/ping', { cookie })).json.data, [expected]);
    assert.deepEqual((await rpc(s.url, 'admin:getAllPingTasks', undefined, { cookie })).result, [expected]);
  });

  it('bad inputs on add get a clear 400 and change nothing', async () => {
    const ok = { name: 'x', target: 'example.com', type: 'icmp', interval: 30, clients: [nodes[0]!.uuid] };
    await refused('add', { ...ok, name: '' }, 'name, target, type and interval are required');
    await refused('add', { ...ok, interval: undefined }, 'name, target, type and interval are required');
    await refused('add', { ...ok, clients: [] }, 'clients is required when default_on is false');
    await refused('add', { ...ok, type: 'udp' }, 'type must be one of icmp, tcp, http');
    await refused('add', { ...ok, interval: 0 }, 'interval must be a whole number of seconds from 1 to 604800');
    await refused('add', { ...ok, interval: 1.5 }, 'interval must be a whole number of seconds from 1 to 604800');
    await refused('add', { ...ok, interval: -5 }, 'interval must be a whole number of seconds from 1 to 604800');
    await refused('add', { ...ok, interval: '60' }, /^Invalid request body: interval: /);
    await refused('add', { ...ok, target: 'bad host' }, 'target must not contain spaces or control characters');
    await refused('add', { ...ok, target: 'exa$mple.com' }, 'target must be a host or an IP address');
    await refused('add', { ...ok, type: 'tcp', target: 'example.com:99999' }, 'target must be host:port, [ipv6]:port, a host or an IP address');
    await refused('add', { ...ok, type: 'http', target: 'ftp://example.com' }, 'target must be an http:// or https:// URL');
    await refused('add', { ...ok, target: 'x'.repeat(256) }, 'target must be at most 255 characters');
    await refused('add', { ...ok, clients: [nodes[0]!.uuid, 'no-such-node'] }, 'unknown client: no-such-node');
    await refused('add', '{"name":', 'Invalid or missing request body');
  });

  it('targets of every documented form are accepted', async () => {
    const targets: [string, string][] = [
      ['icmp', '8.8.8.8'], ['icmp', '2001:4860:4860::8888'], ['icmp', '[2001:db8::1]:80'], ['icmp', 'dns.google'],
      ['tcp', 'example.com'], ['tcp', '[::1]:22'], ['http', 'https://example.com/health?x=1'], ['http', 'example.com:8080/p'],
    ];
    for (const [type, target] of targets) {
      const res = await post('add', { name: `${type} ${target}`, target, type, interval: 60, clients: [nodes[2]!.uuid] });
      assert.equal(res.status, 200, `${type} ${target}: ${res.text}`);
      await post('delete', { id: [res.json.data.task_id] });
    }
  });

  it('edit overwrites every listed task but its weight; an unknown id fails the whole batch', async () => {
    const [a, , c] = nodes;
    const second = (await post('add', { name: 'Google', target: '8.8.8.8', type: 'icmp', interval: 30, clients: [c!.uuid] })).json.data.task_id as number;
    await refused('edit', { tasks: [{ id: 1, name: 'changed', target: '1.1.1.1', type: 'icmp', interval: 5, clients: [a!.uuid] }, { id: 99, name: 'y', target: 'y.com', type: 'icmp', interval: 5, clients: [a!.uuid] }] }, 'record not found: ping task 99', 404);
    await refused('edit', { tasks: [] }, 'Invalid request data');
    await refused('edit', { tasks: [null] }, 'Invalid request data');
    await refused('edit', {}, 'Invalid request data');
    await refused('edit', { tasks: [{ id: 1, name: 'n', target: '1.1.1.1', type: 'icmp', interval: 1.5, clients: [a!.uuid] }] }, /^interval must be/);
    await refused('edit', { tasks: [{ id: 'one', name: 'n', target: '1.1.1.1', type: 'icmp', interval: 5 }] }, /^Invalid request body: tasks\.0\.id/);
    await refused('edit', { tasks: [{ name: 'n', target: '1.1.1.1', type: 'icmp', interval: 5 }] }, 'Invalid task id: undefined');
    const res = await post('edit', { tasks: [{ id: second, weight: 77, name: 'Google DNS', target: 'dns.google', type: 'icmp', interval: 10, clients: [a!.uuid, a!.uuid], default_on: true }] });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'success', message: '' });
    const edited = (await list()).find((t) => t.id === second);
    assert.deepEqual(edited, { id: second, weight: second, name: 'Google DNS', clients: [a!.uuid], default_on: true, type: 'icmp', target: 'dns.google', interval: 10 });
  });

  it('order sets weights from {"id": weight}; bad keys and unknown ids change nothing', async () => {
    const ids = (await list()).map((t) => t.id as number);
    await refused('order', { abc: 1 }, 'Invalid task id: abc');
    await refused('order', { [ids[0]!]: 5, 99: 1 }, 'record not found: ping task 99', 404);
    await refused('order', { [ids[0]!]: 1.5 }, /^Invalid or missing request body: /);
    assert.equal((await post('order', { [ids[0]!]: 20, [ids[1]!]: 10 })).status, 200);
    assert.deepEqual((await list()).map((t) => [t.id, t.weight]), [[ids[1], 10], [ids[0], 20]]);
  });

  it('/api/task/ping lists every task by weight without the target; guests may read it', async () => {
    const res = await http(s.url, '/api/task/ping');
    assert.equal(res.status, 200);
    const expected = (await list()).map(({ target: _t, ...rest }) => rest);
    assert.deepEqual(res.json, { status: 'success', message: '', data: expected });
    for (const t of res.json.data) assert.deepEqual(Object.keys(t), ['id', 'weight', 'name', 'clients', 'default_on', 'type', 'interval']);
  });

  it('GET /api/clients/ping/tasks is the bare list of the calling node, with targets; admins get 401', async () => {
    const [a, b, c] = nodes;
    const all = await list();
    const mine = (uuid: string) => all.filter((t) => t.clients.includes(uuid));
    for (const n of [a!, b!, c!]) {
      const res = await http(s.url, `/api/clients/ping/tasks?token=${n.token}`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, mine(n.uuid));
    }
    assert.equal((await http(s.url, `/api/clients/ping/tasks?token=${c!.token}`)).text.startsWith('['), true);
    for (const [method, path] of [['GET', '/api/clients/ping/tasks'], ['POST', '/api/clients/ping/result']]) {
      const res = await http(s.url, path!, { method, cookie, body: method === 'POST' ? { task_id: 1, value: 1 } : undefined });
      assert.equal(res.status, 401);
      assert.deepEqual(res.json, { status: 'error', message: 'Permission denied' });
    }
    assert.equal((await http(s.url, '/api/clients/ping/tasks')).status, 401, 'no token at all');
  });

  it('a new node joins default-on tasks only; a deleted node leaves every task', async () => {
    const [a] = nodes;
    const before = await list();
    const dflt = (await post('add', { name: 'everyone', target: '9.9.9.9', type: 'icmp', interval: 60, default_on: true, clients: [nodes[1]!.uuid] })).json.data.task_id;
    const d = await addNode(s, cookie, 'd');
    for (const t of await list()) assert.equal(t.clients.includes(d.uuid), t.default_on, `task ${t.id}`);
    assert.deepEqual((await list()).find((t) => t.id === dflt).clients, [nodes[1]!.uuid, d.uuid]);
    assert.equal((await http(s.url, `/api/admin/client/${a!.uuid}/remove`, { method: 'POST', cookie })).status, 200);
    for (const t of await list()) assert.equal(t.clients.includes(a!.uuid), false);
    assert.ok(before.some((t) => t.clients.includes(a!.uuid)), 'the node was in a task before');
  });

  it('delete takes a list of ids; an unknown id, a bad id or none changes nothing', async () => {
    const ids = (await list()).map((t) => t.id as number);
    await refused('delete', { id: [] }, 'id is required');
    await refused('delete', {}, 'id is required');
    await refused('delete', { id: ['x'] }, 'Invalid task id: "x"');
    await refused('delete', { id: [ids[0], 99] }, 'record not found: ping task 99', 404);
    assert.equal((await post('delete', { id: [ids[0]] })).status, 200);
    assert.deepEqual((await list()).map((t) => t.id), ids.slice(1));
  });

  it('every ping task method needs an admin', async () => {
    for (const path of ['add', 'edit', 'delete', 'order']) {
      const res = await http(s.url, `/api/admin/ping/${path}`, { method: 'POST', body: {} });
      assert.equal(res.status, 401);
    }
    const guest = await rpc(s.url, 'admin:getAllPingTasks');
    assert.equal(guest.error?.code, -32041);
  });
});

describe('a hidden node is left out of ping task `clients` for guests and agents (issue 12 §2)', () => {
  let s: TestServer;
  let cookie: string;
  let shown: { uuid: string; token: string };
  let hidden: { uuid: string; token: string };
  let taskId: number;
  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    shown = await addNode(s, cookie, 'shown');
    hidden = await addNode(s, cookie, 'hidden');
    assert.equal((await http(s.url, `/api/admin/client/${hidden.uuid}/edit`, { method: 'POST', cookie, body: { hidden: true } })).status, 200);
    const add = await http(s.url, '/api/admin/ping/add', {
      method: 'POST',
      cookie,
      body: { name: 'both', target: '1.1.1.1', type: 'icmp', interval: 60, clients: [shown.uuid, hidden.uuid] },
    });
    taskId = add.json.data.task_id;
    const result = await http(s.url, `/api/clients/ping/result?token=${shown.token}`, { method: 'POST', body: { task_id: taskId, value: 5 } });
    assert.equal(result.status, 200, result.text);
  });
  after(() => s.dispose());

  it('/api/task/ping and public:getPublicPingTasks: guests see only the visible node, admins both', async () => {
    assert.deepEqual((await http(s.url, '/api/task/ping')).json.data[0].clients, [shown.uuid]);
    assert.deepEqual((await rpc(s.url, 'public:getPublicPingTasks')).result[0].clients, [shown.uuid]);
    assert.deepEqual((await http(s.url, '/api/task/ping', { cookie })).json.data[0].clients, [shown.uuid, hidden.uuid]);
  });

  it('/api/records/ping and common:getRecords by task: the task entry lists only the visible node for guests', async () => {
    const rest = await http(s.url, `/api/records/ping?task_id=${taskId}`);
    assert.deepEqual(rest.json.data.tasks[0].clients, [shown.uuid]);
    const rpcAnswer = await rpc(s.url, 'common:getRecords', { type: 'ping', task_id: taskId });
    assert.deepEqual(rpcAnswer.result.tasks[0].clients, [shown.uuid]);
    const admin = await http(s.url, `/api/records/ping?task_id=${taskId}`, { cookie });
    assert.deepEqual(admin.json.data.tasks[0].clients, [shown.uuid, hidden.uuid]);
  });

  it('GET /api/clients/ping/tasks: another agent does not see the hidden node; the hidden node sees itself', async () => {
    assert.deepEqual((await http(s.url, `/api/clients/ping/tasks?token=${shown.token}`)).json[0].clients, [shown.uuid]);
    assert.deepEqual((await http(s.url, `/api/clients/ping/tasks?token=${hidden.token}`)).json[0].clients, [shown.uuid, hidden.uuid]);
  });
});
