import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { addNode, sampleReport } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, rpc, startTestServer, type TestServer } from './helpers/server.ts';

/** Rows in the file, read through a second connection: what a restart would read back. */
function countOnDisk(dbPath: string, table: 'history_buckets' | 'ping_buckets'): number {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return Number(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()!.n);
  } finally {
    db.close();
  }
}

interface Env {
  s: TestServer;
  cookie: string;
  clock: ManualClock;
  nodes: { uuid: string; token: string }[];
  task: number;
}

async function report(e: Env, node: { token: string }, cpu: number, totalUp: number): Promise<void> {
  const res = await http(e.s.url, `/api/clients/report?token=${node.token}`, {
    method: 'POST',
    body: sampleReport({ cpu: { usage: cpu }, network: { up: 0, down: 0, totalUp, totalDown: 0 } }),
  });
  assert.equal(res.status, 200, res.text);
}

async function ping(e: Env, node: { token: string }, value: number): Promise<void> {
  const res = await http(e.s.url, `/api/clients/ping/result?token=${node.token}`, { method: 'POST', body: { task_id: e.task, value } });
  assert.equal(res.status, 200, res.text);
}

async function loadRecords(e: Env, uuid: string) {
  const res = await http(e.s.url, `/api/records/load?uuid=${uuid}&hours=1`, { cookie: e.cookie });
  assert.equal(res.status, 200, res.text);
  return res.json.data.records as { time: string; cpu: number; traffic_up: number }[];
}

async function pingRecords(e: Env, uuid: string) {
  const res = await http(e.s.url, `/api/records/ping?uuid=${uuid}&hours=1`, { cookie: e.cookie });
  assert.equal(res.status, 200, res.text);
  return res.json.data.records as unknown[];
}

async function auditLines(e: Env) {
  const res = await http(e.s.url, '/api/admin/logs?limit=100', { cookie: e.cookie });
  return (res.json.data.logs as { message: string; msg_type: string }[]).map((l) => [l.message, l.msg_type]);
}

/**
 * Two nodes with three minutes of load and ping history: the first two minutes flushed to the
 * file, the third still in the open buckets in memory.
 */
async function withHistory(): Promise<Env> {
  const clock = new ManualClock('2026-09-01T08:00:05Z');
  const s = await startTestServer({ clock });
  const cookie = await s.login();
  const nodes = [await addNode(s, cookie, 'a'), await addNode(s, cookie, 'b')];
  const add = await http(s.url, '/api/admin/ping/add', {
    method: 'POST', cookie, body: { name: 'probe', type: 'icmp', target: '192.0.2.1', interval: 60, clients: nodes.map((n) => n.uuid) },
  });
  assert.equal(add.status, 200, add.text);
  const e: Env = { s, cookie, clock, nodes, task: add.json.data.task_id };
  for (let m = 0; m < 3; m++) {
    for (const [i, n] of nodes.entries()) {
      await report(e, n, 10 + i, 1000 * (m + 1));
      await ping(e, n, 20 + m);
    }
    if (m === 1) {
      await s.ctx.history.flush();
      await s.ctx.ping.history.flush();
    }
    clock.advance(60_000);
  }
  clock.advance(-30_000); // back inside the third minute: its buckets are open
  for (const n of nodes) {
    assert.equal((await loadRecords(e, n.uuid)).length, 3);
    assert.equal((await pingRecords(e, n.uuid)).length, 3);
  }
  assert.ok(countOnDisk(s.dbPath, 'history_buckets') > 0);
  assert.ok(countOnDisk(s.dbPath, 'ping_buckets') > 0);
  return e;
}

describe('POST /api/admin/record/clear (admin:clearRecords)', () => {
  let e: Env;
  before(async () => {
    e = await withHistory();
  });
  after(() => e?.s.dispose());

  it('answers Komari’s empty success and deletes the load history of every node, stored and in memory', async () => {
    const res = await http(e.s.url, '/api/admin/record/clear', { method: 'POST', cookie: e.cookie });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'success', message: '' });
    for (const n of e.nodes) assert.deepEqual(await loadRecords(e, n.uuid), []);
    assert.equal(countOnDisk(e.s.dbPath, 'history_buckets'), 0);
  });

  it('keeps the live view: the recent window still holds the latest reports', async () => {
    for (const n of e.nodes) {
      const recent = await http(e.s.url, `/api/recent/${n.uuid}`);
      assert.equal(recent.status, 200, recent.text);
      assert.equal(recent.json.data.length, 1);
    }
  });

  it('nothing comes back at the next flush, when the open minute closes', async () => {
    e.clock.advance(120_000);
    await e.s.ctx.history.flush();
    assert.equal(countOnDisk(e.s.dbPath, 'history_buckets'), 0);
    for (const n of e.nodes) assert.deepEqual(await loadRecords(e, n.uuid), []);
  });

  it('keeps the ping history', async () => {
    for (const n of e.nodes) assert.equal((await pingRecords(e, n.uuid)).length, 3);
    assert.ok(countOnDisk(e.s.dbPath, 'ping_buckets') > 0);
  });

  it('writes Komari’s audit line', async () => {
    assert.deepEqual((await auditLines(e))[0], ['clear records', 'warn']);
  });

  it('history starts again with the next report; its traffic is a delta from the report before the clear', async () => {
    const [a] = e.nodes;
    await report(e, a!, 50, 3500); // the last report before the clear said 3000
    const rows = await loadRecords(e, a!.uuid);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.cpu, 50);
    assert.equal(rows[0]!.traffic_up, 500);
  });

  it('after a restart only what came after the clear is there', async () => {
    await e.s.stop();
    e.s = await startTestServer({ dir: e.s.dir, clock: e.clock });
    e.cookie = await e.s.login();
    assert.equal((await loadRecords(e, e.nodes[0]!.uuid)).length, 1);
    assert.deepEqual(await loadRecords(e, e.nodes[1]!.uuid), []);
  });

  it('over RPC: a null result, so neither result nor error (rpc2.md quirk)', async () => {
    assert.deepEqual(await rpc(e.s.url, 'admin:clearRecords', {}, { cookie: e.cookie }), { jsonrpc: '2.0', id: 1 });
    assert.deepEqual(await loadRecords(e, e.nodes[0]!.uuid), []);
  });
});

describe('POST /api/admin/record/clear/all (admin:clearAllRecords)', () => {
  let e: Env;
  before(async () => {
    e = await withHistory();
  });
  after(() => e?.s.dispose());

  it('deletes the load and the ping history of every node, stored and in memory', async () => {
    const res = await http(e.s.url, '/api/admin/record/clear/all', { method: 'POST', cookie: e.cookie });
    assert.deepEqual([res.status, res.json], [200, { status: 'success', message: '' }]);
    for (const n of e.nodes) {
      assert.deepEqual(await loadRecords(e, n.uuid), []);
      assert.deepEqual(await pingRecords(e, n.uuid), []);
    }
    assert.equal(countOnDisk(e.s.dbPath, 'history_buckets'), 0);
    assert.equal(countOnDisk(e.s.dbPath, 'ping_buckets'), 0);
  });

  it('writes Komari’s audit line', async () => {
    assert.deepEqual((await auditLines(e))[0], ['clear all records', 'info']);
  });

  it('nothing comes back at the next flush nor after a restart; the ping task stays and records again', async () => {
    e.clock.advance(120_000);
    await e.s.ctx.history.flush();
    await e.s.ctx.ping.history.flush();
    assert.equal(countOnDisk(e.s.dbPath, 'history_buckets'), 0);
    assert.equal(countOnDisk(e.s.dbPath, 'ping_buckets'), 0);
    await e.s.stop();
    e.s = await startTestServer({ dir: e.s.dir, clock: e.clock });
    e.cookie = await e.s.login();
    for (const n of e.nodes) {
      assert.deepEqual(await loadRecords(e, n.uuid), []);
      assert.deepEqual(await pingRecords(e, n.uuid), []);
    }
    await ping(e, e.nodes[0]!, 42);
    assert.equal((await pingRecords(e, e.nodes[0]!.uuid)).length, 1);
  });
});
