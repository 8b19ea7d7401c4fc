import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { ingestReport, parseReport } from '../src/agents/ingest.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, startTestServer, type TestServer } from './helpers/server.ts';

const minute = 60_000;
const hour = 3_600_000;
const day = 86_400_000;

/** One synthetic report and the traffic deltas records.md §3.3 says it must produce. */
interface Sample {
  at: number;
  cpu: number;
  ram: number;
  disk: number;
  tcp: number;
  udp: number;
  totalUp: number;
  totalDown: number;
  uptime: number;
  deltaUp: number;
  deltaDown: number;
}

function reportOf(s: Sample) {
  return {
    cpu: { usage: s.cpu },
    ram: { total: 8000, used: s.ram },
    swap: { total: 0, used: 0 },
    load: { load1: 1, load5: 0, load15: 0 },
    disk: { total: 50_000, used: s.disk },
    network: { up: s.cpu * 10, down: s.cpu * 20, totalUp: s.totalUp, totalDown: s.totalDown },
    connections: { tcp: s.tcp, udp: s.udp },
    uptime: s.uptime,
    process: 40,
  };
}

/**
 * 30 days of reports every 5, 7 or 10 minutes, then 30 minutes of one every 30 s. Every 500th
 * report the host reboots (uptime falls: both deltas 0); every 700th the upload counter resets
 * without a reboot (upload delta 0, download counted). Integer values, so sums stay exact.
 */
function schedule(t0: number): Sample[] {
  const out: Sample[] = [];
  let at = t0 + 90_000;
  let up = 1_000_000;
  let down = 5_000_000;
  let uptime = 10_000;
  const steps = [5, 7, 10];
  for (let i = 0; at < t0 + 30 * day + 30 * minute; i++) {
    const reboot = i > 0 && i % 500 === 0;
    const reset = i > 0 && i % 700 === 0;
    const stepUp = 100 + (i % 5);
    const stepDown = 300 + (i % 3);
    up = reset ? 7 : up + stepUp;
    down += stepDown;
    uptime = reboot ? 30 : uptime + 60;
    out.push({
      at, cpu: (i % 4) * 10 + 5, ram: 1000 * ((i % 3) + 1), disk: 20_000 + (i % 7), tcp: 10 + (i % 6), udp: i % 4,
      totalUp: up, totalDown: down, uptime,
      deltaUp: i === 0 || reboot || reset ? 0 : stepUp,
      deltaDown: i === 0 || reboot ? 0 : stepDown,
    });
    at += at < t0 + 30 * day ? steps[i % 3]! * minute : 30_000;
  }
  return out;
}

/** What a bucket of `width` ms must hold, computed straight from the samples. */
function expected(samples: Sample[], uuid: string, width: number, start: number, end: number) {
  const groups = new Map<number, Sample[]>();
  for (const s of samples) {
    if (s.at < Math.floor(start / width) * width || s.at > end) continue;
    const b = Math.floor(s.at / width) * width;
    groups.set(b, [...(groups.get(b) ?? []), s]);
  }
  return [...groups].map(([b, g]) => {
    const avg = (f: (s: Sample) => number) => g.reduce((a, s) => a + f(s), 0) / g.length;
    const last = g.at(-1)!;
    return {
      client: uuid, time: new Date(b).toISOString().replace('.000Z', 'Z'),
      cpu: avg((s) => s.cpu), ram: Math.trunc(avg((s) => s.ram)), ram_total: 8000, disk: Math.trunc(avg((s) => s.disk)),
      disk_total: 50_000, net_out: Math.trunc(avg((s) => s.cpu * 10)), net_in: Math.trunc(avg((s) => s.cpu * 20)),
      net_total_up: last.totalUp, net_total_down: last.totalDown,
      traffic_up: g.reduce((a, s) => a + s.deltaUp, 0), traffic_down: g.reduce((a, s) => a + s.deltaDown, 0),
      connections: Math.trunc(avg((s) => s.tcp)), connections_udp: Math.trunc(avg((s) => s.udp)),
      max: { cpu: Math.max(...g.map((s) => s.cpu)), ram: Math.max(...g.map((s) => s.ram)) },
    };
  });
}

describe('history rollups over 30 simulated days', () => {
  const t0 = Date.UTC(2026, 2, 1);
  const clock = new ManualClock(t0);
  let s: TestServer;
  let cookie: string;
  let uuid: string;
  let samples: Sample[];

  before(async () => {
    s = await startTestServer({ clock });
    cookie = await s.login();
    uuid = (await http(s.url, '/api/admin/client/add', { method: 'POST', cookie, body: { name: 'month' } })).json.uuid;
    samples = schedule(t0);
    let nextFlush = t0 + day;
    for (const sample of samples) {
      clock.set(sample.at);
      ingestReport(s.ctx, uuid, parseReport(reportOf(sample)), { presence: false });
      if (sample.at >= nextFlush) {
        await s.ctx.history.flush();
        nextFlush += day;
      }
    }
    clock.advance(10_000);
  });
  after(() => s.dispose());

  const cases = [
    { hours: 1, bucket: 60 },
    { hours: 4, bucket: 60 },
    { hours: 24, bucket: 300 },
    { hours: 168, bucket: 3600 },
    { hours: 720, bucket: 3600 },
  ];
  for (const { hours, bucket } of cases) {
    it(`hours=${hours} answers ${bucket} s buckets with exact averages, last totals and traffic deltas`, async () => {
      const res = await http(s.url, `/api/records/load?uuid=${uuid}&hours=${hours}`, { cookie });
      assert.equal(res.status, 200, res.text);
      const { records, count } = res.json.data;
      const now = clock.now();
      const want = expected(samples, uuid, bucket * 1000, now - hours * hour, now);
      assert.equal(count, want.length);
      const times = records.map((r: { time: string }) => Date.parse(r.time));
      assert.ok(times.every((t: number) => t % (bucket * 1000) === 0), 'aligned to the bucket');
      const spacing = times.slice(1).map((t: number, i: number) => t - times[i]);
      assert.equal(Math.min(...spacing), bucket * 1000, 'adjacent buckets are one bucket apart');
      for (const [i, w] of want.entries()) {
        const got = records[i];
        const { cpu, max: _max, ...exact } = w;
        assert.ok(Math.abs(got.cpu - cpu) < 1e-4, `cpu ${got.cpu} vs ${cpu} at ${w.time}`);
        for (const [k, v] of Object.entries(exact)) assert.equal(got[k], v, `${k} at ${w.time}`);
        assert.equal(got.temp, 0);
        assert.ok(got.traffic_up >= 0 && got.traffic_down >= 0);
      }
    });
  }

  it('the hour and day rows in the database keep exact maxima and sample counts', async () => {
    clock.advance(2 * day); // every bucket has closed: the next flush writes the last minute into them
    await s.ctx.history.flush();
    const db = new DatabaseSync(s.dbPath, { readOnly: true });
    try {
      for (const width of [3600, 86400]) {
        const rows = db.prepare('SELECT start, count, cpu_max, ram_max, cpu_sum FROM history_buckets WHERE width = ? ORDER BY start').all(width);
        const want = expected(samples, uuid, width * 1000, t0, clock.now());
        assert.equal(rows.length, want.length);
        for (const [i, w] of want.entries()) {
          assert.equal(Number(rows[i]!.start), Date.parse(w.time));
          assert.equal(rows[i]!.cpu_max, w.max.cpu);
          assert.equal(rows[i]!.ram_max, w.max.ram);
        }
        assert.equal(rows.reduce((a, r) => a + Number(r.count), 0), samples.length);
      }
    } finally {
      db.close();
    }
  });

  it('deltas over the whole month add up to the constructed ones: reboots and counter resets count 0, never negative', async () => {
    const res = await http(s.url, `/api/records/load?uuid=${uuid}&hours=800`, { cookie });
    const records = res.json.data.records as { traffic_up: number; traffic_down: number }[];
    const sum = (f: (r: { traffic_up: number; traffic_down: number }) => number) => records.reduce((a, r) => a + f(r), 0);
    assert.equal(sum((r) => r.traffic_up), samples.reduce((a, x) => a + x.deltaUp, 0));
    assert.equal(sum((r) => r.traffic_down), samples.reduce((a, x) => a + x.deltaDown, 0));
    assert.ok(samples.some((x) => x.uptime === 30) && samples.some((x) => x.totalUp === 7), 'the month has reboots and resets');
  });
});

describe('traffic deltas (records.md §3.3)', () => {
  const clock = new ManualClock('2026-04-01T00:00:05Z');
  let s: TestServer;
  let cookie: string;

  before(async () => {
    s = await startTestServer({ clock });
    cookie = await s.login();
  });
  after(() => s.dispose());

  async function feed(points: { up: number; down: number; uptime: number }[]) {
    const uuid = (await http(s.url, '/api/admin/client/add', { method: 'POST', cookie, body: { name: 'traffic' } })).json.uuid;
    for (const p of points) {
      const report = { network: { up: 0, down: 0, totalUp: p.up, totalDown: p.down }, uptime: p.uptime };
      ingestReport(s.ctx, uuid, parseReport(report), { presence: false });
      clock.advance(minute);
    }
    const res = await http(s.url, `/api/records/load?uuid=${uuid}&hours=1&load_type=all`, { cookie });
    return res.json.data.records as { traffic_up: number; traffic_down: number }[];
  }

  it('ingest keeps traffic delta at 0 after an agent restart: totals 100→150→(reboot)155→180 give 0, 50, 0, 25', async () => {
    const records = await feed([
      { up: 100, down: 1000, uptime: 1000 },
      { up: 150, down: 1100, uptime: 1003 },
      { up: 155, down: 1150, uptime: 1 },
      { up: 180, down: 1200, uptime: 4 },
    ]);
    assert.deepEqual(records.map((r) => r.traffic_up), [0, 50, 0, 25]);
    assert.deepEqual(records.map((r) => r.traffic_down), [0, 100, 0, 50]);
  });

  it('a counter reset without a reboot counts 0 for that direction only, never a negative delta', async () => {
    const records = await feed([
      { up: 5000, down: 9000, uptime: 100 },
      { up: 5400, down: 9100, uptime: 160 },
      { up: 30, down: 9300, uptime: 220 },
      { up: 90, down: 50, uptime: 280 },
      { up: 100, down: 70, uptime: 340 },
    ]);
    assert.deepEqual(records.map((r) => r.traffic_up), [0, 400, 0, 60, 10]);
    assert.deepEqual(records.map((r) => r.traffic_down), [0, 100, 200, 0, 20]);
  });
});
