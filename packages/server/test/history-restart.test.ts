import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ingestReport, parseReport } from '../src/agents/ingest.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, startTestServer, type TestServer } from './helpers/server.ts';

function report(cpu: number, totalUp: number, uptime: number) {
  return parseReport({ cpu: { usage: cpu }, ram: { total: 4000, used: cpu * 10 }, network: { totalUp, totalDown: 0 }, uptime });
}

/** Rows of one node as the file holds them, read through a second connection (what survives kill -9). */
function rowsOnDisk(dbPath: string, width: number) {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return db
      .prepare('SELECT start, count, cpu_sum, traffic_up FROM history_buckets WHERE width = ? ORDER BY start')
      .all(width)
      .map((r) => ({ start: new Date(Number(r.start)).toISOString(), count: Number(r.count), cpuSum: Number(r.cpu_sum), trafficUp: Number(r.traffic_up) }));
  } finally {
    db.close();
  }
}

async function addNode(s: TestServer, cookie: string): Promise<string> {
  return (await http(s.url, '/api/admin/client/add', { method: 'POST', cookie, body: { name: 'restart' } })).json.uuid;
}

async function records(s: TestServer, uuid: string, hours: number) {
  const res = await http(s.url, `/api/records/load?uuid=${uuid}&hours=${hours}`, { cookie: await s.login() });
  assert.equal(res.status, 200, res.text);
  return res.json.data.records as { time: string; cpu: number; traffic_up: number; net_total_up: number }[];
}

describe('history across a graceful restart (decision 6: partial buckets survive)', () => {
  const clock = new ManualClock('2026-05-10T10:00:10Z');
  let s: TestServer;
  let dir = '';
  after(async () => {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('three reports, SIGTERM path, restart in the same minute, two more: the minute averages all five', async () => {
    s = await startTestServer({ clock });
    dir = s.dir;
    const uuid = await addNode(s, await s.login());
    for (const [cpu, up] of [[10, 1000], [20, 1100], [30, 1200]] as const) {
      ingestReport(s.ctx, uuid, report(cpu, up, 500 + cpu), { presence: false });
      clock.advance(10_000);
    }
    await s.stop();
    s = await startTestServer({ dir, clock });
    for (const [cpu, up] of [[40, 1300], [50, 1400]] as const) {
      ingestReport(s.ctx, uuid, report(cpu, up, 500 + cpu), { presence: false });
      clock.advance(5_000);
    }
    const [minute] = await records(s, uuid, 1);
    assert.equal(minute!.time, '2026-05-10T10:00:00Z');
    assert.equal(minute!.cpu, 30); // (10+20+30+40+50)/5: count-consistent, not an average of averages
    // baseline 1200 restored from the store: 0 (first ever) + 100 + 100, then + 100 + 100, no spike
    assert.equal(minute!.traffic_up, 400);
    assert.equal(minute!.net_total_up, 1400);
  });

  it('the finished minute reaches every coarse tier whole', async () => {
    clock.set(Date.parse('2026-05-10T10:06:00Z'));
    await s.ctx.history.flush();
    for (const width of [300, 3600, 86400]) {
      assert.deepEqual(rowsOnDisk(s.dbPath, width).map((r) => [r.count, r.cpuSum, r.trafficUp]), [[5, 150, 400]], `width ${width}`);
    }
  });

  it('a minute left open by a stop is merged into the coarse tiers when the server starts after it closed', async () => {
    const uuid = (await http(s.url, '/api/nodes')).json.data[0].uuid as string;
    clock.set(Date.parse('2026-05-10T10:07:10Z'));
    ingestReport(s.ctx, uuid, report(70, 1500, 600), { presence: false });
    await s.stop();
    clock.set(Date.parse('2026-05-10T10:12:30Z')); // the 10:05 five-minute bucket ended while down
    s = await startTestServer({ dir, clock });
    ingestReport(s.ctx, uuid, report(90, 1600, 601), { presence: false });
    clock.set(Date.parse('2026-05-10T11:00:00Z'));
    await s.ctx.history.flush();
    const five = rowsOnDisk(s.dbPath, 300).map((r) => [r.start, r.count, r.cpuSum]);
    assert.deepEqual(five, [
      ['2026-05-10T10:00:00.000Z', 5, 150],
      ['2026-05-10T10:05:00.000Z', 1, 70],
      ['2026-05-10T10:10:00.000Z', 1, 90],
    ]);
    assert.deepEqual(rowsOnDisk(s.dbPath, 3600).map((r) => [r.count, r.cpuSum, r.trafficUp]), [[7, 310, 600]]);
    const hourly = await records(s, uuid, 168);
    assert.deepEqual(hourly.map((r) => [r.time, r.traffic_up]), [['2026-05-10T10:00:00Z', 600]]);
  });
});

describe('history after kill -9: loses at most the flush interval', () => {
  const clock = new ManualClock('2026-05-11T08:30:05Z');
  let s: TestServer;
  after(() => s.dispose());

  it('a flush puts the open minute on disk: a second connection reads it while the server still runs', async () => {
    s = await startTestServer({ clock });
    const uuid = await addNode(s, await s.login());
    ingestReport(s.ctx, uuid, report(10, 100, 1), { presence: false });
    clock.advance(10_000);
    ingestReport(s.ctx, uuid, report(30, 300, 2), { presence: false });
    await s.ctx.history.flush();
    assert.deepEqual(rowsOnDisk(s.dbPath, 60), [{ start: '2026-05-11T08:30:00.000Z', count: 2, cpuSum: 40, trafficUp: 200 }]);
  });

  it('the flush timer alone writes within one interval (2 s), no stop needed', async () => {
    const uuid = (await http(s.url, '/api/nodes')).json.data[0].uuid as string;
    clock.advance(10_000);
    ingestReport(s.ctx, uuid, report(50, 350, 3), { presence: false });
    await sleep(2_300);
    assert.deepEqual(rowsOnDisk(s.dbPath, 60).map((r) => [r.count, r.cpuSum, r.trafficUp]), [[3, 90, 250]]);
  });
});
