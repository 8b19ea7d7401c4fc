import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { addNode } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { v2Post, V2SocketAgent } from './helpers/v2-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

type Node = { uuid: string; token: string };

async function storedSent(s: TestServer): Promise<number> {
  await s.ctx.ping.history.flush();
  const db = new DatabaseSync(s.dbPath, { readOnly: true });
  try {
    return Number(db.prepare('SELECT COALESCE(SUM(sent), 0) AS n FROM ping_buckets WHERE width = 60').get()!.n);
  } finally {
    db.close();
  }
}

async function addTask(s: TestServer, cookie: string, name: string, clients: string[]): Promise<number> {
  const res = await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name, type: 'icmp', target: 'probe.example', interval: 60, clients } });
  assert.equal(res.status, 200, res.text);
  return res.json.data.task_id;
}

/** The admin's task list: task id → its probe_errors (undefined when the key is absent). */
async function adminErrors(s: TestServer, cookie: string): Promise<Map<number, any[] | undefined>> {
  const res = await http(s.url, '/api/admin/ping/', { cookie });
  assert.equal(res.status, 200, res.text);
  return new Map((res.json.data as any[]).map((t) => [t.id, t.probe_errors]));
}

/** `probe_error` of each task on the node page's read (`/api/records/ping?uuid=`), as admin or guest. */
async function nodePageErrors(s: TestServer, uuid: string, cookie?: string): Promise<Map<number, any>> {
  const res = await http(s.url, `/api/records/ping?uuid=${uuid}&hours=1`, cookie ? { cookie } : {});
  assert.equal(res.status, 200, res.text);
  return new Map(((res.json.data.tasks ?? []) as any[]).map((t) => [t.id, t.probe_error]));
}

describe('probe errors: why a ping probe could not run, from every transport to the admin and the node page', () => {
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let s: TestServer;
  let cookie: string;
  let a: Node;
  let b: Node;
  let t1: number;
  let t2: number;
  let v1: V1Agent;
  let v2: V2SocketAgent;

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ clock }));
    a = await addNode(s, cookie, 'a');
    b = await addNode(s, cookie, 'b');
    t1 = await addTask(s, cookie, 'first', [a.uuid, b.uuid]);
    t2 = await addTask(s, cookie, 'second', [a.uuid]);
    v1 = await V1Agent.connect(s, a.token);
    v2 = await V2SocketAgent.connect(s, b.token);
  });
  after(async () => {
    await Promise.all([v1.close(), v2.close()]);
    await s.dispose();
  });

  /** A v1 frame, then a barrier: frames are handled in order, so the reply means it is in. */
  async function v1Frame(frame: Record<string, unknown>): Promise<void> {
    v1.send({ type: 'ping_result', ...frame });
    assert.deepEqual(await v1.ask({ type: 'barrier' }), { error: 'Unknown message type', status: 'error' });
  }

  it('without probe_error nothing changes: no key in the admin list nor on the node page (Komari\'s shapes)', async () => {
    await v1Frame({ task_id: t1, value: -1, ping_type: 'icmp' });
    assert.deepEqual([...(await adminErrors(s, cookie)).values()], [undefined, undefined]);
    assert.deepEqual([...(await nodePageErrors(s, a.uuid, cookie)).values()], [undefined, undefined]);
  });

  it('a reason over v1 socket, v1 POST, v2 POST and v2 socket is kept per task and node; admins see the detail, guests the code', async () => {
    await v1Frame({ task_id: t1, value: -1, ping_type: 'icmp', probe_error: { code: 'no_ping_binary', message: 'no `ping` program on this host' } });
    clock.advance(1000);
    const post = await http(s.url, `/api/clients/ping/result?token=${a.token}`, { method: 'POST', body: { task_id: t2, value: -1, ping_type: 'icmp', probe_error: { code: 'resolve_failed', message: 'cannot resolve probe.example (ENOTFOUND)' } } });
    assert.equal(post.text, '{"status":"success"}');
    clock.advance(1000);
    const res = await v2Post(s, b.token, { jsonrpc: '2.0', method: 'agent.pingResult', params: { task_id: t1, ping_type: 'icmp', value: -1, probe_error: { code: 'permission_denied' } }, id: 1 });
    assert.deepEqual(res.json, { jsonrpc: '2.0', id: 1, result: { status: 'success' } });

    const errors = await adminErrors(s, cookie);
    assert.deepEqual(errors.get(t1), [
      { client: a.uuid, code: 'no_ping_binary', message: 'no `ping` program on this host', since: '2026-06-01T10:00:00Z', at: '2026-06-01T10:00:00Z' },
      { client: b.uuid, code: 'permission_denied', since: '2026-06-01T10:00:02Z', at: '2026-06-01T10:00:02Z' },
    ]);
    assert.deepEqual(errors.get(t2), [{ client: a.uuid, code: 'resolve_failed', message: 'cannot resolve probe.example (ENOTFOUND)', since: '2026-06-01T10:00:01Z', at: '2026-06-01T10:00:01Z' }]);

    const asAdmin = await nodePageErrors(s, a.uuid, cookie);
    assert.deepEqual(asAdmin.get(t1), { code: 'no_ping_binary', message: 'no `ping` program on this host', since: '2026-06-01T10:00:00Z', at: '2026-06-01T10:00:00Z' });
    // a guest learns the code, never the detail (it names the target, which guests never see)
    const asGuest = await nodePageErrors(s, a.uuid);
    assert.deepEqual(Object.fromEntries(asGuest), { [t1]: { code: 'no_ping_binary' }, [t2]: { code: 'resolve_failed' } });
    // the same code again keeps `since` and moves `at`, over the v2 socket as a notification
    clock.advance(5000);
    v2.send({ jsonrpc: '2.0', method: 'agent.pingResult', params: { task_id: t1, ping_type: 'icmp', value: -1, probe_error: { code: 'permission_denied', message: null } } });
    assert.equal((await v2.call('agent.pingResult', { task_id: 999, value: 1 }, 2)).result.status, 'success');
    assert.deepEqual((await nodePageErrors(s, b.uuid, cookie)).get(t1), { code: 'permission_denied', since: '2026-06-01T10:00:02Z', at: '2026-06-01T10:00:07Z' });
  });

  it('an answered result clears the pair, and so does a plain loss (the probe ran); other pairs stay', async () => {
    await v1Frame({ task_id: t1, value: 12, ping_type: 'icmp' });
    let errors = await adminErrors(s, cookie);
    assert.deepEqual(errors.get(t1)?.map((e) => e.client), [b.uuid]);
    assert.equal(errors.get(t2)?.[0].code, 'resolve_failed');
    assert.equal((await nodePageErrors(s, a.uuid)).get(t1), undefined);

    await http(s.url, `/api/clients/ping/result?token=${a.token}`, { method: 'POST', body: { task_id: t2, value: -1 } });
    // a value with a reason is contradictory: the value wins, the probe ran
    await v2.call('agent.pingResult', { task_id: t1, value: 8, probe_error: { code: 'other', message: 'x' } }, 3);
    errors = await adminErrors(s, cookie);
    assert.equal(errors.get(t1), undefined);
    assert.equal(errors.get(t2), undefined);
    assert.equal(s.ctx.ping.errors.size, 0);
  });

  it('hostile reasons: huge and control characters are bounded, an unknown code is `other`, wrong types are refused and change nothing', async () => {
    const max = s.ctx.limits.probeErrors.maxMessageLength;
    const huge = `${'x'.repeat(200_000)}\u0000tail`;
    await v1Frame({ task_id: t1, value: -1, probe_error: { code: 'no_ping_binary', message: huge } });
    let kept = (await nodePageErrors(s, a.uuid, cookie)).get(t1);
    assert.equal(Array.from(kept.message as string).length, max);
    assert.match(kept.message, /^x+…$/);

    await v1Frame({ task_id: t1, value: -1, probe_error: { code: 'no_ping_binary', message: 'line one\nline two\r\n\u001b[31mred\u001b[0m\u202eevil\u0007' } });
    kept = (await nodePageErrors(s, a.uuid, cookie)).get(t1);
    assert.equal(kept.message, 'line one line two [31mred [0m evil');
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(kept.message, /[\u0000-\u001f\u007f\u202e]/);

    await v1Frame({ task_id: t2, value: -1, probe_error: { code: 'x'.repeat(100_000), message: 'from a newer agent' } });
    assert.deepEqual((await nodePageErrors(s, a.uuid)).get(t2), { code: 'other' });
    await v1Frame({ task_id: t2, value: -1, probe_error: { code: '__proto__' } });
    assert.deepEqual((await nodePageErrors(s, a.uuid, cookie)).get(t2)?.code, 'other');

    const snapshot = await adminErrors(s, cookie);
    const sent = await storedSent(s);
    const wrong = [
      'no_ping_binary',
      5,
      true,
      [],
      ['no_ping_binary'],
      {},
      { code: 5 },
      { code: null },
      { code: { nested: 'no_ping_binary' } },
      { code: 'other', message: 7 },
      { code: 'other', message: ['a'] },
    ];
    for (const probe_error of wrong) {
      // the reason would have cleared (an answer) or changed (a new code) the pair, had it been taken
      assert.deepEqual(await v1.ask({ type: 'ping_result', task_id: t1, value: 3, probe_error }), { error: 'Invalid ping result format', status: 'error' }, JSON.stringify(probe_error));
      const post = await http(s.url, `/api/clients/ping/result?token=${a.token}`, { method: 'POST', body: { task_id: t1, value: 3, probe_error } });
      assert.equal(post.status, 400, JSON.stringify(probe_error));
      assert.match(post.json.message, /^Invalid request: /);
      const rpc = await v2Post(s, b.token, { jsonrpc: '2.0', method: 'agent.pingResult', params: { task_id: t1, value: 3, probe_error }, id: 1 });
      assert.equal(rpc.json.error.code, -32602);
      assert.equal(rpc.json.error.message, 'invalid ping result params');
    }
    assert.deepEqual(await adminErrors(s, cookie), snapshot);
    assert.equal(await storedSent(s), sent, 'no refused result was stored');

    // null is the same as no reason: taken like any result (it clears the pair)
    await v1Frame({ task_id: t2, value: -1, probe_error: null });
    assert.equal((await adminErrors(s, cookie)).get(t2), undefined);
  });

  it('a reason from a node the task does not run on, or for an unknown task, is not kept', async () => {
    await v2.call('agent.pingResult', { task_id: t2, value: -1, probe_error: { code: 'no_ping_binary' } }, 4);
    await v2.call('agent.pingResult', { task_id: 4242, value: -1, probe_error: { code: 'no_ping_binary' } }, 5);
    assert.equal((await adminErrors(s, cookie)).get(t2), undefined);
    assert.equal(s.ctx.ping.errors.get(4242, b.uuid), undefined);
  });

  it('forgotten when the node is taken off the task, when the task is deleted and when the node is deleted', async () => {
    const c = await addNode(s, cookie, 'c');
    const t3 = await addTask(s, cookie, 'third', [a.uuid, b.uuid, c.uuid]);
    for (const n of [a, b, c]) {
      const res = await http(s.url, `/api/clients/ping/result?token=${n.token}`, { method: 'POST', body: { task_id: t3, value: -1, probe_error: { code: 'no_ping_binary' } } });
      assert.equal(res.status, 200, res.text);
    }
    await v2.call('agent.pingResult', { task_id: t1, value: -1, probe_error: { code: 'permission_denied' } }, 6);
    assert.deepEqual((await adminErrors(s, cookie)).get(t3)?.map((e) => e.client).sort(), [a.uuid, b.uuid, c.uuid].sort());

    const edit = await http(s.url, '/api/admin/ping/edit', { method: 'POST', cookie, body: { tasks: [{ id: t3, name: 'third', type: 'icmp', target: 'probe.example', interval: 60, clients: [a.uuid, c.uuid] }] } });
    assert.equal(edit.status, 200, edit.text);
    assert.deepEqual((await adminErrors(s, cookie)).get(t3)?.map((e) => e.client).sort(), [a.uuid, c.uuid].sort());

    const removed = await http(s.url, `/api/admin/client/${c.uuid}/remove`, { method: 'POST', cookie });
    assert.equal(removed.status, 200, removed.text);
    assert.deepEqual((await adminErrors(s, cookie)).get(t3)?.map((e) => e.client), [a.uuid]);

    const deleted = await http(s.url, '/api/admin/ping/delete', { method: 'POST', cookie, body: { id: [t3] } });
    assert.equal(deleted.status, 200, deleted.text);
    assert.equal(s.ctx.ping.errors.get(t3, a.uuid), undefined);
    // the other task's reasons were never touched
    const t1Errors = (await adminErrors(s, cookie)).get(t1)?.map((e) => `${e.client} ${e.code}`).sort();
    assert.deepEqual(t1Errors, [`${a.uuid} no_ping_binary`, `${b.uuid} permission_denied`].sort());
  });
});

describe('probe errors are bounded per node and in total (limits.probeErrors)', () => {
  let s: TestServer;
  let cookie: string;

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ limits: { probeErrors: { maxPerNode: 2, maxTotal: 3 } } }));
  });
  after(() => s.dispose());

  it('past a bound a new pair is not kept (and counted); kept pairs still update and clear', async () => {
    const a = await addNode(s, cookie, 'a');
    const b = await addNode(s, cookie, 'b');
    const tasks: number[] = [];
    for (const name of ['t1', 't2', 't3']) tasks.push(await addTask(s, cookie, name, [a.uuid, b.uuid]));
    const fail = async (n: Node, task: number, code: string) => {
      const res = await http(s.url, `/api/clients/ping/result?token=${n.token}`, { method: 'POST', body: { task_id: task, value: -1, probe_error: { code } } });
      assert.equal(res.status, 200, res.text);
    };
    for (const task of tasks) await fail(a, task, 'no_ping_binary');
    assert.deepEqual(tasks.map((t) => s.ctx.ping.errors.get(t, a.uuid)?.code), ['no_ping_binary', 'no_ping_binary', undefined], 'two per node');
    for (const task of tasks) await fail(b, task, 'permission_denied');
    assert.deepEqual(tasks.map((t) => s.ctx.ping.errors.get(t, b.uuid)?.code), ['permission_denied', undefined, undefined], 'three in total');
    assert.equal(s.ctx.ping.errors.size, 3);
    assert.equal(s.ctx.ping.errors.dropped, 3);

    // a kept pair still changes; a freed slot takes the next reason
    await fail(a, tasks[0]!, 'other');
    assert.equal(s.ctx.ping.errors.get(tasks[0]!, a.uuid)?.code, 'other');
    await http(s.url, `/api/clients/ping/result?token=${a.token}`, { method: 'POST', body: { task_id: tasks[1], value: 5 } });
    await fail(b, tasks[1]!, 'resolve_failed');
    assert.equal(s.ctx.ping.errors.get(tasks[1]!, b.uuid)?.code, 'resolve_failed');
    assert.equal(s.ctx.ping.errors.size, 3);
  });
});
