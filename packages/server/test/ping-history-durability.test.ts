import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { addNode } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, startTestServer, type TestServer } from './helpers/server.ts';

const minute = 60_000;
const hour = 3_600_000;

/** Ping rows as the file holds them, through a second connection: what survives a crash. */
function rowsOnDisk(dbPath: string, where = '1', args: (string | number)[] = []) {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return db
      .prepare(`SELECT s.task, s.node, b.width, b.start, b.sent, b.lost FROM ping_buckets b JOIN ping_series s ON s.id = b.series
                WHERE ${where} ORDER BY b.width, b.start, s.task, s.node`)
      .all(...args)
      .map((r) => ({ task: Number(r.task), node: String(r.node), width: Number(r.width), start: new Date(Number(r.start)).toISOString(), sent: Number(r.sent), lost: Number(r.lost) }));
  } finally {
    db.close();
  }
}

async function addTask(s: TestServer, cookie: string, clients: string[]): Promise<number> {
  const res = await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name: 'probe', type: 'icmp', target: '1.1.1.1', interval: 60, clients } });
  assert.equal(res.status, 200, res.text);
  return res.json.data.task_id;
}

async function sendResult(s: TestServer, token: string, task: number, value: number): Promise<void> {
  const res = await http(s.url, `/api/clients/ping/result?token=${token}`, { method: 'POST', body: { task_id: task, value } });
  assert.equal(res.status, 200, res.text);
}

describe('ping tasks and ping history across restarts (decision 6: partial buckets survive)', () => {
  const clock = new ManualClock('2026-07-01T12:00:05Z');
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };
  let task: number;
  after(() => s.dispose());

  it('tasks, their schedule and a half-filled minute survive a graceful restart; loss stays exact', async () => {
    s = await startTestServer({ clock });
    cookie = await s.login();
    node = await addNode(s, cookie, 'n');
    task = await addTask(s, cookie, [node.uuid]);
    const tasksBefore = (await http(s.url, '/api/admin/ping/', { cookie })).json.data;
    for (const v of [10, -1, 30, 40]) {
      await sendResult(s, node.token, task, v);
      clock.advance(5000);
    }
    await s.stop();
    s = await startTestServer({ dir: s.dir, clock });
    cookie = await s.login();
    assert.deepEqual((await http(s.url, '/api/admin/ping/', { cookie })).json.data, tasksBefore);
    assert.equal(s.ctx.ping.timerCount, 1, 'the schedule is rebuilt at start');
    for (const v of [-1, 60]) {
      await sendResult(s, node.token, task, v);
      clock.advance(5000);
    }
    const data = (await http(s.url, `/api/records/ping?uuid=${node.uuid}&hours=1`)).json.data;
    assert.deepEqual(data.records, [{ task_id: task, time: '2026-07-01T12:00:00Z', value: 60, client: node.uuid }]);
    assert.deepEqual(data.basic_info, [{ client: node.uuid, loss: (2 * 100) / 6, min: 10, max: 60 }]);
    assert.equal(data.tasks[0].avg, 35);
  });

  it('the finished minute reaches every coarse tier whole', async () => {
    clock.set(Date.parse('2026-07-01T12:06:00Z'));
    await s.ctx.ping.history.flush();
    for (const width of [300, 3600, 86400]) {
      assert.deepEqual(rowsOnDisk(s.dbPath, 'b.width = ?', [width]).map((r) => [r.sent, r.lost]), [[6, 2]], `width ${width}`);
    }
  });

  it('a minute left open by a stop is merged into the coarse tiers when the server starts after it closed', async () => {
    clock.set(Date.parse('2026-07-01T12:07:10Z'));
    await sendResult(s, node.token, task, -1);
    await s.stop();
    clock.set(Date.parse('2026-07-01T12:20:00Z'));
    s = await startTestServer({ dir: s.dir, clock });
    cookie = await s.login();
    await s.ctx.ping.history.flush();
    assert.deepEqual(rowsOnDisk(s.dbPath, 'b.width = 300').map((r) => [r.start, r.sent, r.lost]), [
      ['2026-07-01T12:00:00.000Z', 6, 2],
      ['2026-07-01T12:05:00.000Z', 1, 1],
    ]);
    assert.deepEqual(rowsOnDisk(s.dbPath, 'b.width = 3600').map((r) => [r.sent, r.lost]), [[7, 3]]);
  });

  it('deleting a task deletes its history; deleting a node deletes its history', async () => {
    const other = await addNode(s, cookie, 'other');
    const second = await addTask(s, cookie, [node.uuid, other.uuid]);
    await sendResult(s, node.token, second, 5);
    await sendResult(s, other.token, second, 6);
    await sendResult(s, other.token, task, 7);
    await s.ctx.ping.history.flush();
    assert.ok(rowsOnDisk(s.dbPath, 's.task = ?', [second]).length > 0);
    assert.equal((await http(s.url, '/api/admin/ping/delete', { method: 'POST', cookie, body: { id: [second] } })).status, 200);
    assert.deepEqual(rowsOnDisk(s.dbPath, 's.task = ?', [second]), []);
    assert.equal((await http(s.url, `/api/records/ping?task_id=${second}`)).json.data.count, 0);
    assert.equal((await http(s.url, `/api/admin/client/${other.uuid}/remove`, { method: 'POST', cookie })).status, 200);
    assert.deepEqual(rowsOnDisk(s.dbPath, 's.node = ?', [other.uuid]), []);
    assert.ok(rowsOnDisk(s.dbPath, 's.node = ?', [node.uuid]).length > 0, 'the other node keeps its history');
  });
});

describe('pruning keeps ping rows within each tier\'s retention', () => {
  const clock = new ManualClock('2026-08-01T00:00:30Z');
  const smallTiers = [
    { bucketSeconds: 60, keepHours: 1 },
    { bucketSeconds: 300, keepHours: 3 },
  ];
  let s: TestServer;
  let uuid: string;
  let task: number;

  before(async () => {
    s = await startTestServer({ clock });
    const cookie = await s.login();
    uuid = (await addNode(s, cookie, 'pruned')).uuid;
    task = await addTask(s, cookie, [uuid]);
    for (let i = 0; i < 120; i++, clock.advance(minute)) s.ctx.ping.record(task, uuid, i % 10 === 0 ? -1 : i);
    await s.ctx.ping.history.flush();
    const saved = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { history_retention: smallTiers } });
    assert.equal(saved.status, 200, saved.text);
    await s.stop();
    s = await startTestServer({ dir: s.dir, clock }); // tiers are read at start
  });
  after(() => s.dispose());

  it('rows of widths no longer configured are deleted at start', () => {
    assert.deepEqual([...new Set(rowsOnDisk(s.dbPath).map((r) => r.width))], [60, 300]);
  });

  it('three simulated days of one result a minute, pruned hourly: rows per series stay under the bound', async () => {
    const bound = new Map(smallTiers.map((t) => [t.bucketSeconds, (t.keepHours * 3600) / t.bucketSeconds + 2]));
    for (let h = 0; h < 72; h++) {
      for (let m = 0; m < 60; m++, clock.advance(minute)) assert.equal(s.ctx.ping.record(task, uuid, m % 7 === 0 ? -1 : m), true);
      await s.ctx.ping.history.flush();
      await s.ctx.ping.history.prune();
      const rows = rowsOnDisk(s.dbPath);
      for (const t of smallTiers) {
        const mine = rows.filter((r) => r.width === t.bucketSeconds);
        assert.ok(mine.length <= bound.get(t.bucketSeconds)!, `width ${t.bucketSeconds}: ${mine.length} rows after hour ${h}`);
        assert.ok(Date.parse(mine[0]!.start) >= clock.now() - t.keepHours * hour - t.bucketSeconds * 1000, 'nothing older is kept');
      }
    }
    // the full retention is still there: a 3-hour read answers from 5-minute buckets
    const data = (await http(s.url, `/api/records/ping?uuid=${uuid}&hours=3`)).json.data;
    assert.ok(data.count >= 36 && data.count <= 37, String(data.count));
    const lost = rowsOnDisk(s.dbPath, 'b.width = 300').reduce((n, r) => n + r.lost, 0);
    assert.ok(lost > 0);
  });
});
