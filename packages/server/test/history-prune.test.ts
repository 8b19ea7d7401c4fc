import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { ingestReport, parseReport } from '../src/agents/ingest.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, startTestServer, type TestServer } from './helpers/server.ts';

const minute = 60_000;
const hour = 3_600_000;
const smallTiers = [
  { bucketSeconds: 60, keepHours: 1 },
  { bucketSeconds: 300, keepHours: 3 },
];

/** width → { rows, oldest start } of one node, read from the file. */
function rowsPerWidth(dbPath: string, uuid: string): Map<number, { rows: number; oldest: number }> {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const rows = db
      .prepare(`SELECT width, COUNT(*) AS n, MIN(start) AS oldest FROM history_buckets
                JOIN history_nodes ON history_nodes.id = history_buckets.node WHERE uuid = ? GROUP BY width`)
      .all(uuid);
    return new Map(rows.map((r) => [Number(r.width), { rows: Number(r.n), oldest: Number(r.oldest) }]));
  } finally {
    db.close();
  }
}

function feedMinute(s: TestServer, clock: ManualClock, uuid: string, i: number): void {
  ingestReport(s.ctx, uuid, parseReport({ cpu: { usage: i % 100 }, network: { totalUp: i * 10, totalDown: i * 20 }, uptime: i }), { presence: false });
  clock.advance(minute);
}

describe('pruning keeps each tier within its retention', () => {
  const clock = new ManualClock('2026-06-01T00:00:30Z');
  let s: TestServer;
  let cookie: string;
  let uuid: string;
  let i = 0;

  before(async () => {
    s = await startTestServer({ clock });
    cookie = await s.login();
    uuid = (await http(s.url, '/api/admin/client/add', { method: 'POST', cookie, body: { name: 'pruned' } })).json.uuid;
    for (; i < 120; i++) feedMinute(s, clock, uuid, i);
    await s.ctx.history.flush();
    const saved = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { history_retention: smallTiers } });
    assert.equal(saved.status, 200, saved.text);
    await s.stop();
    s = await startTestServer({ dir: s.dir, clock }); // tiers are read at start
    cookie = await s.login();
  });
  after(() => s.dispose());

  it('a shrinking or misordered ladder is refused: each width a larger multiple of the one before', async () => {
    const bad = await http(s.url, '/api/admin/settings', {
      method: 'POST',
      cookie,
      body: { history_retention: [{ bucketSeconds: 300, keepHours: 3 }, { bucketSeconds: 420, keepHours: 2 }] },
    });
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /^history_retention must be .*1\.bucketSeconds: must be a larger multiple of the previous tier; 1\.keepHours: /);
  });

  it('rows of widths no longer configured are deleted at start', () => {
    assert.deepEqual([...rowsPerWidth(s.dbPath, uuid).keys()].sort((a, b) => a - b), [60, 300]);
  });

  it('three simulated days of one report a minute, pruned hourly: the row count per node stays under the bound', async () => {
    // rows whose start is at or after alignDown(now − keep, width): at most keep/width + 2 per tier
    const bound = new Map(smallTiers.map((t) => [t.bucketSeconds, (t.keepHours * 3600) / t.bucketSeconds + 2]));
    const counts: number[] = [];
    for (let h = 0; h < 72; h++) {
      for (let m = 0; m < 60; m++, i++) feedMinute(s, clock, uuid, i);
      await s.ctx.history.flush();
      await s.ctx.history.prune();
      const perWidth = rowsPerWidth(s.dbPath, uuid);
      for (const t of smallTiers) {
        const got = perWidth.get(t.bucketSeconds)!;
        assert.ok(got.rows <= bound.get(t.bucketSeconds)!, `width ${t.bucketSeconds}: ${got.rows} rows after hour ${h}`);
        assert.ok(got.oldest >= clock.now() - t.keepHours * hour - t.bucketSeconds * 1000, `width ${t.bucketSeconds} keeps nothing older`);
      }
      counts.push([...perWidth.values()].reduce((a, w) => a + w.rows, 0));
    }
    // steady state: the full retention is kept (not pruned too eagerly) and the total no longer grows
    assert.ok(counts.slice(-48).every((n) => n >= 60 + 36 && n <= counts.at(-1)! + 2), String(counts.slice(-48)));
  });

  it('reads answer from the tiers that are kept: 5-minute buckets for the last 3 hours only', async () => {
    const res = await http(s.url, `/api/records/load?uuid=${uuid}&hours=3`, { cookie });
    const times = res.json.data.records.map((r: { time: string }) => Date.parse(r.time));
    assert.ok(times.every((t: number) => t % 300_000 === 0));
    assert.ok(times[0] >= clock.now() - 3 * hour - 300_000);
  });

  it('forget deletes a node history and its traffic baseline', async () => {
    await s.ctx.history.forget(uuid);
    assert.equal(rowsPerWidth(s.dbPath, uuid).size, 0);
    assert.equal((await http(s.url, `/api/records/load?uuid=${uuid}&hours=1`, { cookie })).json.data.count, 0);
    ingestReport(s.ctx, uuid, parseReport({ network: { totalUp: 10 ** 9, totalDown: 0 }, uptime: 10 ** 6 }), { presence: false });
    const [first] = (await http(s.url, `/api/records/load?uuid=${uuid}&hours=1`, { cookie })).json.data.records;
    assert.equal(first.traffic_up, 0, 'no baseline survives: the first sample after forget counts 0');
  });
});

describe('a prune larger than one batch (limits.history.pruneBatchRows)', () => {
  const clock = new ManualClock('2026-06-01T00:00:30Z');
  let s: TestServer;

  before(async () => {
    s = await startTestServer({ clock, limits: { history: { pruneBatchRows: 7 } } });
  });
  after(() => s.dispose());

  it('deletes the whole backlog in batches, keeps every newer row, and lets a flush in between', async () => {
    const now = clock.now();
    const old = (node: string, i: number) => ({
      node, width: 60, start: now - 48 * hour + i * minute, count: 1, gpuCount: 0,
      sum: { cpu: 1, gpu: 0, ram: 0, swap: 0, load: 0, disk: 0, net_in: 0, net_out: 0, process: 0, connections: 0, connections_udp: 0 },
      max: { cpu: 1, gpu: 0, ram: 0, swap: 0, load: 0, disk: 0, net_in: 0, net_out: 0, process: 0, connections: 0, connections_udp: 0 },
      lastAt: now - 48 * hour + i * minute + 1, netTotalUp: 0, netTotalDown: 0, ramTotal: 0, swapTotal: 0, diskTotal: 0, trafficUp: 0, trafficDown: 0,
    });
    // 30 rows per node past the 24 h of the minute tier, 10 per node within it
    await s.ctx.store.history.write(['a', 'b'].flatMap((n) => Array.from({ length: 40 }, (_, i) => old(n, i < 30 ? i : 24 * 60 + i))));
    await s.ctx.store.ping.history.write(Array.from({ length: 20 }, (_, i) => ({
      task: 1, node: 'a', width: 60, start: now - 48 * hour + i * minute, sent: 1, lost: 0, sum: 5, min: 5, max: 5, last: 5, lastAt: 0,
    })));
    const order: string[] = [];
    const pruned = s.ctx.history.prune().then((n) => (order.push('prune'), n));
    const flushed = s.ctx.history.flush().then(() => order.push('flush'));
    const [n] = await Promise.all([pruned, flushed]);
    assert.equal(n, 60);
    assert.deepEqual(order, ['flush', 'prune'], 'the flush ran between two batches, not after the whole prune');
    for (const node of ['a', 'b']) assert.equal((await s.ctx.store.history.range(node, 60, -Infinity, Infinity)).length, 10);
    assert.equal(await s.ctx.ping.history.prune(), 20);
    assert.deepEqual(await s.ctx.store.ping.history.range({}, 60, -Infinity, Infinity), []);
  });
});
