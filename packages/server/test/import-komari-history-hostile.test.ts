import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { generateKomariDbs, komariMainSchema, komariMetricSchema } from '../../../bench/lib/komari-db-generator.ts';
import { importKomariHistory } from '../src/import/komari/history/import-history.ts';
import { ImportReportBuilder } from '../src/import/komari/report.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/types.ts';
import { float32 } from '../src/util/float32.ts';
import { formatTime } from '../src/util/time.ts';
import { ManualClock } from './helpers/clock.ts';
import { importedNode } from './helpers/komari-history.ts';
import { http, startTestServer, type TestServer } from './helpers/server.ts';

// Komari databases written by the test: a metric store full of damaged rows, Komari ≤ 1.2.5's
// legacy history tables, and a generated store with all four of Komari's resolutions. Each is
// imported into a fresh store and read back through a real server's /api/records.

const node = 'aaaaaaaa-0000-4000-8000-000000000001';
const other = 'bbbbbbbb-0000-4000-8000-000000000002';
const now = Date.UTC(2026, 11, 7, 12, 0);
const minute = 60_000;
const t0 = now - 30 * minute;

type Report = ReturnType<ImportReportBuilder['finish']>;

async function withStore<T>(path: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = openSqliteStore(path);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Creates node + a ping task in a new store, imports, returns the report and our task id. */
async function importInto(data: string, komariDb: string, metricsDb: string | undefined, komariTask: number): Promise<{ report: Report; task: number }> {
  return withStore(join(data, 'komari.db'), async (store) => {
    await store.nodes.create(importedNode(node, 'n1'));
    const task = await store.ping.tasks.create({ name: 'p', clients: [node], defaultOn: false, type: 'icmp', target: 'x', interval: 60 });
    const builder = new ImportReportBuilder({ kind: 'komari', schema: 'test' }, 'fresh', () => now);
    const db = new DatabaseSync(komariDb);
    try {
      await importKomariHistory({ komariDb: db, metricsDb, clientUuids: new Set([node]), pingTaskIds: new Map([[komariTask, task]]), now, batchRows: 3 }, store, builder);
    } finally {
      db.close();
    }
    return { report: builder.finish(), task };
  });
}

const reasons = (r: Report) => r.skipped.map((x) => `${x.kind}: ${x.reason}`);

describe('import Komari history: damaged metric store rows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-history-hostile-'));
  let s: TestServer;
  let cookie: string;
  let report: Report;

  before(async () => {
    const metrics = join(dir, 'metrics.db');
    const m = new DatabaseSync(metrics);
    m.exec('PRAGMA foreign_keys = OFF'); // the rows below break Komari's references on purpose
    m.exec(komariMetricSchema);
    m.exec(`INSERT INTO metric_resolutions (id, resolution_milli) VALUES (1, 60000), (2, 300000);
      INSERT INTO metric_label_sets (id, labels_hash, labels) VALUES (1, 'e', '{}'), (2, 'f', '{"x":"y"}')`);
    const series = m.prepare('INSERT INTO metric_series (id, metric_name, entity_id, tags_hash, tags) VALUES (?, ?, ?, ?, ?)');
    for (const [id, metric, entity, tags] of [
      [1, 'cpu.usage', node, '{}'], [2, 'memory.used', node, '{}'], [3, 'foo.bar', node, '{}'], [4, 'cpu.usage', other, '{}'],
      [5, 'ping.latency_ms', node, '{"task_id":"1"}'], [6, 'ping.loss', node, '{"task_id":"1"}'], [7, 'ping.latency_ms', node, '{"task_id":"99"}'],
      [8, 'gpu.device.usage', node, '{"device_index":"0"}'], [9, 'disk.used', node, 'not json'],
    ] as const) series.run(id, metric, entity, `h${id}`, tags);
    const rollup = m.prepare(`INSERT INTO metric_rollups (series_id, resolution_id, label_id, bucket_milli, count, sum, sum_sq, min_val, max_val,
      first_val, first_ts_milli, last_val, last_ts_milli, digest, created_at_milli) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, NULL, 0)`);
    const row = (series: number, bucket: number | string, count: number | string, sum: number | string, min: number, max: number, last: number, res = 1, label = 1) =>
      rollup.run(series, res, label, bucket, count, sum, min, max, min, bucket, last, typeof bucket === 'number' ? bucket + 1000 : 0);
    row(1, t0, 20, 400, 10, 30, 25); // the good cpu row
    row(2, t0, 20, 20e9, 0.9e9, 1.1e9, 1e9); // the good memory row
    row(1, t0 + minute, 20, 'NaN', 10, 30, 25); // NaN, as text
    row(1, t0 + 2 * minute, 20, '12.5abc', 10, 30, 25); // a string in a numeric column
    row(1, 0, 20, 400, 10, 30, 25); // 1970
    row(1, now + 60 * minute, 20, 400, 10, 30, 25); // the future
    row(1, t0 + 3 * minute + 1234, 20, 400, 10, 30, 25); // not on a minute
    row(1, 'yesterday', 20, 400, 10, 30, 25); // a time that is text
    row(1, t0 + 4 * minute, 20, 4000, 100, 150, 120); // cpu over 100 %
    row(1, t0 + 5 * minute, 0, 0, 10, 30, 25); // no samples
    row(1, t0 + 6 * minute, 20, 2000, 10, 30, 25); // average above the max
    row(1, t0 + 7 * minute, 20, 400, 10, 30, 25, 9); // unknown resolution
    row(1, t0, 20, 999, 10, 60, 25, 1, 2); // the same bucket again under another label set
    row(3, t0, 20, 400, 10, 30, 25); // unknown metric
    row(4, t0, 20, 400, 10, 30, 25); // a client that was not imported
    row(5, t0, 3, 39, -1, 21, 20); // ping: 3 probes, one lost (−1), 20 + 20
    row(6, t0, 3, 1, 0, 1, 0);
    row(7, t0, 1, 5, 5, 5, 5); // a task that was not imported
    row(8, t0, 1, 5, 5, 5, 5); // per-device GPU
    row(9, t0, 1, 5, 5, 5, 5); // unreadable tags
    row(99, t0, 1, 5, 5, 5, 5); // no such series
    m.close();
    const komari = join(dir, 'komari-main.db');
    new DatabaseSync(komari).exec(komariMainSchema);
    report = (await importInto(join(dir, 'data'), komari, metrics, 1)).report;
    s = await startTestServer({ dir: join(dir, 'data'), clock: new ManualClock(now) });
    cookie = await s.login();
  });

  after(async () => {
    await s?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the good rows only, with their values', async () => {
    const res = await http(s.url, `/api/records/load?uuid=${node}&hours=4`, { cookie });
    const records = res.json.data.records as Record<string, unknown>[];
    assert.deepEqual(records.map((r) => r.time), [formatTime(t0)]);
    assert.equal(records[0]!.cpu, float32(20));
    assert.equal(records[0]!.ram, 1e9);
    const ping = await http(s.url, `/api/records/ping?uuid=${node}&hours=4`, { cookie });
    assert.deepEqual(ping.json.data.records.map((r: { value: number }) => r.value), [20]);
    // exact loss from the loss series: one probe of three
    assert.ok(Math.abs(ping.json.data.basic_info[0].loss - 100 / 3) < 1e-9);
    assert.equal(ping.json.data.basic_info[0].min, 20);
  });

  it('says why it skipped each of the others', () => {
    const got = reasons(report);
    for (const want of [
      'loadPoints: value not a number', 'loadPoints: time before 2000', 'loadPoints: time in the future',
      'loadPoints: time not aligned to its resolution', 'loadPoints: time not a number', 'loadPoints: value out of range',
      'loadPoints: sample count out of range', 'loadPoints: inconsistent summary', 'loadPoints: unknown resolution',
      'loadPoints: duplicate rollup row', 'loadSeries: unknown metric', 'loadSeries: series of a client that was not imported',
      'pingSeries: ping task that was not imported', 'loadSeries: per-device GPU metric (komari-ts keeps the GPU average)',
      'loadSeries: unreadable tags', 'loadPoints: 1 rollup rows of no series',
    ]) assert.ok(got.includes(want), `missing "${want}" in ${JSON.stringify(got)}`);
    assert.equal(got.filter((x) => x === 'loadPoints: value not a number').length, 2);
  });
});

describe('import Komari history: legacy tables of Komari ≤ 1.2.5', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-history-legacy-'));
  let s: TestServer;
  let cookie: string;
  let report: Report;
  const gormTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '+00:00');
  const longTermAt = Date.UTC(2026, 11, 4, 10, 15);

  before(async () => {
    const komari = join(dir, 'komari-main.db');
    const db = new DatabaseSync(komari);
    db.exec(komariMainSchema);
    const cols = 'client varchar(36), time datetime, cpu decimal(5,2), gpu decimal(5,2), ram bigint, ram_total bigint, swap bigint, swap_total bigint, load decimal(5,2), temp decimal(5,2), disk bigint, disk_total bigint, net_in bigint, net_out bigint, net_total_up bigint, net_total_down bigint, traffic_up bigint, traffic_down bigint, process int, connections int, connections_udp int';
    db.exec(`CREATE TABLE records (${cols}); CREATE TABLE records_long_term (${cols});
      CREATE TABLE ping_records (client varchar(36), task_id integer, time datetime, value integer)`);
    const rec = (table: string, client: string, time: unknown, cpu: unknown, up: number) =>
      db.prepare(`INSERT INTO ${table} (client, time, cpu, gpu, ram, ram_total, swap, swap_total, load, temp, disk, disk_total, net_in, net_out,
        net_total_up, net_total_down, traffic_up, traffic_down, process, connections, connections_udp)
        VALUES (?, ?, ?, 0, 1000, 4000, 0, 0, 0.5, 0, 50, 100, 10, 20, ?, 7, 100, 200, 90, 30, 3)`).run(client, time as string, cpu as number, up);
    rec('records', node, gormTime(t0), 10, 1000);
    rec('records', node, gormTime(t0 + minute), 20, 1100);
    rec('records', node, gormTime(t0 + 2 * minute), 'abc', 1200); // a string for cpu
    rec('records', node, 'garbage', 10, 1300); // an unreadable time
    rec('records', node, gormTime(Date.UTC(1970, 0, 1)), 10, 1300);
    rec('records', other, gormTime(t0), 10, 1000); // a client that was not imported
    rec('records_long_term', node, gormTime(longTermAt), 30, 500);
    rec('records_long_term', node, gormTime(longTermAt + 15 * minute), 50, 600);
    const ping = db.prepare('INSERT INTO ping_records (client, task_id, time, value) VALUES (?, ?, ?, ?)');
    ping.run(node, 3, gormTime(t0 + 10_000), 20);
    ping.run(node, 3, gormTime(t0 + 40_000), -1);
    ping.run(node, 4, gormTime(t0), 5); // a task that was not imported
    db.close();
    report = (await importInto(join(dir, 'data'), komari, undefined, 3)).report;
    s = await startTestServer({ dir: join(dir, 'data'), clock: new ManualClock(now) });
    cookie = await s.login();
  });

  after(async () => {
    await s?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads records as minutes and records_long_term as 15-minute rows, in every tier they fit', async () => {
    const recent = (await http(s.url, `/api/records/load?uuid=${node}&hours=1`, { cookie })).json.data.records as Record<string, number | string>[];
    assert.deepEqual(recent.map((r) => [r.time, r.cpu, r.net_total_up, r.traffic_up, r.ram_total]), [
      [formatTime(t0), 10, 1000, 100, 4000],
      [formatTime(t0 + minute), 20, 1100, 100, 4000],
    ]);
    // a month reads the hourly tier: the two long-term rows share an hour, the two minutes another
    const month = (await http(s.url, `/api/records/load?uuid=${node}&hours=720`, { cookie })).json.data.records as Record<string, number | string>[];
    assert.deepEqual(month.map((r) => [r.time, r.cpu, r.traffic_up]), [
      [formatTime(Date.UTC(2026, 11, 4, 10)), 40, 200],
      [formatTime(Date.UTC(2026, 11, 7, 11)), 15, 200],
    ]);
  });

  it('reads ping_records as single results', async () => {
    const res = await http(s.url, `/api/records/ping?uuid=${node}&hours=1`, { cookie });
    assert.deepEqual(res.json.data.records.map((r: { time: string; value: number }) => [r.time, r.value]), [[formatTime(t0), -1]]);
    assert.equal(res.json.data.basic_info[0].loss, 50);
  });

  it('skips the damaged rows and the clients and tasks that were not imported, with reasons', () => {
    const got = reasons(report);
    for (const want of [
      'loadPoints: legacy record: value not a number', 'loadPoints: legacy record: time not a number',
      'loadPoints: legacy record: time before 2000', 'loadSeries: legacy records of a client that was not imported',
      'pingSeries: legacy ping records of a ping task that was not imported',
    ]) assert.ok(got.includes(want), `missing "${want}" in ${JSON.stringify(got)}`);
    assert.equal(report.imported.loadSeries, 1);
    assert.equal(report.imported.pingSeries, 1);
  });
});

describe('import Komari history: a generated store with all four resolutions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-history-gen-'));
  let s: TestServer;
  let cookie: string;
  let uuid: string;
  let metricsDb: string;

  before(async () => {
    const g = generateKomariDbs({ dir, nodes: 2, days: 30, pingTasks: 1, now });
    uuid = g.uuids[0]!;
    metricsDb = g.metricsDb;
    await withStore(join(dir, 'data', 'komari.db'), async (store) => {
      for (const u of g.uuids) await store.nodes.create(importedNode(u, u));
      const task = await store.ping.tasks.create({ name: 'p', clients: g.uuids, defaultOn: false, type: 'icmp', target: 'x', interval: 60 });
      const db = new DatabaseSync(g.komariDb);
      const builder = new ImportReportBuilder({ kind: 'komari', schema: '1.4.3' }, 'fresh', () => now);
      await importKomariHistory({ komariDb: db, metricsDb: g.metricsDb, clientUuids: new Set(g.uuids), pingTaskIds: new Map([[g.pingTaskIds[0]!, task]]), now }, store, builder);
      db.close();
      assert.equal(builder.finish().skippedTotal, 0);
    });
    s = await startTestServer({ dir: join(dir, 'data'), clock: new ManualClock(now) });
    cookie = await s.login();
  });

  after(async () => {
    await s?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes as far back as Komari kept it: a month of hourly rows, the last 10 hours by the minute', async () => {
    const m = new DatabaseSync(metricsDb, { readOnly: true });
    const komariRows = (res: number) => m.prepare(`SELECT r.bucket_milli AS bucket, r.sum, r.count FROM metric_rollups r JOIN metric_series s ON s.id = r.series_id
      JOIN metric_resolutions x ON x.id = r.resolution_id WHERE s.entity_id = ? AND s.metric_name = 'cpu.usage' AND x.resolution_milli = ? ORDER BY r.bucket_milli`).all(uuid, res) as { bucket: number; sum: number; count: number }[];
    const minutes = komariRows(60_000);
    const fiveMinutes = komariRows(300_000);
    const hours = komariRows(3_600_000);
    const days = komariRows(86_400_000);
    m.close();
    const day = (await http(s.url, `/api/records/load?uuid=${uuid}&hours=10`, { cookie })).json.data.records as Record<string, number | string>[];
    assert.equal(day.length, minutes.length);
    assert.deepEqual(day.map((r) => r.cpu), minutes.map((r) => float32(r.sum / r.count)));
    const month = (await http(s.url, `/api/records/load?uuid=${uuid}&hours=720`, { cookie })).json.data.records as Record<string, number | string>[];
    // Komari's hourly rows reach 25 days back; its daily rows the 5 days before: our hourly tier has the hours
    assert.equal(month[0]!.time, formatTime(hours[0]!.bucket));
    const byTime = new Map(month.map((r) => [r.time, r.cpu]));
    // where Komari also kept 5-minute rows (the last 50 hours) an hour is built from them, as complete
    const onlyHourly = hours.filter((h) => h.bucket < fiveMinutes[0]!.bucket);
    assert.ok(onlyHourly.length > 500);
    for (const h of onlyHourly) assert.equal(byTime.get(formatTime(h.bucket)), float32(h.sum / h.count), formatTime(h.bucket));
    assert.equal(month.length, hours.length + (hours.at(-1)!.bucket < Math.floor(now / 3_600_000) * 3_600_000 ? 1 : 0));
    // and the daily tier keeps the whole month: Komari's sealed days, and today from its finer rows
    const year = (await http(s.url, `/api/records/load?uuid=${uuid}&hours=${24 * 365}`, { cookie })).json.data.records as Record<string, number | string>[];
    assert.deepEqual(year.map((r) => r.time), [...days.map((d) => formatTime(d.bucket)), formatTime(Date.UTC(2026, 11, 7))]);
    const onlyDaily = days.filter((d) => d.bucket + 86_400_000 <= hours[0]!.bucket);
    assert.ok(onlyDaily.length >= 4);
    assert.deepEqual(year.slice(0, onlyDaily.length).map((r) => r.cpu), onlyDaily.map((d) => float32(d.sum / d.count)));
  });
});
