import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode } from '../helpers/agent-common.ts';
import { http, rpc, startWithAdmin, type TestServer } from '../helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

// komari-ts's latency/loss rules per ping task (/api/admin/alerts/ping; Komari has none): add,
// edit, delete, and every refusal leaving the rule list as it was.

describe('latency/loss rules (/api/admin/alerts/ping)', () => {
  let s: TestServer;
  let cookie: string;
  let taskId: number;
  let otherTask: number;
  const nodes: { uuid: string; token: string }[] = [];

  const list = async (): Promise<any[]> => {
    const res = await http(s.url, '/api/admin/alerts/ping', { cookie });
    assert.equal(res.status, 200, res.text);
    return res.json.data;
  };
  const post = (verb: string, body: unknown) => http(s.url, `/api/admin/alerts/ping/${verb}`, { method: 'POST', cookie, body });

  async function refused(verb: string, body: unknown, message: string | RegExp, status = 400): Promise<void> {
    const before = await list();
    const res = await post(verb, body);
    assert.equal(res.status, status, res.text);
    assert.equal(res.json.status, 'error');
    if (typeof message === 'string') assert.equal(res.json.message, message);
    else assert.match(res.json.message, message);
    assert.deepEqual(await list(), before, 'nothing changed');
  }

  const ok = () => ({ name: 'cf slow', task_id: taskId, clients: [nodes[0]!.uuid], latency_ms: 200, loss_percent: 10, window_minutes: 5 });

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    for (const name of ['a', 'b']) nodes.push(await addNode(s, cookie, name));
    const addTask = async (name: string) => {
      const res = await http(s.url, '/api/admin/ping/add', {
        method: 'POST', cookie, body: { name, target: '1.1.1.1', type: 'icmp', interval: 60, clients: nodes.map((n) => n.uuid) },
      });
      assert.equal(res.status, 200, res.text);
      return res.json.data.task_id as number;
    };
    taskId = await addTask('cloudflare');
    otherTask = await addTask('google');
  });
  after(() => s.dispose());

  it('add answers {id}; the list shows the rule with its defaults', async () => {
    const res = await post('add', ok());
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'success', message: '', data: { id: 1 } });
    assert.deepEqual(await list(), [{
      id: 1, name: 'cf slow', enabled: true, task_id: taskId, clients: [nodes[0]!.uuid], loss_percent: 10, latency_ms: 200,
      window_minutes: 5, reminder_minutes: 0, notify_resolved: true, channels: null, quiet: null,
    }]);
    const lossOnly = await post('add', { task_id: otherTask, loss_percent: 50 });
    assert.equal(lossOnly.status, 200, lossOnly.text);
    const row = (await list()).find((r) => r.id === lossOnly.json.data.id);
    assert.deepEqual([row.latency_ms, row.loss_percent, row.window_minutes, row.clients], [0, 50, 5, []]);
  });

  it('bad adds are 400 and add nothing', async () => {
    await refused('add', { ...ok(), task_id: undefined }, 'task_id is required');
    await refused('add', { ...ok(), task_id: 999 }, 'Ping task not found: 999');
    await refused('add', { ...ok(), latency_ms: 0, loss_percent: 0 }, 'loss_percent or latency_ms is required');
    await refused('add', { ...ok(), latency_ms: undefined, loss_percent: undefined }, 'loss_percent or latency_ms is required');
    await refused('add', { ...ok(), clients: [nodes[0]!.uuid, 'ghost'] }, 'Client not found: ghost');
    await refused('add', { ...ok(), window_minutes: 0 }, /^Invalid request body: window_minutes/);
    await refused('add', { ...ok(), window_minutes: 1441 }, /^Invalid request body: window_minutes/);
    await refused('add', { ...ok(), window_minutes: 2.5 }, /^Invalid request body: window_minutes/);
    await refused('add', { ...ok(), loss_percent: 101 }, /^Invalid request body: loss_percent/);
    await refused('add', { ...ok(), latency_ms: -1 }, /^Invalid request body: latency_ms/);
    await refused('add', { ...ok(), channels: [7] }, 'Channel not found: 7');
    await refused('add', { ...ok(), task_id: '1' }, /^Invalid request body: task_id/);
    await refused('add', { ...ok(), name: 'n'.repeat(256) }, /^Invalid request body: name/);
    await refused('add', [ok()], /^Invalid request body: /);
  });

  it('edit changes what is given, keeps the rest', async () => {
    const res = await post('edit', { id: 1, latency_ms: 300, enabled: false, clients: [nodes[0]!.uuid, nodes[1]!.uuid] });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'success', message: '' });
    const r = (await list()).find((x) => x.id === 1);
    assert.deepEqual([r.latency_ms, r.enabled, r.clients, r.loss_percent, r.name, r.task_id], [300, false, [nodes[0]!.uuid, nodes[1]!.uuid], 10, 'cf slow', taskId]);
    // Turning one threshold off is fine while the other stays.
    assert.equal((await post('edit', { id: 1, loss_percent: 0 })).status, 200);
    assert.equal((await post('edit', { id: 1, task_id: otherTask })).status, 200);
    assert.equal((await list()).find((x) => x.id === 1).task_id, otherTask);
  });

  it('bad edits are 400/404 and change nothing', async () => {
    await refused('edit', { id: 99, latency_ms: 5 }, 'Rule not found: 99', 404);
    await refused('edit', { id: 1, task_id: 12345 }, 'Ping task not found: 12345');
    // loss is already 0: a latency of 0 would leave the rule with nothing to watch.
    await refused('edit', { id: 1, latency_ms: 0 }, 'loss_percent or latency_ms is required');
    await refused('edit', { id: 1, clients: ['ghost'] }, 'Client not found: ghost');
    await refused('edit', { id: 1, window_minutes: 0 }, /^Invalid request body: window_minutes/);
    await refused('edit', { id: 1, window_minutes: 100_000 }, /^Invalid request body: window_minutes/);
    await refused('edit', { id: 1, quiet: { start: '7am', end: '08:00' } }, /^Invalid request body: quiet/);
    await refused('edit', { latency_ms: 5 }, /^Invalid request body: id/);
  });

  it('delete {"id":[…]}; missing ids 404, an empty list 400', async () => {
    await refused('delete', { id: [] }, /id is required/);
    await refused('delete', {}, /^Invalid request body: id/);
    await refused('delete', { id: [404] }, 'record not found', 404);
    const res = await post('delete', { id: [1] });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'success', message: '' });
    assert.deepEqual((await list()).map((r) => r.id), [2]);
    const viaRpc = await rpc(s.url, 'admin:deletePingAlertRule', { id: [2] }, { cookie });
    assert.deepEqual(viaRpc, { jsonrpc: '2.0', id: 1 });
    assert.deepEqual(await list(), []);
  });

  it('changes are audited; guests are refused', async () => {
    const logs = (await http(s.url, '/api/admin/logs', { cookie })).json.data.logs.map((l: any) => l.message);
    assert.ok(logs.includes('add latency/loss alert 1: cf slow'), logs.join('\n'));
    assert.ok(logs.includes('delete latency/loss alert 1'));
    assert.equal((await http(s.url, '/api/admin/alerts/ping')).status, 401);
    assert.equal((await http(s.url, '/api/admin/alerts/ping/add', { method: 'POST', body: ok() })).status, 401);
    assert.deepEqual(await list(), []);
  });
});

describe('latency/loss rules: at most limits.alerts.maxRules', () => {
  it('the rule past the limit is 400 and not added', async () => {
    const { s, cookie } = await startWithAdmin({ limits: { alerts: { maxRules: 1 } } });
    try {
      const node = await addNode(s, cookie, 'a');
      const task = await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name: 't', target: '1.1.1.1', type: 'icmp', interval: 60, clients: [node.uuid] } });
      const body = { task_id: task.json.data.task_id, latency_ms: 100 };
      assert.equal((await http(s.url, '/api/admin/alerts/ping/add', { method: 'POST', cookie, body })).status, 200);
      const over = await http(s.url, '/api/admin/alerts/ping/add', { method: 'POST', cookie, body });
      assert.equal(over.status, 400, over.text);
      assert.deepEqual(over.json, { status: 'error', message: 'Too many latency/loss rules (at most 1)' });
      assert.equal((await http(s.url, '/api/admin/alerts/ping', { cookie })).json.data.length, 1);
    } finally {
      await s.dispose();
    }
  });
});

describe('latency/loss rules after their node or task is deleted', () => {
  it('the rule can still be edited without naming them again (a stale reference is not a bad input)', async () => {
    const { s, cookie } = await startWithAdmin();
    try {
      const keep = await addNode(s, cookie, 'keep');
      const gone = await addNode(s, cookie, 'gone');
      const addTask = async (name: string) =>
        (await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name, target: '1.1.1.1', type: 'icmp', interval: 60, clients: [keep.uuid] } })).json.data.task_id as number;
      const task = await addTask('t1');
      const other = await addTask('t2');
      const add = await http(s.url, '/api/admin/alerts/ping/add', { method: 'POST', cookie, body: { task_id: task, clients: [keep.uuid, gone.uuid], latency_ms: 100 } });
      assert.equal(add.status, 200, add.text);
      const id = add.json.data.id as number;
      assert.equal((await http(s.url, `/api/admin/client/${gone.uuid}/remove`, { method: 'POST', cookie })).status, 200);
      assert.equal((await http(s.url, '/api/admin/ping/delete', { method: 'POST', cookie, body: { id: [task] } })).status, 200);

      const edit = await http(s.url, '/api/admin/alerts/ping/edit', { method: 'POST', cookie, body: { id, enabled: false } });
      assert.equal(edit.status, 200, edit.text);
      // Naming an unknown node or task anew is still refused.
      const bad = await http(s.url, '/api/admin/alerts/ping/edit', { method: 'POST', cookie, body: { id, clients: [keep.uuid, 'ghost'] } });
      assert.deepEqual([bad.status, bad.json.message], [400, 'Client not found: ghost']);
      const moved = await http(s.url, '/api/admin/alerts/ping/edit', { method: 'POST', cookie, body: { id, task_id: other, clients: [keep.uuid] } });
      assert.equal(moved.status, 200, moved.text);
      const [rule] = (await http(s.url, '/api/admin/alerts/ping', { cookie })).json.data;
      assert.deepEqual([rule.enabled, rule.task_id, rule.clients], [false, other, [keep.uuid]]);
    } finally {
      await s.dispose();
    }
  });
});
