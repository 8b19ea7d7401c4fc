import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseReport } from '../src/agents/ingest.ts';
import { addNode, sampleReport } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, rpc, startWithAdmin, type TestServer } from './helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const t0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const cpuAt = (i: number) => ((i * 37) % 50) + i / 10;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The documented percentile: nearest rank over per-minute means weighted by their sample counts. */
function weighted(means: { v: number; n: number }[], p: number): number {
  const total = means.reduce((s, m) => s + m.n, 0);
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const m of [...means].sort((a, b) => a.v - b.v)) if ((seen += m.n) >= rank) return m.v;
  throw new Error('unreachable');
}

describe('public metric methods over the history tiers', () => {
  const clock = new ManualClock(t0);
  let s: TestServer;
  let cookie: string;
  let node: string;
  let hidden: string;
  let task: number;
  const samples: { at: number; cpu: number }[] = [];

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ clock, limits: { metrics: { maxKeys: 3, maxPointsPerSeries: 5000, maxSeries: 1000, maxTotalPoints: 40 } } }));
    node = (await addNode(s, cookie, 'visible')).uuid;
    hidden = (await addNode(s, cookie, 'hidden')).uuid;
    await http(s.url, `/api/admin/client/${hidden}/edit`, { method: 'POST', cookie, body: { hidden: true } });
    // 10 minutes of samples every 10 s (minutes 0–3 and 6–9: a 2-minute gap), through the recorder.
    for (let i = 0; i < 60; i++) {
      if (i >= 24 && i < 36) continue;
      const at = t0 + i * 10_000;
      const cpu = cpuAt(i);
      samples.push({ at, cpu });
      s.ctx.history.record(node, parseReport(sampleReport({ cpu: { usage: cpu }, network: { up: 0, down: 0, totalUp: 1000 + i, totalDown: 5 } })), at);
      s.ctx.history.record(hidden, parseReport(sampleReport({ cpu: { usage: 99 } })), at);
    }
    const add = await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name: 'probe', type: 'icmp', target: '1.1.1.1', interval: 30, clients: [node] } });
    task = add.json.data.task_id;
    for (const [offset, value] of [[0, 10], [10_000, 20], [20_000, -1], [30_000, 30], [60_000, 40], [70_000, -1]] as const) {
      clock.set(t0 + offset);
      assert.equal(s.ctx.ping.record(task, node, value), true);
    }
    await s.ctx.history.flush();
    await s.ctx.ping.history.flush();
    clock.set(t0 + 3 * 3_600_000);
  });
  after(() => s.dispose());

  const query = (params: unknown, c?: string) => rpc(s.url, 'public:queryMetrics', params, c ? { cookie: c } : {});
  const window = { start: iso(t0), end: iso(t0 + 600_000) };

  it('listMetricDefinitions: the 21 built-in names with one retention', async () => {
    const r = (await rpc(s.url, 'public:listMetricDefinitions')).result;
    assert.equal(r.length, 21);
    assert.deepEqual(r[0], { name: 'cpu.usage', description: 'CPU usage', type: 'gauge', unit: '%', retention_days: 1825, created_at: '1970-01-01T00:00:00Z', updated_at: '1970-01-01T00:00:00Z' });
    assert.ok(r.some((d: any) => d.name === 'ping.loss') && r.some((d: any) => d.name === 'net.total.up' && d.type === 'counter'));
    assert.deepEqual((await rpc(s.url, 'admin:listMetricDefinitions', undefined, { cookie })).result, r);
  });

  it('every aggregation of a rollup answer, checked against the samples', async () => {
    // 600 s / 5 points = 120 s buckets, read from the 1-minute tier.
    const perMinute = new Map<number, number[]>();
    for (const x of samples) perMinute.set(Math.floor(x.at / 60_000) * 60_000, [...(perMinute.get(Math.floor(x.at / 60_000) * 60_000) ?? []), x.cpu]);
    const buckets = new Map<number, number[][]>();
    for (const [m, vs] of perMinute) buckets.set(Math.floor(m / 120_000) * 120_000, [...(buckets.get(Math.floor(m / 120_000) * 120_000) ?? []), vs]);
    const expect: Record<string, (mins: number[][]) => number> = {
      avg: (m) => mean(m.flat()),
      sum: (m) => m.flat().reduce((a, b) => a + b, 0),
      count: (m) => m.flat().length,
      max: (m) => Math.max(...m.flat()),
      min: (m) => Math.min(...m.map(mean)),
      first: (m) => mean(m[0]!),
      last: (m) => mean(m.at(-1)!),
      stddev: (m) => Math.sqrt(m.reduce((a, vs) => a + vs.length * (mean(vs) - mean(m.flat())) ** 2, 0) / m.flat().length),
      p50: (m) => weighted(m.map((vs) => ({ v: mean(vs), n: vs.length })), 50),
      p99: (m) => weighted(m.map((vs) => ({ v: mean(vs), n: vs.length })), 99),
      'p99.9': (m) => weighted(m.map((vs) => ({ v: mean(vs), n: vs.length })), 99.9),
      p10: (m) => weighted(m.map((vs) => ({ v: mean(vs), n: vs.length })), 10),
    };
    for (const [name, f] of Object.entries(expect)) {
      const r = await query({ metric_key: 'cpu.usage', entity_id: node, ...window, max_points: 5, aggregation: name.toUpperCase() });
      const series = r.result.series;
      assert.equal(series.length, 1, name);
      const sr = series[0];
      assert.equal(sr.downsampled, true);
      assert.equal(sr.downsample_algorithm, name);
      assert.equal(sr.interval_seconds, 120);
      assert.equal(sr.count, buckets.size);
      for (const p of sr.points) {
        const mins = buckets.get(Date.parse(p.time))!;
        assert.ok(Math.abs(p.value - f(mins)) < 1e-9, `${name} at ${p.time}: ${p.value} vs ${f(mins)}`);
        assert.equal(p.count, mins.flat().length);
      }
    }
    for (const alias of ['average', 'mean', 'algorithm']) {
      const params = alias === 'algorithm' ? { algorithm: 'std_dev' } : { aggregation: alias };
      const r = await query({ metric_keys: ['cpu.usage'], entity_ids: [node], ...window, max_points: 5, ...params });
      assert.equal(r.result.series[0].downsample_algorithm, alias === 'algorithm' ? 'stddev' : 'avg');
    }
  });

  it('the shape: result head, per-metric overrides, counters keep their last value, traffic sums', async () => {
    const r = await query({
      metrics: ['net.total.up', 'traffic.up'], metric_key: 'cpu.usage', entity_id: node, start_time: window.start, end_time: window.end,
      points_by_metric: { 'net.total.up': 10 }, aggregation_by_metric: { 'traffic.up': 'sum' }, aggregation: 'max',
    });
    const res = r.result;
    assert.deepEqual(Object.keys(res), ['start', 'end', 'server_downsample_default', 'default_points', 'count', 'series']);
    assert.deepEqual([res.start, res.end, res.default_points, res.count], [window.start, window.end, 500, 3]);
    assert.deepEqual(res.series.map((x: any) => x.metric_key), ['net.total.up', 'traffic.up', 'cpu.usage']);
    const total = res.series[0];
    assert.deepEqual([total.max_points, total.interval_seconds, total.type, total.unit], [10, 60, 'counter', 'bytes']);
    assert.equal(total.points[0].value, 1005, 'the newest total of minute 0 (samples 0–5)');
    const traffic = res.series[1];
    assert.equal(traffic.downsample_algorithm, 'sum');
    assert.equal(traffic.points.reduce((a: number, p: any) => a + p.value, 0), 59, 'every delta since the first sample (its own is 0), the gap included');
    assert.equal('tags' in res.series[2], false);
    assert.equal('fill_empty' in res.series[2], false);
  });

  it('fill_empty: a null at the start, after the gap; an entity without data gets start and end nulls', async () => {
    const r = await query({ metric_key: 'cpu.usage', entity_ids: [node, 'no-such-node'], start: iso(t0 - 120_000), end: window.end, max_points: 12, fill_empty: true });
    const [withData, empty] = r.result.series;
    assert.equal(withData.fill_empty, true);
    const nulls = withData.points.filter((p: any) => p.value === null).map((p: any) => p.time);
    assert.deepEqual(nulls, [iso(t0 - 120_000), iso(t0 + 4 * 60_000)]);
    assert.equal(withData.count, 8);
    assert.deepEqual(empty.points, [{ time: iso(t0 - 120_000), value: null }, { time: window.end, value: null }]);
    assert.equal(empty.count, 0);
    const plain = await query({ metric_key: 'cpu.usage', entity_id: 'no-such-node', ...window });
    assert.equal(plain.result.series[0].points, null);
  });

  it('hidden nodes never reach guests; admins see them; all visible nodes when none is named', async () => {
    const guestAll = await query({ metric_key: 'cpu.usage', ...window });
    assert.deepEqual(guestAll.result.series.map((x: any) => x.entity_id), [node]);
    const guestHidden = await query({ metric_key: 'cpu.usage', entity_id: hidden, ...window });
    assert.deepEqual([guestHidden.result.series, guestHidden.result.count], [[], 0]);
    const admin = await query({ metric_key: 'cpu.usage', ...window }, cookie);
    assert.deepEqual(admin.result.series.map((x: any) => x.entity_id), [node, hidden]);
    assert.equal(admin.result.series[1].points[0].value, 99);
    const stats = await rpc(s.url, 'public:getPingMetricStats', { entity_id: hidden, ...window });
    assert.deepEqual(stats.result, { start: window.start, end: window.end, stats: [], count: 0 });
  });

  it('ping series carry task_id tags; fill_empty turns −1 into null', async () => {
    const r = await query({ metric_keys: ['ping.latency_ms', 'ping.loss'], entity_id: node, ...window, max_points: 10, aggregation: 'min', fill_empty: true });
    const [lat, loss] = r.result.series;
    assert.deepEqual(lat.tags, { task_id: String(task) });
    assert.deepEqual(lat.points.slice(0, 2).map((p: any) => p.value), [null, null], 'min of both minutes is a loss (−1)');
    assert.deepEqual(loss.points.slice(0, 2).map((p: any) => [p.value, p.count]), [[0, 4], [0, 2]]);
    const avg = await query({ metric_key: 'ping.latency_ms', entity_id: node, ...window, max_points: 10, tags: { task_id: String(task) } });
    assert.deepEqual(avg.result.series[0].points.map((p: any) => p.value), [(10 + 20 - 1 + 30) / 4, (40 - 1) / 2]);
    const other = await query({ metric_key: 'ping.latency_ms', entity_id: node, ...window, tags: { task_id: '999' } });
    assert.equal(other.result.series[0].points, null);
  });

  it('getPingMetricStats: totals, loss, count-weighted figures', async () => {
    const r = await rpc(s.url, 'public:getPingMetricStats', { uuid: node, task_id: task, ...window, max_points: 10 });
    assert.deepEqual(r.result, {
      start: window.start, end: window.end, interval_seconds: 60, count: 1,
      stats: [{
        entity_id: node, task_id: String(task), name: 'probe', type: 'icmp', interval: 30, tags: { task_id: String(task) },
        total: 6, valid: 4, loss: (2 / 6) * 100, min: 10, max: 40, avg: 25, latest: 30, p50: 20, p99: 40,
        stddev: Math.sqrt((3 * 25 + 225) / 4), p99_p50_ratio: 1,
      }],
    });
    const none = await rpc(s.url, 'public:getPingMetricStats', { entity_ids: [node], task_ids: ['999'], ...window });
    assert.deepEqual(none.result.stats, []);
  });

  it("raw mode: a window inside the live view's recent minute answers exact samples", async () => {
    const { token } = await addNode(s, cookie, 'live');
    const uuid = (await http(s.url, '/api/admin/client/list', { cookie })).json.find((n: any) => n.name === 'live').uuid;
    const now = clock.now();
    for (const [i, cpu] of [[0, 5], [1, 7.5]] as const) {
      clock.set(now + i * 1000);
      const res = await http(s.url, `/api/clients/report?token=${token}`, { method: 'POST', body: sampleReport({ cpu: { usage: cpu } }) });
      assert.equal(res.status, 200, res.text);
    }
    const r = await query({ metric_key: 'cpu.usage', entity_id: uuid, start: iso(now - 10_000), end: iso(now + 2000) });
    const sr = r.result.series[0];
    assert.equal(sr.downsampled, false);
    assert.equal('interval_seconds' in sr || 'downsample_algorithm' in sr, false);
    assert.deepEqual(sr.points, [{ time: iso(now), value: 5, count: 1 }, { time: iso(now + 1000), value: 7.5, count: 1 }]);
    clock.set(now);
  });

  it("bad params are refused with the spec's errors", async () => {
    const cases: [unknown, string][] = [
      [{}, 'metric_keys is required'],
      [{ metric_keys: [' ', ''] }, 'metric_keys is required'],
      [{ metric_key: 'cpu.used' }, 'unknown metric key: cpu.used'],
      [{ metric_key: 'cpu.usage', start: window.end, end: window.start }, 'end must be after start'],
      [{ metric_key: 'cpu.usage', start: window.start, end: window.start }, 'end must be after start'],
      [{ metric_key: 'cpu.usage', max_points: -3 }, 'max points for cpu.usage must be a positive integer'],
      [{ metric_key: 'cpu.usage', max_points_by_metric: { 'cpu.usage': 0 } }, 'max points for cpu.usage must be a positive integer'],
      [{ metric_key: 'cpu.usage', max_points: 5001 }, 'max points for cpu.usage must be at most 5000'],
      [{ metric_key: 'cpu.usage', aggregation: 'median' }, 'Failed to query metrics: unsupported aggregation: median'],
      [{ metric_key: 'cpu.usage', aggregation: 'p101' }, 'Failed to query metrics: unsupported aggregation: p101'],
      [{ metric_key: 'cpu.usage', entity_id: node, ...window, aggregation: 'rate' }, 'Failed to query metrics: rate cannot be derived from rollup buckets'],
      [{ metric_key: 'cpu.usage', start: 'yesterday' }, 'invalid start: must be an RFC 3339 time with a zone'],
      [{ metric_keys: ['cpu.usage', 'swap.used', 'disk.used', 'load.average'] }, 'too many metric keys: at most 3'],
    ];
    for (const [params, message] of cases) {
      const r = await query(params);
      assert.deepEqual(r.error, { code: -32602, message }, JSON.stringify(params));
    }
    const big = await query({ metric_keys: ['cpu.usage', 'memory.used', 'swap.used'], ...window }, cookie);
    assert.deepEqual(big.error, { code: -32602, message: 'the answer would hold more than 40 points: ask for fewer nodes, metrics or max_points' });
    for (const params of [{ metric_keys: 'cpu.usage' }, { metric_key: 'cpu.usage', hours: 'x' }, { metric_key: 'cpu.usage', tags: { a: 1 } }]) {
      assert.equal((await query(params)).error?.code, -32602, JSON.stringify(params));
    }
  });

  it('private site: guests are refused; admin metric-definition methods answer clearly', async () => {
    const set = await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { private_site: true } });
    assert.equal(set.status, 200, set.text);
    try {
      // The private-site gate refuses a guest's /api/rpc2 call before dispatch, as for every public method.
      const guest = await http(s.url, '/api/rpc2', { method: 'POST', body: { jsonrpc: '2.0', method: 'public:queryMetrics', params: { metric_key: 'cpu.usage' }, id: 1 } });
      assert.deepEqual(guest.json, { status: 'error', message: 'Private site is enabled, please login first.' });
      assert.equal((await query({ metric_key: 'cpu.usage' }, cookie)).result.count, 3, 'every node, the hidden one too');
    } finally {
      await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { private_site: false } });
    }
    const same = await rpc(s.url, 'admin:updateMetricDefinition', { name: 'cpu.usage', retention_days: 1825 }, { cookie });
    assert.equal(same.result.retention_days, 1825);
    const change = await rpc(s.url, 'admin:updateMetricDefinition', { name: 'cpu.usage', retention_days: 7 }, { cookie });
    assert.equal(change.error?.code, -32602);
    assert.match(change.error!.message, /one retention for every metric .*history_retention/);
    assert.equal((await rpc(s.url, 'admin:updateMetricDefinition', { name: 'nope', retention_days: 1 }, { cookie })).error?.message, 'unknown metric key: nope');
    assert.equal((await rpc(s.url, 'admin:updateMetricDefinition', { name: 'cpu.usage', retention_days: -1 }, { cookie })).error?.code, -32602);
    const migration = await rpc(s.url, 'admin:getMetricMigrationStatus', undefined, { cookie });
    assert.deepEqual(migration.error, { code: -32050, message: 'komari-ts keeps history in its one database: there is no separate metric store to migrate' });
  });
});
