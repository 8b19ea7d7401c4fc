import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { importKomariHistory } from '../src/import/komari/history/import-history.ts';
import { ImportReportBuilder } from '../src/import/komari/report.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { float32 } from '../src/util/float32.ts';
import { formatTime } from '../src/util/time.ts';
import { ManualClock } from './helpers/clock.ts';
import { extractSharedFixture } from './helpers/komari-fixture.ts';
import { importedNode } from './helpers/komari-history.ts';
import { http, startTestServer, type TestServer } from './helpers/server.ts';

// The shared Komari 1.4.3 backup's metric store imported into a fresh store, then read back
// through the real /api/records/load and /api/records/ping of a server started on that file,
// every value compared with what metrics.db holds.

const tokyo = '1e69c77c-f2fb-409a-983b-9161ee0f77d1';
const frankfurt = '2641eeb5-0875-4f74-b37e-ce562b0dfef5';
const idle = '87870a7e-90ab-475e-8494-68789bdf8949';
/** half an hour after the fixture's last sample: inside the 1-minute tier's 24 hours */
const now = Date.UTC(2026, 11, 7, 1, 30);

interface KRow {
  metric: string;
  entity: string;
  tags: string;
  bucket: number;
  count: number;
  sum: number;
  max: number;
  last: number;
}

describe('import Komari history: the shared 1.4.3 fixture', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-history-'));
  const src = join(dir, 'komari');
  const data = join(dir, 'data');
  let rows: KRow[];
  let taskIds: Map<number, number>;
  let s: TestServer;
  let cookie: string;
  const reports: ReturnType<ImportReportBuilder['finish']>[] = [];

  async function importOnce(clients: string[]): Promise<void> {
    const store = openSqliteStore(join(data, 'komari.db'));
    const komariDb = new DatabaseSync(join(src, 'komari.db'), { readOnly: true });
    try {
      const report = new ImportReportBuilder({ kind: 'komari', schema: '1.4.3' }, 'fresh', () => now);
      await importKomariHistory({ komariDb, metricsDb: join(src, 'metrics.db'), clientUuids: new Set(clients), pingTaskIds: taskIds, now }, store, report);
      reports.push(report.finish());
    } finally {
      komariDb.close();
      await store.close();
    }
  }

  before(async () => {
    await extractSharedFixture(src);
    const m = new DatabaseSync(join(src, 'metrics.db'), { readOnly: true });
    rows = m.prepare(`SELECT s.metric_name AS metric, s.entity_id AS entity, s.tags, r.bucket_milli AS bucket, r.count, r.sum, r.max_val AS max, r.last_val AS last
      FROM metric_rollups r JOIN metric_series s ON s.id = r.series_id ORDER BY r.bucket_milli`).all() as unknown as KRow[];
    m.close();
    // what the client import does first: the nodes and ping tasks exist in our store
    const store = openSqliteStore(join(data, 'komari.db'));
    await store.nodes.create(importedNode(tokyo, 'shared-tokyo-01'));
    await store.nodes.create(importedNode(frankfurt, 'shared-frankfurt-02', true));
    await store.nodes.create(importedNode(idle, 'shared-idle-03'));
    taskIds = new Map();
    for (const [k, name] of [[1, 'tcp-self-shared'], [2, 'http-self-shared']] as const) {
      // numbered apart from Komari's ids, so a wrong mapping would show
      await store.ping.tasks.create({ name: 'placeholder', clients: [], defaultOn: false, type: 'icmp', target: 'x', interval: 60 });
      taskIds.set(k, await store.ping.tasks.create({ name, clients: [tokyo, frankfurt], defaultOn: false, type: 'tcp', target: '127.0.0.1:1', interval: 5 }));
    }
    await store.close();
    await importOnce([tokyo, frankfurt, idle]);
    s = await startTestServer({ dir: data, clock: new ManualClock(now) });
    cookie = await s.login();
  });

  after(async () => {
    await s?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const of = (entity: string, metric: string, bucket?: number) =>
    rows.filter((r) => r.entity === entity && r.metric === metric && (bucket === undefined || r.bucket === bucket));
  const one = (entity: string, metric: string, bucket: number) => of(entity, metric, bucket)[0]!;
  const avgOver = (list: KRow[]) => list.reduce((a, r) => a + r.sum, 0) / list.reduce((a, r) => a + r.count, 0);

  async function load(uuid: string, hours: number) {
    const res = await http(s.url, `/api/records/load?uuid=${uuid}&hours=${hours}`, { cookie });
    assert.equal(res.status, 200, res.text);
    return res.json.data.records as Record<string, number | string>[];
  }

  it('brings every 1-minute bucket of both reporting nodes, each field as Komari stored it', async () => {
    for (const uuid of [tokyo, frankfurt]) {
      const buckets = [...new Set(of(uuid, 'cpu.usage').map((r) => r.bucket))];
      const records = await load(uuid, 4);
      assert.deepEqual(records.map((r) => r.time), buckets.map(formatTime));
      for (const [i, b] of buckets.entries()) {
        const rec = records[i]!;
        const avg = (metric: string) => one(uuid, metric, b).sum / one(uuid, metric, b).count;
        assert.equal(rec.cpu, float32(avg('cpu.usage')));
        assert.equal(rec.load, float32(avg('load.average')));
        assert.equal(rec.ram, Math.trunc(avg('memory.used')));
        assert.equal(rec.disk, Math.trunc(avg('disk.used')));
        assert.equal(rec.process, Math.trunc(avg('process.count')));
        assert.equal(rec.connections, Math.trunc(avg('connections.tcp')));
        assert.equal(rec.net_total_up, one(uuid, 'net.total.up', b).last);
        assert.equal(rec.net_total_down, one(uuid, 'net.total.down', b).last);
        assert.equal(rec.traffic_up, one(uuid, 'traffic.up', b).sum);
        assert.equal(rec.client, uuid);
      }
    }
  });

  it('fills the coarse tiers from the minutes: 5-minute, hourly and daily reads average every sample', async () => {
    for (const hours of [72, 720, 24 * 365]) {
      const records = await load(tokyo, hours);
      assert.equal(records.length, 1, `${hours} h`);
      assert.equal(records[0]!.cpu, float32(avgOver(of(tokyo, 'cpu.usage'))));
      assert.equal(records[0]!.ram, Math.trunc(avgOver(of(tokyo, 'memory.used'))));
      const lastTotal = of(tokyo, 'net.total.up').at(-1)!;
      assert.equal(records[0]!.net_total_up, lastTotal.last);
    }
  });

  it('brings ping results per task under our task ids: the last value of each bucket, at its start', async () => {
    const res = await http(s.url, `/api/records/ping?uuid=${tokyo}&hours=4`, { cookie });
    assert.equal(res.status, 200, res.text);
    const got = (res.json.data.records as { task_id: number; time: string; value: number }[]).map((r) => `${r.task_id} ${r.time} ${r.value}`).sort();
    const want = of(tokyo, 'ping.latency_ms')
      .map((r) => `${taskIds.get(Number(JSON.parse(r.tags).task_id))} ${formatTime(r.bucket)} ${r.last}`)
      .sort();
    assert.ok(want.length > 0);
    assert.deepEqual(got, want);
    const tasks = res.json.data.tasks as { id: number; total: number; loss: number }[];
    assert.deepEqual(tasks.map((t) => t.id).sort(), [...taskIds.values()].sort());
    for (const t of tasks) assert.equal(t.loss, 0);
  });

  it('counts what it brought: every node and series, a row per bucket of each tier', () => {
    const r = reports[0]!;
    assert.equal(r.imported.loadSeries, 2);
    assert.equal(r.imported.pingSeries, 3);
    const rowsPerTier = (list: KRow[]) =>
      [60_000, 300_000, 3_600_000, 86_400_000].reduce((n, w) => n + new Set(list.map((x) => Math.floor(x.bucket / w))).size, 0);
    assert.equal(r.imported.loadPoints, rowsPerTier(of(tokyo, 'cpu.usage')) + rowsPerTier(of(frankfurt, 'cpu.usage')));
    const pingSeries = [...new Set(rows.filter((x) => x.metric === 'ping.latency_ms').map((x) => `${x.entity} ${x.tags}`))];
    const pingRows = pingSeries.reduce((n, key) => n + rowsPerTier(rows.filter((x) => x.metric === 'ping.latency_ms' && `${x.entity} ${x.tags}` === key)), 0);
    assert.equal(r.imported.pingPoints, pingRows);
    assert.equal(r.skippedTotal, 0, JSON.stringify(r.skipped));
  });

  it('is idempotent: a second import adds no row and changes no answer', async () => {
    const before1 = (await load(tokyo, 4)).length;
    const before720 = await load(tokyo, 720);
    await importOnce([tokyo, frankfurt, idle]);
    const again = reports.at(-1)!;
    assert.equal(again.imported.loadPoints, undefined);
    assert.equal(again.imported.pingPoints, undefined);
    assert.equal((await load(tokyo, 4)).length, before1);
    assert.deepEqual(await load(tokyo, 720), before720);
  });

  it('skips the series of a client that was not imported, saying so', async () => {
    await importOnce([tokyo]);
    const r = reports.at(-1)!;
    assert.ok(r.skipped.some((x) => x.kind === 'loadSeries' && x.id === frankfurt && x.reason === 'series of a client that was not imported'), JSON.stringify(r.skipped));
  });
});
