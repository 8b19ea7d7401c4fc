import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { addNode, sampleReport } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, rpc, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { v2Post, V2SocketAgent } from './helpers/v2-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Results stored per series, read from the file after a flush: what survives, and nothing else. */
async function storedSent(s: TestServer): Promise<number> {
  await s.ctx.ping.history.flush();
  const db = new DatabaseSync(s.dbPath, { readOnly: true });
  try {
    return Number(db.prepare('SELECT COALESCE(SUM(sent), 0) AS n FROM ping_buckets WHERE width = 60').get()!.n);
  } finally {
    db.close();
  }
}

describe('ping results from every transport, and the history read back in Komari\'s shapes', () => {
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let s: TestServer;
  let cookie: string;
  let a: { uuid: string; token: string };
  let b: { uuid: string; token: string };
  let v1: V1Agent;
  let v2: V2SocketAgent;
  const lostAt = new Set([4, 14, 21]);
  const valueOf = (i: number) => (lostAt.has(i) ? -1 : 20 + i);

  const records = (query: string, o: { cookie?: string } = {}) => http(s.url, `/api/records/ping?${query}`, o);

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ clock }));
    a = await addNode(s, cookie, 'a');
    b = await addNode(s, cookie, 'b');
    await addNode(s, cookie, 'c');
    for (const [name, clients] of [['probe', [a.uuid, b.uuid]], ['second', [a.uuid]]] as const) {
      const res = await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name, type: 'icmp', target: '8.8.8.8', interval: 60, clients } });
      assert.equal(res.status, 200, res.text);
    }
    v1 = await V1Agent.connect(s, a.token);
    v1.report();
    v2 = await V2SocketAgent.connect(s, b.token);
    v2.send({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() } });
  });
  after(async () => {
    await Promise.all([v1.close(), v2.close()]);
    await s.dispose();
  });

  /** One result of node a for task 1, over the i-th transport of three; resolves once it is stored. */
  async function send(i: number): Promise<void> {
    const value = valueOf(i);
    if (i % 3 === 0) {
      v1.send({ type: 'ping_result', task_id: 1, ping_type: 'icmp', value, finished_at: '2026-06-01T18:00:00.123456789+08:00' });
      // Frames are handled in order: the reply to an unknown type means the result before it is in.
      assert.deepEqual(await v1.ask({ type: 'barrier' }), { error: 'Unknown message type', status: 'error' });
    } else if (i % 3 === 1) {
      const res = await http(s.url, `/api/clients/ping/result?token=${a.token}`, { method: 'POST', body: { task_id: 1, value, ping_type: 'icmp' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.text, '{"status":"success"}');
    } else {
      // finished_at as a number: Komari refuses it on v2; the spec recommends accepting and ignoring it.
      const params = { task_id: 1, ping_type: 'icmp', value, finished_at: i % 2 ? 1780308000 : '2026-06-01T10:00:00Z' };
      const res = await v2Post(s, a.token, { jsonrpc: '2.0', method: 'agent.pingResult', params, id: i });
      assert.deepEqual(res.json, { jsonrpc: '2.0', id: i, result: { status: 'success' } });
    }
  }

  it('30 results in one minute over v1 socket, v1 POST and v2 POST, 3 lost, the last answered: loss 10, not 0', async () => {
    for (let i = 0; i < 30; i++) {
      await send(i);
      clock.advance(2000);
    }
    const res = await records(`uuid=${a.uuid}&hours=1`);
    assert.equal(res.status, 200, res.text);
    const data = res.json.data;
    assert.deepEqual(Object.keys(data), ['count', 'basic_info', 'records', 'tasks']);
    // Komari's record: the bucket's last value, at the bucket start.
    assert.deepEqual(data.records, [{ task_id: 1, time: '2026-06-01T10:00:00Z', value: 49, client: a.uuid }]);
    const answered = [...Array(30).keys()].filter((i) => !lostAt.has(i)).map(valueOf);
    const avg = Math.trunc(answered.reduce((x, y) => x + y, 0) / answered.length);
    assert.deepEqual(data.basic_info, [{ client: a.uuid, loss: 10, min: 20, max: 49 }]);
    assert.deepEqual(data.tasks, [
      { id: 1, name: 'probe', type: 'icmp', interval: 60, default_on: false, loss: 10, min: 20, max: 49, avg, total: 1 },
      { id: 2, name: 'second', type: 'icmp', interval: 60, default_on: false, loss: 0, min: 0, max: 0, avg: 0, total: 0 },
    ]);
    assert.equal(await storedSent(s), 30);
  });

  it('agent.pingResult over the v2 socket: answered with an id, silent as a notification, both stored', async () => {
    const reply = await v2.call('agent.pingResult', { task_id: 1, ping_type: 'icmp', value: 30 }, 7);
    assert.deepEqual(reply, { jsonrpc: '2.0', id: 7, result: { status: 'success' } });
    v2.send({ jsonrpc: '2.0', method: 'agent.pingResult', params: { task_id: 1, ping_type: 'icmp', value: -1 } });
    await v2.assertQuiet(200);
    assert.equal(await storedSent(s), 32);
    const data = (await records(`uuid=${b.uuid}&task_id=1&hours=1`)).json.data;
    assert.deepEqual(data.records, [{ task_id: 1, time: '2026-06-01T10:01:00Z', value: -1, client: b.uuid }]);
    assert.deepEqual(data.basic_info, [{ client: b.uuid, loss: 50, min: 30, max: 30 }]);
    assert.equal(data.tasks.length, 1);
    assert.equal('clients' in data.tasks[0], false, 'clients only in task_id-only mode');
  });

  it('malformed results get clear errors and store nothing; unknown task ids are accepted and dropped', async () => {
    const before = await storedSent(s);
    for (const frame of [
      { type: 'ping_result', task_id: '1', value: 20 },
      { type: 'ping_result', task_id: 1, value: 1.5 },
      { type: 'ping_result', task_id: 1 },
      { type: 'ping_result', task_id: -1, value: 3 },
      { type: 'ping_result', task_id: 1, value: 3, ping_type: 5 },
    ]) {
      assert.deepEqual(await v1.ask(frame), { error: 'Invalid ping result format', status: 'error' }, JSON.stringify(frame));
    }
    const post = (body: unknown) => http(s.url, `/api/clients/ping/result?token=${a.token}`, { method: 'POST', body });
    for (const body of [{ task_id: 1 }, { task_id: '1', value: 3 }, { task_id: 1, value: 1.5 }, { task_id: -1, value: 3 }, { task_id: 1, value: 3, ping_type: 5 }, [1, 2]]) {
      const res = await post(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.json.message, /^Invalid request: /);
    }
    assert.deepEqual((await post('{"task_id":')).json, { status: 'error', message: 'Invalid or missing request body' });
    for (const params of [{ task_id: 1, value: 'x' }, { value: 3 }, [1, 3], { task_id: 1, value: 3, ping_type: false }]) {
      const res = await v2Post(s, a.token, { jsonrpc: '2.0', method: 'agent.pingResult', params, id: 1 });
      assert.equal(res.status, 400);
      assert.equal(res.json.error.code, -32602);
      assert.equal(res.json.error.message, 'invalid ping result params');
    }
    // A task deleted while its probe ran: the agent cannot act on an error, so it gets success.
    assert.equal(v1.open, true);
    v1.send({ type: 'ping_result', task_id: 999, value: 3 });
    assert.deepEqual(await v1.ask({ type: 'barrier' }), { error: 'Unknown message type', status: 'error' });
    assert.equal((await post({ task_id: 999, value: 3 })).status, 200);
    assert.equal((await v2.call('agent.pingResult', { task_id: 999, value: 3 }, 9)).result.status, 'success');
    assert.equal(await storedSent(s), before);
  });

  it('task_id mode covers every node of the task and lists its clients', async () => {
    const data = (await records('task_id=1&hours=1')).json.data;
    assert.deepEqual(data.records.map((r: any) => [r.time, r.client]), [['2026-06-01T10:01:00Z', b.uuid], ['2026-06-01T10:00:00Z', a.uuid]], 'newest first');
    assert.equal(data.count, 2);
    assert.deepEqual(data.basic_info.map((x: any) => x.client).sort(), [a.uuid, b.uuid].sort());
    assert.deepEqual(data.tasks.map((t: any) => [t.id, t.loss, t.total, t.clients]), [[1, (4 * 100) / 32, 2, [a.uuid, b.uuid]]]);
  });

  it('the query checks of public-api.md §6.12, with Komari\'s texts', async () => {
    assert.deepEqual((await records('hours=1')).json, { status: 'error', message: 'UUID or task_id is required' });
    assert.equal((await records('hours=1')).status, 400);
    assert.deepEqual((await records('task_id=abc')).json, { status: 'error', message: 'Invalid task_id parameter' });
    assert.equal((await records(`uuid=${a.uuid}&hours=abc`)).json.data.count, 1, 'a bad hours means 4');
    const negative = await records(`uuid=${a.uuid}&hours=-1`);
    assert.equal(negative.status, 500);
    assert.match(negative.json.message, /^Failed to fetch ping records: /);
    // The RPC takes strings: a number is skipped, as Komari's decoder does.
    assert.equal((await rpc(s.url, 'public:getPingRecords', { task_id: 1 })).error?.message, 'UUID or task_id is required');
    assert.equal((await rpc(s.url, 'public:getPingRecords', { task_id: '1', hours: '1' })).result.count, 2);
  });

  it('common:getNodesLatestStatus carries a summary per task of the node with records in the last hour', async () => {
    const res = await rpc(s.url, 'common:getNodesLatestStatus', {});
    assert.deepEqual(res.result[a.uuid].ping, { 1: { name: 'probe', latest: 49, avg: res.result[a.uuid].ping['1'].avg, tail: 0, loss: 10, min: 20, max: 49 } });
    assert.deepEqual(Object.keys(res.result[a.uuid].ping['1']), ['name', 'latest', 'avg', 'tail', 'loss', 'min', 'max']);
    assert.deepEqual(res.result[b.uuid].ping, { 1: { name: 'probe', latest: -1, avg: 30, tail: 0, loss: 50, min: 30, max: 30 } });
  });

  it('common:getRecords type=ping: ascending, tasks always present, maxCount shared out, basic_info before reduction', async () => {
    for (let m = 0; m < 5; m++) {
      clock.advance(60_000);
      await http(s.url, `/api/clients/ping/result?token=${a.token}`, { method: 'POST', body: { task_id: 2, value: 10 + m } });
    }
    const all = (await rpc(s.url, 'common:getRecords', { type: 'ping', uuid: a.uuid, hours: 1 }, { cookie })).result;
    assert.deepEqual(Object.keys(all), ['count', 'basic_info', 'records', 'tasks', 'from', 'to']);
    assert.equal(all.count, 6);
    const times = all.records.map((r: any) => Date.parse(r.time));
    assert.deepEqual(times, [...times].sort((x, y) => x - y), 'ascending');
    const second = all.tasks.find((t: any) => t.id === 2);
    assert.deepEqual(second, {
      id: 2, name: 'second', type: 'icmp', interval: 60, default_on: false,
      loss: 0, min: 10, max: 14, avg: 12, latest: 14, total: 5, p50: 12, p99: 14, p99_p50_ratio: 2 / 12,
    });
    const reduced = (await rpc(s.url, 'common:getRecords', { type: 'ping', uuid: a.uuid, hours: 1, task_id: 2, maxCount: 2 })).result;
    assert.deepEqual(reduced.records.map((r: any) => r.value), [10, 14], 'the first and the last point');
    assert.equal(reduced.count, 2);
    assert.equal(reduced.tasks[0].total, 5, 'statistics before the reduction');
    assert.equal(reduced.basic_info.length, 1);
    const none = (await rpc(s.url, 'common:getRecords', { type: 'ping', uuid: a.uuid, hours: 1, task_id: 42 })).result;
    assert.deepEqual([none.count, none.records, none.tasks, 'basic_info' in none], [0, [], [], false]);
  });

  it('a guest never sees a hidden node\'s ping history', async () => {
    assert.equal((await http(s.url, `/api/admin/client/${b.uuid}/edit`, { method: 'POST', cookie, body: { hidden: true } })).status, 200);
    assert.deepEqual((await records(`uuid=${b.uuid}&hours=1`)).json.data, { count: 0, records: [] });
    const guest = (await records('task_id=1&hours=1')).json.data;
    assert.deepEqual(guest.records.map((r: any) => r.client), [a.uuid]);
    assert.deepEqual(guest.basic_info.map((x: any) => x.client), [a.uuid]);
    const admin = (await records('task_id=1&hours=1', { cookie })).json.data;
    assert.equal(admin.count, 2);
    const rpcGuest = await rpc(s.url, 'common:getRecords', { type: 'ping', hours: 1, task_id: 1 });
    assert.deepEqual(rpcGuest.result.records.map((r: any) => r.client), [a.uuid]);
    assert.equal((await rpc(s.url, 'common:getRecords', { type: 'ping', uuid: b.uuid })).error?.message, 'UUID not found');
  });
});
