import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { copyBucket, merge } from '../../../history/bucket.ts';
import { copyPingBucket, mergePing } from '../../../ping/bucket.ts';
import type { HistoryRow, PingBucketRow } from '../../../store/types.ts';
import { formatTime } from '../../../util/time.ts';
import { timeProblem, type HistoryImport } from './context.ts';
import { loadBucket, type NodeTotals } from './load-bucket.ts';
import { loadMetrics, pingMetrics, unkeptMetrics, type LoadField, type PingPart } from './metrics.ts';
import { pingBucket } from './ping-bucket.ts';
import { integerOf, readSummary, summaryProblem, type Summary, type ValueRange } from './summary.ts';
import { TierBuilder } from './tier-builder.ts';

/** A hostile store could give one client millions of series; past this its other series are skipped. */
export const maxSeriesPerClient = 4096;

type SeriesKind =
  | { kind: 'load'; field: LoadField; range: ValueRange }
  | { kind: 'ping'; task: number; part: PingPart; range: ValueRange };

export const loadOps = { copy: copyBucket, merge, samples: (b: HistoryRow) => b.count };
export const pingOps = { copy: copyPingBucket, merge: mergePing, samples: (b: PingBucketRow) => b.sent };

function hasTables(db: DatabaseSync, names: readonly string[]): boolean {
  const get = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  return names.every((n) => get.get(n) !== undefined);
}

/** Resolution id → width (ms); widths our tiers can hold are whole seconds. */
function resolutions(db: DatabaseSync): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of db.prepare('SELECT id, resolution_milli FROM metric_resolutions').iterate()) {
    const id = integerOf(r.id);
    const ms = integerOf(r.resolution_milli);
    if (id !== undefined && ms !== undefined && ms >= 1000 && ms % 1000 === 0) out.set(id, ms);
  }
  return out;
}

function tagsOf(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** What a series becomes, or why it is skipped. */
function classify(metric: unknown, tagsText: unknown, pingTaskIds: ReadonlyMap<number, number>): SeriesKind | string {
  if (typeof metric !== 'string') return 'unknown metric';
  const tags = tagsOf(tagsText);
  if (!tags) return 'unreadable tags';
  const load = loadMetrics[metric];
  if (load) return Object.keys(tags).length === 0 ? { kind: 'load', ...load } : 'load metric with tags';
  const ping = pingMetrics[metric];
  if (ping) {
    const komariTask = typeof tags.task_id === 'string' && /^\d{1,9}$/.test(tags.task_id) ? Number(tags.task_id) : undefined;
    const task = komariTask === undefined ? undefined : pingTaskIds.get(komariTask);
    return task === undefined ? 'ping task that was not imported' : { kind: 'ping', task, ...ping };
  }
  return unkeptMetrics.has(metric) ? 'per-device GPU metric (komari-ts keeps the GPU average)' : 'unknown metric';
}

interface Slice {
  bucket: number;
  resolutionMs: number;
  load: Map<LoadField, Summary>;
  ping: Map<number, { latency?: Summary; loss?: Summary }>;
  series: Set<number>;
}

/**
 * One client's series: its rollup rows oldest first (every resolution interleaved), grouped into
 * slices of one start and resolution, each slice one load bucket and one ping bucket per task,
 * fed to the tier builders. Holds one slice and the open tier buckets, never the series.
 */
class ClientImport {
  readonly load: TierBuilder<HistoryRow>;
  readonly pings = new Map<number, TierBuilder<PingBucketRow>>();
  loadRows = 0;
  readonly pingRows = new Map<number, number>();
  #slice: Slice | undefined;
  readonly uuid: string;
  readonly ctx: HistoryImport;
  readonly totals: NodeTotals;

  constructor(uuid: string, ctx: HistoryImport, totals: NodeTotals) {
    this.uuid = uuid;
    this.ctx = ctx;
    this.totals = totals;
    this.load = new TierBuilder(ctx.tiers, loadOps, (r) => {
      this.loadRows++;
      ctx.loads.add(r);
    });
  }

  skip(kind: 'loadPoints' | 'pingPoints', reason: string, series: number, bucket?: number): void {
    this.ctx.report.skip(kind, reason, bucket === undefined ? `series ${series}` : `series ${series} at ${formatTime(bucket)}`);
  }

  row(r: Record<string, unknown>, s: SeriesKind, resolutions: ReadonlyMap<number, number>): void {
    const kind = s.kind === 'load' ? 'loadPoints' : 'pingPoints';
    const series = Number(r.series_id);
    const resolutionMs = resolutions.get(Number(r.resolution_id));
    if (resolutionMs === undefined) return this.skip(kind, 'unknown resolution', series);
    const bucket = integerOf(r.bucket_milli);
    const badTime = timeProblem(bucket, this.ctx.now) ?? (bucket! % resolutionMs !== 0 ? 'time not aligned to its resolution' : undefined);
    if (badTime) return this.skip(kind, badTime, series, bucket);
    const summary = readSummary(r, bucket!, resolutionMs);
    const bad = summary ? summaryProblem(summary, s.range, resolutionMs) : 'value not a number';
    if (bad) return this.skip(kind, bad, series, bucket);
    let slice = this.#slice;
    if (!slice || slice.bucket !== bucket || slice.resolutionMs !== resolutionMs) {
      this.#close();
      slice = this.#slice = { bucket: bucket!, resolutionMs, load: new Map(), ping: new Map(), series: new Set() };
    }
    if (slice.series.has(series)) return this.skip(kind, 'duplicate rollup row', series, bucket);
    slice.series.add(series);
    if (s.kind === 'load') slice.load.set(s.field, summary!);
    else {
      const parts = slice.ping.get(s.task) ?? {};
      parts[s.part] = summary!;
      slice.ping.set(s.task, parts);
    }
  }

  finish(): void {
    this.#close();
    this.load.finish();
    for (const b of this.pings.values()) b.finish();
  }

  #close(): void {
    const slice = this.#slice;
    if (!slice) return;
    this.#slice = undefined;
    const at = formatTime(slice.bucket);
    if (slice.load.size > 0) {
      const row = loadBucket(this.uuid, slice.resolutionMs, slice.bucket, slice.load, this.totals);
      const missed = row && this.load.add(slice.resolutionMs, row);
      if (missed) this.ctx.report.skip('loadPoints', missed, `${this.uuid} at ${at}`);
    }
    for (const [task, parts] of slice.ping) {
      if (!parts.latency) {
        this.ctx.report.skip('pingPoints', 'ping loss without latency', `${this.uuid} task ${task} at ${at}`);
        continue;
      }
      const missed = this.#pingBuilder(task).add(slice.resolutionMs, pingBucket(task, this.uuid, slice.resolutionMs, slice.bucket, parts.latency, parts.loss));
      if (missed) this.ctx.report.skip('pingPoints', missed, `${this.uuid} task ${task} at ${at}`);
    }
  }

  #pingBuilder(task: number): TierBuilder<PingBucketRow> {
    let b = this.pings.get(task);
    if (!b) {
      b = new TierBuilder(this.ctx.tiers, pingOps, (r) => {
        this.pingRows.set(task, (this.pingRows.get(task) ?? 0) + 1);
        this.ctx.pings.add(r);
      });
      this.pings.set(task, b);
    }
    return b;
  }
}

const rollupColumns = ['series_id', 'resolution_id', 'bucket_milli', 'count', 'sum', 'min_val', 'max_val', 'first_val', 'last_val', 'last_ts_milli'] as const;

/**
 * Rows of a set of series (a JSON array of ids), oldest first, resolutions interleaved. Rows come
 * as arrays (a quarter faster than objects over millions of rows) and are named by `rollupRow`.
 */
function rollupsQuery(db: DatabaseSync): StatementSync {
  const stmt = db.prepare(`SELECT ${rollupColumns.join(', ')}
    FROM metric_rollups WHERE series_id IN (SELECT value FROM json_each(?))
    ORDER BY bucket_milli, resolution_id, series_id`);
  stmt.setReturnArrays(true);
  return stmt;
}

function rollupRow(values: readonly unknown[]): Record<(typeof rollupColumns)[number], unknown> {
  const out = {} as Record<(typeof rollupColumns)[number], unknown>;
  rollupColumns.forEach((c, i) => (out[c] = values[i]));
  return out;
}

/**
 * Komari's metric store (metrics.db, records.md §8.2) into our tiers, one client at a time:
 * series are read in client order, each client's rollups oldest first, and rows go to the store
 * in batches. Komari 1.4.3 keeps raw samples in memory only, so rollups are all there is.
 */
export async function importMetricStore(db: DatabaseSync, ctx: HistoryImport): Promise<void> {
  if (!hasTables(db, ['metric_series', 'metric_rollups', 'metric_resolutions'])) {
    ctx.report.skip('loadPoints', 'metrics.db has no Komari metric store tables');
    return;
  }
  const res = resolutions(db);
  let rollups: StatementSync;
  let series: StatementSync;
  try {
    rollups = rollupsQuery(db);
    series = db.prepare('SELECT id, metric_name, entity_id, tags FROM metric_series ORDER BY entity_id, id');
  } catch (err) {
    ctx.report.skip('loadPoints', `metrics.db has an unknown schema: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  let client: { uuid: string; kinds: Map<number, SeriesKind> } | undefined;
  const finishClient = async () => {
    if (!client) return;
    const c = client;
    client = undefined;
    if (c.kinds.size === 0) return;
    const run = new ClientImport(c.uuid, ctx, ctx.totals(c.uuid));
    for (const values of rollups.iterate(JSON.stringify([...c.kinds.keys()]))) {
      const r = rollupRow(values as unknown as unknown[]);
      run.row(r, c.kinds.get(Number(r.series_id))!, res);
      await ctx.loads.flushIfFull();
      await ctx.pings.flushIfFull();
    }
    run.finish();
    if (run.loadRows > 0) ctx.series.load++;
    for (const n of run.pingRows.values()) if (n > 0) ctx.series.ping++;
  };
  let skippedClient: unknown;
  for (const s of series.iterate()) {
    const uuid = s.entity_id;
    if (typeof uuid !== 'string' || !ctx.clientUuids.has(uuid)) {
      if (uuid !== skippedClient) ctx.report.skip('loadSeries', 'series of a client that was not imported', String(uuid));
      skippedClient = uuid;
      continue;
    }
    if (client?.uuid !== uuid) {
      await finishClient();
      client = { uuid, kinds: new Map() };
    }
    const kind = classify(s.metric_name, s.tags, ctx.pingTaskIds);
    const id = Number(s.id);
    if (typeof kind === 'string') ctx.report.skip(pingMetrics[String(s.metric_name)] ? 'pingSeries' : 'loadSeries', kind, `${uuid} ${String(s.metric_name)}`);
    else if (client.kinds.size >= maxSeriesPerClient) ctx.report.skip('loadSeries', 'too many series for one client', `${uuid} ${String(s.metric_name)}`);
    else client.kinds.set(id, kind);
  }
  await finishClient();
  const orphans = Number(db.prepare('SELECT count(*) AS n FROM metric_rollups r WHERE NOT EXISTS (SELECT 1 FROM metric_series s WHERE s.id = r.series_id)').get()!.n);
  if (orphans > 0) ctx.report.skip('loadPoints', `${orphans} rollup rows of no series`);
}
