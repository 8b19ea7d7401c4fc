import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serverErrorCode, serverMessages } from '@komari-ts/protocol/error-codes';
import { addNode } from './helpers/agent-common.ts';
import { http, rpc, startWithAdmin, type TestServer } from './helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const task = { name: 'dns', target: '1.1.1.1', type: 'icmp', interval: 60 };

describe('a ping task runs on at least one server today, unless it is for every server (issue 17 §5)', () => {
  let s: TestServer;
  let cookie: string;
  const nodes: { uuid: string; token: string }[] = [];
  const post = (path: string, body: unknown) => http(s.url, `/api/admin/ping/${path}`, { method: 'POST', cookie, body });
  const list = async (): Promise<any[]> => (await http(s.url, '/api/admin/ping/', { cookie })).json.data;

  async function refused(path: string, body: unknown, message: string): Promise<void> {
    const before = await list();
    const res = await post(path, body);
    assert.deepEqual([res.status, res.json], [400, { status: 'error', message }]);
    assert.deepEqual(await list(), before, 'nothing changed');
  }

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
  });
  after(() => s.dispose());

  it('with no server yet, "also on servers added later" alone is every server, now and later', async () => {
    const res = await post('add', { ...task, default_on: true });
    assert.equal(res.status, 200, res.text);
    const id = res.json.data.task_id as number;
    const n = await addNode(s, cookie, 'first');
    nodes.push(n);
    assert.deepEqual((await list()).find((t) => t.id === id).clients, [n.uuid]);
    assert.equal((await post('delete', { id: [id] })).status, 200);
  });

  it('with servers present, default_on without clients is refused on add and on edit, with a stable code', async () => {
    nodes.push(await addNode(s, cookie, 'second'));
    await refused('add', { ...task, default_on: true }, serverMessages.pingNoServerToday);
    await refused('add', { ...task, default_on: true, clients: [] }, serverMessages.pingNoServerToday);
    await refused('add', { ...task, default_on: true, clients: null }, serverMessages.pingNoServerToday);
    await refused('add', { ...task, default_on: false, clients: [] }, serverMessages.pingClientsRequired);
    assert.equal(serverErrorCode(serverMessages.pingNoServerToday)?.code, 'ping.no_server_today');
    assert.equal(serverErrorCode(serverMessages.pingClientsRequired)?.code, 'ping.clients_required');

    const id = (await post('add', { ...task, clients: [nodes[0]!.uuid] })).json.data.task_id as number;
    await refused('edit', { tasks: [{ ...task, id, default_on: true, clients: [] }] }, serverMessages.pingNoServerToday);
    await refused('edit', { tasks: [{ ...task, id, default_on: false, clients: [] }] }, serverMessages.pingClientsRequired);
    // the same rule over JSON-RPC: -32602 with the same text
    const viaRpc = await rpc(s.url, 'admin:addPingTask', { ...task, default_on: true }, { cookie });
    assert.deepEqual(viaRpc.error, { code: -32602, message: serverMessages.pingNoServerToday });
    assert.equal((await post('delete', { id: [id] })).status, 200);
  });

  it('`all: true` puts the task on every server now and on every server added later', async () => {
    const res = await post('add', { ...task, all: true, clients: [], default_on: false });
    assert.equal(res.status, 200, res.text);
    const id = res.json.data.task_id as number;
    const saved = (await list()).find((t) => t.id === id);
    assert.deepEqual([[...saved.clients].sort(), saved.default_on], [nodes.map((n) => n.uuid).sort(), true]);
    assert.equal('all' in saved, false, 'the wire form stays Komari’s');
    const later = await addNode(s, cookie, 'third');
    assert.ok((await list()).find((t) => t.id === id).clients.includes(later.uuid));
    // an edit with `all` takes in every server again after one was taken off
    const one = await post('edit', { tasks: [{ ...task, id, clients: [later.uuid], default_on: true }] });
    assert.equal(one.status, 200, one.text);
    assert.equal((await post('edit', { tasks: [{ ...task, id, all: true }] })).status, 200);
    assert.equal((await list()).find((t) => t.id === id).clients.length, 3);
  });

  it('`all` of the wrong type is refused; null is no `all` (as Komari reads a null field)', async () => {
    const before = await list();
    for (const all of ['yes', 1, 'true', []]) {
      const res = await post('add', { ...task, all });
      assert.equal(res.status, 400, `${JSON.stringify(all)}: ${res.text}`);
      assert.match(res.json.message, /^Invalid request body: all: /);
    }
    const none = await post('add', { ...task, all: null });
    assert.deepEqual([none.status, none.json.message], [400, serverMessages.pingClientsRequired]);
    assert.deepEqual(await list(), before);
  });
});
