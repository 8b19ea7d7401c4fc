/**
 * Storage: the history engines (load and, optionally, ping) driven through a simulated month on
 * a manual clock, writing to a real SQLite file at the default retention, flushing and pruning
 * on the simulated schedule. Prints the file's size per node per day.
 *
 *   node bench/storage.ts                                          # 10 nodes, 31 days, a sample every 10 s
 *   node bench/storage.ts --sample-every 1 --flush-every 2         # the real cadence (slower)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Report } from '@komari-ts/protocol';
import type { FastifyBaseLogger } from 'fastify';
import { HistoryEngine } from '../packages/server/src/history/engine.ts';
import { PingHistory } from '../packages/server/src/ping/engine.ts';
import { SettingsService } from '../packages/server/src/services/settings-service.ts';
import { openSqliteStore } from '../packages/server/src/store/sqlite/open.ts';
import { readFlags } from './lib/args.ts';
import { SimHost } from './lib/report-gen.ts';
import { conditions, kib, table } from './lib/stats.ts';

const f = readFlags('storage benchmark: bytes on disk per node per day after a simulated month', {
  nodes: { default: 10, help: 'simulated nodes' },
  days: { default: 31, help: 'simulated days' },
  'sample-every': { default: 10, help: 'seconds between two reports of a node (the real agent: 1)' },
  'flush-every': { default: 60, help: 'seconds between two flushes (the server: 2)' },
  'ping-tasks': { default: 0, help: 'ping tasks per node (results kept in ping history)' },
  'ping-every': { default: 60, help: 'seconds between two results of a ping task' },
});

/** The test suite's ManualClock, in a line: the engines read time from it. */
const clock = { ms: Date.UTC(2026, 0, 1), now() { return this.ms; } };
const noop = () => {};
const silent = { level: 'silent', fatal: noop, error: noop, warn: noop, info: noop, debug: noop, trace: noop, silent: noop, child: () => silent } as unknown as FastifyBaseLogger;

/** Bytes on disk: the WAL checkpointed into the file first, through a second connection. */
function bytesOnDisk(path: string): number {
  const c = new DatabaseSync(path);
  c.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  c.close();
  const size = (p: string) => { try { return statSync(p).size; } catch { return 0; } };
  return size(path) + size(`${path}-wal`);
}

console.log(conditions());
const dir = mkdtempSync(join(tmpdir(), 'komari-bench-storage-'));
const db = join(dir, 'komari.db');
const store = openSqliteStore(db);
try {
  const settings = await SettingsService.load(store.settings);
  const load = new HistoryEngine({ store, clock, settings, log: silent });
  const ping = new PingHistory({ store: store.ping.history, clock, tiers: load.tiers, log: silent });
  const hosts = Array.from({ length: f.nodes }, (_, i) => ({ uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, host: new SimHost(i) }));
  const empty = bytesOnDisk(db);
  const daily: number[] = [];
  const t0 = performance.now();
  const start = clock.ms;
  for (let sec = 1; sec <= f.days * 86_400; sec++) {
    clock.ms = start + sec * 1000;
    hosts.forEach(({ uuid, host }, i) => {
      if ((sec + i) % f['sample-every'] === 0) load.record(uuid, host.next(f['sample-every'], '') as unknown as Report, clock.ms);
      if ((sec + i) % f['ping-every'] === 0) for (let t = 1; t <= f['ping-tasks']; t++) ping.record(t, uuid, 10 + (i % 40), clock.ms);
    });
    if (sec % f['flush-every'] === 0) await Promise.all([load.flush(), ping.flush()]);
    if (sec % 3600 === 0) await Promise.all([load.prune(), ping.prune()]);
    if (sec % 86_400 === 0) daily.push(bytesOnDisk(db) - empty);
  }
  await Promise.all([load.flush(), ping.flush()]);
  const seconds = (performance.now() - t0) / 1000;
  const reader = new DatabaseSync(db, { readOnly: true });
  const rows = reader.prepare('SELECT width, count(*) AS n FROM history_buckets GROUP BY width ORDER BY width').all();
  const pingRows = Number(reader.prepare('SELECT count(*) AS n FROM ping_buckets').get()!.n);
  // pages per table (with their indexes): SQLite's dbstat virtual table
  const pages = new Map(reader.prepare('SELECT name, sum(pgsize) AS b FROM dbstat GROUP BY name').all().map((r) => [String(r.name), Number(r.b)]));
  reader.close();
  const loadBytes = pages.get('history_buckets') ?? 0;
  const pingBytes = (pages.get('ping_buckets') ?? 0) + (pages.get('ping_series') ?? 0);
  const total = daily.at(-1)!;
  const week = daily.length > 7 ? (total - daily.at(-8)!) / 7 : NaN;
  const historyRows = rows.reduce((a, r) => a + Number(r.n), 0);
  const perRow = loadBytes / historyRows;
  // a year at the default tiers: 1440 minute + 2016 five-minute + 2160 hourly + 365 daily rows
  const year = perRow * (1440 + 2016 + 2160 + 365);
  console.log(`\nstorage: ${f.nodes} nodes × ${f.days} simulated days, a report every ${f['sample-every']} s, flush every ${f['flush-every']} s, ${f['ping-tasks']} ping task(s); ${seconds.toFixed(0)} s to simulate`);
  table([
    ['figure', 'value', 'budget'],
    [`on disk after ${f.days} days, per node`, kib(total / f.nodes), ''],
    ['per node per day (month average)', kib(total / f.nodes / f.days), '< 200 KB'],
    ['per node per day (growth over the last 7 days)', Number.isFinite(week) ? kib(week / f.nodes) : '(needs 8+ days)', '< 200 KB'],
    ['  of which load history / ping history, per node', `${kib(loadBytes / f.nodes)} / ${kib(pingBytes / f.nodes)}`, ''],
    ['load rows per node by tier width (s)', rows.map((r) => `${r.width}: ${Math.round(Number(r.n) / f.nodes)}`).join(', '), ''],
    ['ping rows per node', String(Math.round(pingRows / f.nodes)), ''],
    ['bytes per load row (table pages / rows)', perRow.toFixed(0), ''],
    ['load history per node after a year (estimate)', kib(year), ''],
  ]);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
