/**
 * A Komari-shaped data folder for import tests and the import benchmark: komari.db (clients,
 * ping tasks, configs with Komari 1.4.3's own DDL) and metrics.db (its metric store: the 21
 * definitions, one series per metric and client and per ping task, the four resolutions and
 * rollup rows), N nodes with D days of history.
 *
 * The rows are the tier layout Komari itself holds after its retention ladder (records.md §5.2)
 * with `retention_days` = D and the store-wide defaults: 1-minute rows for the last 10 hours,
 * 5-minute rows for 50 hours, hourly rows for min(600 hours, D days), daily rows for D days (a
 * tier is left out when it would keep no longer than the one before, as Komari drops it).
 * Coarse rows are sealed 10 minutes after their end, as Komari seals them. Rows are written in
 * time order across all series, as a running Komari writes them, so the file's layout is a real
 * one's; written in transactions of 20,000 rows, nothing but the node list is held.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Summary } from '../../packages/server/src/import/komari/history/summary.ts';
import { rng } from './report-gen.ts';

/** Komari 1.4.3's metric store DDL, as sqlite_master holds it in the shared fixture's metrics.db. */
export const komariMetricSchema = `
CREATE TABLE metric_definitions (
  name VARCHAR(191) PRIMARY KEY, type VARCHAR(32) NOT NULL,
  unit VARCHAR(64) NOT NULL DEFAULT '', description TEXT NOT NULL,
  retention_days INTEGER NOT NULL DEFAULT 0, metadata TEXT NOT NULL,
  created_at_milli BIGINT NOT NULL, updated_at_milli BIGINT NOT NULL
);
CREATE TABLE metric_label_sets (
  id INTEGER PRIMARY KEY AUTOINCREMENT, labels_hash VARCHAR(64) NOT NULL, labels TEXT NOT NULL,
  UNIQUE(labels_hash)
);
CREATE TABLE metric_series (
  id INTEGER PRIMARY KEY AUTOINCREMENT, metric_name VARCHAR(191) NOT NULL, entity_id VARCHAR(191) NOT NULL,
  tags_hash VARCHAR(64) NOT NULL, tags TEXT NOT NULL,
  UNIQUE(metric_name, entity_id, tags_hash),
  FOREIGN KEY (metric_name) REFERENCES metric_definitions(name) ON DELETE CASCADE
);
CREATE TABLE metric_resolutions (
  id INTEGER PRIMARY KEY AUTOINCREMENT, resolution_milli BIGINT NOT NULL, UNIQUE(resolution_milli)
);
CREATE TABLE metric_rollups (
  series_id BIGINT NOT NULL, resolution_id BIGINT NOT NULL, label_id BIGINT NOT NULL, bucket_milli BIGINT NOT NULL,
  count BIGINT NOT NULL, sum DOUBLE PRECISION NOT NULL, sum_sq DOUBLE PRECISION NOT NULL,
  min_val DOUBLE PRECISION NOT NULL, max_val DOUBLE PRECISION NOT NULL,
  first_val DOUBLE PRECISION NOT NULL, first_ts_milli BIGINT NOT NULL,
  last_val DOUBLE PRECISION NOT NULL, last_ts_milli BIGINT NOT NULL,
  digest BLOB, created_at_milli BIGINT NOT NULL,
  UNIQUE(series_id, resolution_id, label_id, bucket_milli),
  FOREIGN KEY (series_id) REFERENCES metric_series(id) ON DELETE CASCADE,
  FOREIGN KEY (resolution_id) REFERENCES metric_resolutions(id) ON DELETE CASCADE,
  FOREIGN KEY (label_id) REFERENCES metric_label_sets(id) ON DELETE CASCADE
);
CREATE TABLE metric_store_state (
  state_key VARCHAR(64) PRIMARY KEY, phase VARCHAR(32) NOT NULL,
  upper_rowid BIGINT NOT NULL, cursor_rowid BIGINT NOT NULL,
  updated_at_milli BIGINT NOT NULL
);
CREATE INDEX metric_series_metric_entity_idx ON metric_series (metric_name, entity_id);
CREATE INDEX metric_rollups_resolution_bucket_idx ON metric_rollups (resolution_id, bucket_milli);
`;

/** The komari.db tables the history import reads, in GORM's DDL from the shared fixture. */
export const komariMainSchema = `
CREATE TABLE \`configs\` (\`key\` text,\`value\` text,PRIMARY KEY (\`key\`));
CREATE TABLE \`clients\` (\`uuid\` varchar(36),\`token\` varchar(255) NOT NULL,\`name\` varchar(100),\`cpu_name\` varchar(100),\`virtualization\` varchar(50),\`arch\` varchar(50),\`cpu_cores\` integer,\`cpu_physical_cores\` integer,\`os\` varchar(100),\`kernel_version\` varchar(100),\`gpu_name\` varchar(100),\`ipv4\` varchar(100),\`ipv6\` varchar(100),\`region\` varchar(100),\`remark\` longtext,\`public_remark\` longtext,\`mem_total\` bigint,\`swap_total\` bigint,\`disk_total\` bigint,\`version\` varchar(100),\`weight\` integer,\`price\` real,\`billing_cycle\` integer,\`auto_renewal\` numeric DEFAULT false,\`currency\` varchar(20) DEFAULT "$",\`expired_at\` timestamp,\`group\` varchar(100),\`tags\` text,\`hidden\` numeric DEFAULT false,\`traffic_limit\` bigint,\`traffic_limit_type\` varchar(10) DEFAULT "max",\`created_at\` datetime,\`updated_at\` datetime,PRIMARY KEY (\`uuid\`),CONSTRAINT \`uni_clients_token\` UNIQUE (\`token\`));
CREATE TABLE \`ping_tasks\` (\`id\` integer PRIMARY KEY AUTOINCREMENT,\`weight\` integer NOT NULL DEFAULT 0,\`name\` varchar(255) NOT NULL,\`clients\` longtext,\`all_clients\` numeric NOT NULL DEFAULT false,\`type\` varchar(12) NOT NULL DEFAULT "icmp",\`target\` varchar(255) NOT NULL,\`interval\` integer NOT NULL DEFAULT 60);
`;

/** The 21 definitions Komari creates at start (records.md §3.5): name, type, unit. */
export const komariMetricDefinitions: readonly (readonly [string, string, string])[] = [
  ['cpu.usage', 'gauge', '%'], ['gpu.usage', 'gauge', '%'], ['gpu.device.usage', 'gauge', '%'],
  ['gpu.memory.used', 'gauge', 'bytes'], ['gpu.memory.total', 'gauge', 'bytes'], ['gpu.temperature', 'gauge', '°C'],
  ['memory.used', 'gauge', 'bytes'], ['swap.used', 'gauge', 'bytes'], ['load.average', 'gauge', ''],
  ['disk.used', 'gauge', 'bytes'], ['net.in.rate', 'gauge', 'bytes/s'], ['net.out.rate', 'gauge', 'bytes/s'],
  ['net.total.up', 'counter', 'bytes'], ['net.total.down', 'counter', 'bytes'], ['traffic.up', 'gauge', 'bytes'],
  ['traffic.down', 'gauge', 'bytes'], ['process.count', 'gauge', 'count'], ['connections.tcp', 'gauge', 'count'],
  ['connections.udp', 'gauge', 'count'], ['ping.latency_ms', 'gauge', 'ms'], ['ping.loss', 'gauge', 'ratio'],
];

/** The 14 series a GPU-less client reports (records.md §11). */
const loadMetricNames = [
  'connections.tcp', 'connections.udp', 'cpu.usage', 'disk.used', 'load.average', 'memory.used', 'net.in.rate',
  'net.out.rate', 'net.total.down', 'net.total.up', 'process.count', 'swap.used', 'traffic.down', 'traffic.up',
] as const;
type LoadMetric = (typeof loadMetricNames)[number];

const minute = 60_000;
const hour = 3_600_000;
const day = 86_400_000;
/** sha256 of `{}`, as Komari hashes an empty tag set */
const emptyTagsHash = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

/** Komari's effective ladder for a metric retention of `days` (records.md §5.2): resolution and how long it is kept. */
export function komariLadder(days: number): { resolutionMs: number; keepMs: number }[] {
  const r = days * day;
  const tiers = [
    { resolutionMs: minute, keepMs: Math.min(600 * minute, r) },
    { resolutionMs: 5 * minute, keepMs: Math.min(3000 * minute, r) },
    { resolutionMs: hour, keepMs: Math.min(600 * hour, r) },
    { resolutionMs: day, keepMs: r },
  ];
  const out: typeof tiers = [];
  for (const t of tiers) if (out.length === 0 || t.keepMs > out.at(-1)!.keepMs) out.push(t);
  return out;
}

export interface KomariDbOptions {
  dir: string;
  nodes: number;
  days: number;
  /** ping tasks, each on every node */
  pingTasks?: number;
  /** the moment the backup was taken (Unix ms) */
  now?: number;
  seed?: number;
  /** agent report interval, s (Komari's default 3) */
  reportSeconds?: number;
  /** ping task interval, s (Komari's default 60) */
  pingSeconds?: number;
  /** write a t-digest-sized blob where min ≠ max, as Komari does (bigger file, same import work) */
  digests?: boolean;
}

export interface GeneratedKomariDb {
  komariDb: string;
  metricsDb: string;
  uuids: string[];
  /** Komari ping task ids */
  pingTaskIds: number[];
  series: number;
  rollupRows: number;
  komariBytes: number;
  metricsBytes: number;
  ms: number;
}

interface NodeShape {
  uuid: string;
  memTotal: number;
  diskTotal: number;
  phase: number;
  cpuBase: number;
  upRate: number;
  downRate: number;
  latency: number[];
  /** metric series id of each load metric, then [latency, loss] per ping task */
  series: Record<LoadMetric, number>;
  ping: [number, number][];
}

function uuidOf(r: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** One rollup row's numbers (the import's shape, less the last sample's time): `count` samples around `avg`, within [min, max]. */
type Stats = Omit<Summary, 'lastAt'>;

function around(avg: number, spread: number, count: number, r: () => number, lo = 0, hi = Infinity): Stats {
  const min = Math.max(lo, avg * (1 - spread * r()));
  const max = Math.min(hi, avg * (1 + spread * r()));
  const a = Math.min(Math.max(avg, min), max);
  const pick = () => min + (max - min) * r();
  return { count, sum: a * count, min, max, first: pick(), last: pick() };
}

function constant(v: number, count: number): Stats {
  return { count, sum: v * count, min: v, max: v, first: v, last: v };
}

/** A load metric's row for one node and bucket: smooth daily curves with noise, counters that only grow. */
function loadStats(m: LoadMetric, n: NodeShape, start: number, widthMs: number, sampleMs: number, r: () => number): Stats {
  const count = Math.max(1, Math.round(widthMs / sampleMs));
  const wave = 0.5 + 0.5 * Math.sin((2 * Math.PI * (start % day)) / day + n.phase);
  const cpu = Math.min(95, n.cpuBase + 40 * wave + 5 * r());
  const total = (rate: number, t: number) => Math.round(rate * ((t - Date.UTC(2026, 0, 1)) / 1000));
  const counter = (rate: number): Stats => {
    const first = total(rate, start);
    const last = total(rate, start + widthMs - sampleMs);
    return { count, sum: ((first + last) / 2) * count, min: first, max: last, first, last };
  };
  switch (m) {
    case 'cpu.usage': return around(cpu, 0.6, count, r, 0, 100);
    case 'memory.used': return around(n.memTotal * (0.3 + 0.3 * wave), 0.05, count, r, 0, n.memTotal);
    case 'swap.used': return constant(0, count);
    case 'load.average': return around(cpu / 25, 0.5, count, r);
    case 'disk.used': return around(n.diskTotal * 0.4 + (start % (30 * day)) / 1e3, 0.001, count, r);
    case 'net.in.rate': return around(n.downRate * (0.5 + wave), 0.8, count, r);
    case 'net.out.rate': return around(n.upRate * (0.5 + wave), 0.8, count, r);
    case 'net.total.up': return counter(n.upRate);
    case 'net.total.down': return counter(n.downRate);
    case 'traffic.up': return constant(Math.round((n.upRate * sampleMs) / 1000), count);
    case 'traffic.down': return constant(Math.round((n.downRate * sampleMs) / 1000), count);
    case 'process.count': return around(Math.round(150 + 50 * wave), 0.1, count, r);
    case 'connections.tcp': return around(Math.round(40 + 200 * wave), 0.3, count, r);
    case 'connections.udp': return around(5, 0.8, count, r);
  }
}

/** A ping task's latency and loss rows for one node and bucket: −1 per lost probe, as Komari keeps it. */
function pingStats(base: number, widthMs: number, pingMs: number, r: () => number): [Stats, Stats] {
  const count = Math.max(1, Math.round(widthMs / pingMs));
  const lost = r() < 0.05 ? Math.max(1, Math.round(count * 0.02 * r())) : 0;
  const answered = count - lost;
  const avg = base * (0.9 + 0.2 * r());
  const latency: Stats = answered === 0
    ? constant(-1, count)
    : { count, sum: avg * answered - lost, min: lost > 0 ? -1 : avg * 0.8, max: avg * 1.4, first: avg, last: r() < 0.5 || lost === 0 ? avg * 1.1 : -1 };
  const loss: Stats = { count, sum: lost, min: answered > 0 ? 0 : 1, max: lost > 0 ? 1 : 0, first: 0, last: latency.last < 0 ? 1 : 0 };
  if (answered === 0) loss.first = 1;
  return [latency, loss];
}

function fileBytes(path: string): number {
  let n = 0;
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    try {
      n += statSync(path + suffix).size;
    } catch {
      // absent
    }
  }
  return n;
}

function writeMain(path: string, nodes: readonly NodeShape[], tasks: number, o: Required<KomariDbOptions>): number[] {
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec(komariMainSchema);
    db.exec('BEGIN');
    const time = new Date(o.now - o.days * day).toISOString().replace('T', ' ').replace('Z', '+00:00');
    const client = db.prepare(`INSERT INTO clients (uuid, token, name, cpu_name, virtualization, arch, cpu_cores, cpu_physical_cores, os,
      kernel_version, gpu_name, ipv4, ipv6, region, remark, public_remark, mem_total, swap_total, disk_total, version, weight, price,
      billing_cycle, auto_renewal, currency, expired_at, "group", tags, hidden, traffic_limit, traffic_limit_type, created_at, updated_at)
      VALUES (?, ?, ?, 'AMD EPYC 7B13', 'kvm', 'amd64', 2, 1, 'Debian GNU/Linux 12', '6.1.0-18-amd64', '', '', '', '', '', '', ?, 0, ?,
      '1.1.40', ?, 0, 30, 0, '$', NULL, '', '', 0, 0, 'max', ?, ?)`);
    nodes.forEach((n, i) => client.run(n.uuid, `token-${n.uuid.slice(0, 8)}-${i}`, `gen-${i}`, n.memTotal, n.diskTotal, i, time, time));
    const uuids = JSON.stringify(nodes.map((n) => n.uuid));
    const task = db.prepare('INSERT INTO ping_tasks (weight, name, clients, all_clients, type, target, "interval") VALUES (?, ?, ?, 0, ?, ?, ?)');
    const ids: number[] = [];
    for (let t = 0; t < tasks; t++) ids.push(Number(task.run(t, `ping-${t + 1}`, uuids, 'icmp', `192.0.2.${t + 1}`, o.pingSeconds).lastInsertRowid));
    const config = db.prepare('INSERT INTO configs (key, value) VALUES (?, ?)');
    for (const [k, v] of [['metric_db_driver', '"sqlite"'], ['metric_db_dsn', '"file:./data/metrics.db"'], ['metric_rollup_minute_retention_minutes', '600'],
      ['metric_rollup_five_minute_retention_minutes', '3000'], ['metric_rollup_hour_retention_hours', '600']] as const) config.run(k, v);
    db.exec('COMMIT');
    return ids;
  } finally {
    db.close();
  }
}

function createSeries(db: DatabaseSync, nodes: NodeShape[], taskIds: readonly number[]): number {
  const insert = db.prepare('INSERT INTO metric_series (metric_name, entity_id, tags_hash, tags) VALUES (?, ?, ?, ?)');
  let n = 0;
  for (const node of nodes) {
    for (const m of loadMetricNames) {
      node.series[m] = Number(insert.run(m, node.uuid, emptyTagsHash, '{}').lastInsertRowid);
      n++;
    }
    for (const t of taskIds) {
      const tags = JSON.stringify({ task_id: String(t) });
      // a stand-in for Komari's sha256 of the canonical tags: unique per task, as the index needs
      const hash = `task-${t}`.padEnd(64, '0');
      node.ping.push([Number(insert.run('ping.latency_ms', node.uuid, hash, tags).lastInsertRowid), Number(insert.run('ping.loss', node.uuid, hash, tags).lastInsertRowid)]);
      n += 2;
    }
  }
  return n;
}

/** Writes komari.db and metrics.db into `o.dir` (which must not hold them yet). */
export function generateKomariDbs(options: KomariDbOptions): GeneratedKomariDb {
  const t0 = performance.now();
  const o: Required<KomariDbOptions> = {
    pingTasks: 2, now: Date.now(), seed: 7, reportSeconds: 3, pingSeconds: 60, digests: false, ...options,
  };
  const r = rng(o.seed);
  const nodes: NodeShape[] = Array.from({ length: o.nodes }, () => ({
    uuid: uuidOf(r), memTotal: Math.round((1 + 15 * r()) * 2 ** 30), diskTotal: Math.round((20 + 200 * r()) * 2 ** 30),
    phase: 2 * Math.PI * r(), cpuBase: 2 + 20 * r(), upRate: 1e3 + 1e6 * r(), downRate: 1e3 + 5e6 * r(),
    latency: Array.from({ length: o.pingTasks }, () => 5 + 250 * r()), series: {} as Record<LoadMetric, number>, ping: [],
  }));
  const komariDb = join(o.dir, 'komari.db');
  const metricsDb = join(o.dir, 'metrics.db');
  const pingTaskIds = writeMain(komariDb, nodes, o.pingTasks, o);

  const db = new DatabaseSync(metricsDb);
  let rollupRows = 0;
  let series: number;
  try {
    // A throwaway file: no rollback journal on disk (node:sqlite's defensive mode refuses OFF).
    db.exec('PRAGMA journal_mode = MEMORY');
    db.exec('PRAGMA synchronous = OFF');
    db.exec('PRAGMA cache_size = -262144');
    db.exec(komariMetricSchema);
    db.exec('BEGIN');
    const def = db.prepare('INSERT INTO metric_definitions VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const [name, type, unit] of komariMetricDefinitions) def.run(name, type, unit, name, o.days, '{}', o.now, o.now);
    db.prepare("INSERT INTO metric_label_sets (labels_hash, labels) VALUES (?, '{}')").run(emptyTagsHash);
    const ladder = komariLadder(o.days);
    const resolutionIds = new Map(ladder.map((t) => [t.resolutionMs, Number(db.prepare('INSERT INTO metric_resolutions (resolution_milli) VALUES (?)').run(t.resolutionMs).lastInsertRowid)]));
    series = createSeries(db, nodes, pingTaskIds);
    db.exec('COMMIT');

    const insert = db.prepare(`INSERT INTO metric_rollups (series_id, resolution_id, label_id, bucket_milli, count, sum, sum_sq, min_val, max_val,
      first_val, first_ts_milli, last_val, last_ts_milli, digest, created_at_milli) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    let inTxn = 0;
    const write = (stmt: StatementSync, seriesId: number, resolutionId: number, start: number, widthMs: number, s: Stats, sampleMs: number) => {
      if (inTxn === 0) db.exec('BEGIN');
      const avg = s.sum / s.count;
      const digest = o.digests && s.min !== s.max ? randomBytes(60 + Math.floor(r() * 240)) : null;
      stmt.run(seriesId, resolutionId, start, s.count, s.sum, s.count * (avg * avg), s.min, s.max, s.first, start,
        s.last, start + widthMs - sampleMs, digest, start + widthMs + 2_000);
      rollupRows++;
      if (++inTxn >= 20_000) {
        db.exec('COMMIT');
        inTxn = 0;
      }
    };
    const sampleMs = o.reportSeconds * 1000;
    const pingMs = o.pingSeconds * 1000;
    // Oldest first: the daily tier reaches furthest back; each tier up to its last sealed bucket.
    for (const tier of [...ladder].reverse()) {
      const w = tier.resolutionMs;
      const sealedBy = w === minute ? o.now : o.now - 10 * minute;
      const resolutionId = resolutionIds.get(w)!;
      for (let start = Math.ceil((o.now - tier.keepMs) / w) * w; start + w <= sealedBy; start += w) {
        for (const n of nodes) {
          for (const m of loadMetricNames) write(insert, n.series[m], resolutionId, start, w, loadStats(m, n, start, w, sampleMs, r), sampleMs);
          n.ping.forEach(([latencyId, lossId], t) => {
            const [latency, loss] = pingStats(n.latency[t]!, w, pingMs, r);
            write(insert, latencyId, resolutionId, start, w, latency, pingMs);
            write(insert, lossId, resolutionId, start, w, loss, pingMs);
          });
        }
      }
    }
    if (inTxn > 0) db.exec('COMMIT');
    db.exec('PRAGMA journal_mode = DELETE');
  } finally {
    db.close();
  }
  return {
    komariDb, metricsDb, uuids: nodes.map((n) => n.uuid), pingTaskIds, series, rollupRows,
    komariBytes: fileBytes(komariDb), metricsBytes: fileBytes(metricsDb), ms: performance.now() - t0,
  };
}
