import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { HistoryRow, PingBucketRow } from '../../../store/types.ts';
import { formatTime } from '../../../util/time.ts';
import { timeProblem, type HistoryImport } from './context.ts';
import { legacyLoadBucket, type LegacyRecord } from './load-bucket.ts';
import { loadOps, pingOps } from './metric-store.ts';
import { legacyPingBucket } from './ping-bucket.ts';
import { integerOf, numberOf, ranges, type ValueRange } from './summary.ts';
import { TierBuilder } from './tier-builder.ts';

/** Komari ≤ 1.2.5 stored times as text (GORM); SQLite reads them into Unix ms, NULL when unreadable. */
const atMs = `CAST(round((julianday("time") - 2440587.5) * 86400000) AS INTEGER)`;

/** The legacy tables and the width each row stands for (records.md §8.3, §12). */
const recordTables = [
  { table: 'records', widthMs: 60_000 },
  { table: 'records_long_term', widthMs: 900_000 },
] as const;

const recordColumns: Record<keyof LegacyRecord, ValueRange> = {
  cpu: ranges.percent, gpu: ranges.percent, ram: ranges.bytes, ram_total: ranges.bytes, swap: ranges.bytes,
  swap_total: ranges.bytes, load: ranges.load, disk: ranges.bytes, disk_total: ranges.bytes, net_in: ranges.bytes,
  net_out: ranges.bytes, net_total_up: ranges.bytes, net_total_down: ranges.bytes, traffic_up: ranges.bytes,
  traffic_down: ranges.bytes, process: ranges.count, connections: ranges.count, connections_udp: ranges.count,
};

function tableExists(db: DatabaseSync, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** A legacy row's numbers; a column the table lacks (an older schema) reads 0. */
function readRecord(r: Record<string, unknown>): LegacyRecord | string {
  const out = {} as LegacyRecord;
  for (const [col, range] of Object.entries(recordColumns) as [keyof LegacyRecord, ValueRange][]) {
    const raw = r[col];
    const v = raw === undefined || raw === null ? 0 : numberOf(raw);
    if (v === undefined) return 'value not a number';
    if (v < range.lo || v > range.hi) return 'value out of range';
    out[col] = v;
  }
  return out;
}

interface LegacyRow {
  widthMs: number;
  row: Record<string, unknown>;
}

/** Rows of both record tables in (client, time) order: two sorted streams merged. */
function* recordRows(stmts: readonly { widthMs: number; stmt: StatementSync }[]): Generator<LegacyRow> {
  const its = stmts.map((s) => ({ widthMs: s.widthMs, it: s.stmt.iterate() as Iterator<Record<string, unknown>> }));
  const heads = its.map((s) => s.it.next());
  const key = (r: Record<string, unknown>) => [String(r.client), Number(r.komari_at ?? -Infinity)] as const;
  const before = (a: Record<string, unknown>, b: Record<string, unknown>) => {
    const [ca, ta] = key(a);
    const [cb, tb] = key(b);
    return ca < cb || (ca === cb && ta <= tb);
  };
  for (;;) {
    let pick = -1;
    heads.forEach((h, i) => {
      if (!h.done && (pick < 0 || before(h.value, heads[pick]!.value as Record<string, unknown>))) pick = i;
    });
    if (pick < 0) return;
    yield { widthMs: its[pick]!.widthMs, row: heads[pick]!.value as Record<string, unknown> };
    heads[pick] = its[pick]!.it.next();
  }
}

/** One group (a client, or a client's ping task) at a time: its builder, or why it is skipped. */
class Groups<T extends { start: number; width: number }> {
  #key: string | undefined;
  #builder: TierBuilder<T> | undefined;
  #rows = 0;
  readonly #ctx: HistoryImport;
  readonly #kind: 'load' | 'ping';
  readonly #open: () => TierBuilder<T> | undefined;

  constructor(ctx: HistoryImport, kind: 'load' | 'ping', open: () => TierBuilder<T> | undefined) {
    this.#ctx = ctx;
    this.#kind = kind;
    this.#open = open;
  }

  /** The builder of the group `key`, finishing the previous group; undefined when skipped. */
  builder(key: string): TierBuilder<T> | undefined {
    if (key === this.#key) return this.#builder;
    this.finish();
    this.#key = key;
    this.#builder = this.#open();
    return this.#builder;
  }

  emitted(): void {
    this.#rows++;
  }

  finish(): void {
    this.#builder?.finish();
    if (this.#rows > 0) this.#ctx.series[this.#kind]++;
    this.#builder = undefined;
    this.#rows = 0;
  }
}

async function importRecords(db: DatabaseSync, ctx: HistoryImport): Promise<void> {
  const stmts = recordTables
    .filter((t) => tableExists(db, t.table))
    .map((t) => ({ widthMs: t.widthMs, stmt: db.prepare(`SELECT *, ${atMs} AS komari_at FROM "${t.table}" ORDER BY client, komari_at`) }));
  if (stmts.length === 0) return;
  let client = '';
  const groups: Groups<HistoryRow> = new Groups(ctx, 'load', () => {
    if (!ctx.clientUuids.has(client)) {
      ctx.report.skip('loadSeries', 'legacy records of a client that was not imported', client);
      return undefined;
    }
    return new TierBuilder(ctx.tiers, loadOps, (r) => {
      groups.emitted();
      ctx.loads.add(r);
    });
  });
  for (const { widthMs, row } of recordRows(stmts)) {
    client = String(row.client);
    const builder = groups.builder(client);
    if (!builder) continue;
    const at = integerOf(row.komari_at);
    const bad = timeProblem(at, ctx.now);
    const values = bad ? undefined : readRecord(row);
    const reason = bad ?? (typeof values === 'string' ? values : undefined);
    const id = `${client} at ${at === undefined ? String(row.time) : formatTime(at)}`;
    if (reason) ctx.report.skip('loadPoints', `legacy record: ${reason}`, id);
    else {
      const missed = builder.add(widthMs, legacyLoadBucket(client, widthMs, at!, values as LegacyRecord));
      if (missed) ctx.report.skip('loadPoints', `legacy record: ${missed}`, id);
    }
    await ctx.loads.flushIfFull();
  }
  groups.finish();
}

async function importPingRecords(db: DatabaseSync, ctx: HistoryImport): Promise<void> {
  if (!tableExists(db, 'ping_records')) return;
  const stmt = db.prepare(`SELECT client, task_id, value, "time", ${atMs} AS komari_at FROM ping_records ORDER BY client, task_id, komari_at`);
  let client = '';
  let komariTask: unknown;
  const groups: Groups<PingBucketRow> = new Groups(ctx, 'ping', () => {
    const task = ctx.pingTaskIds.get(Number(komariTask));
    if (!ctx.clientUuids.has(client) || task === undefined) {
      const why = task === undefined ? 'ping task that was not imported' : 'client that was not imported';
      ctx.report.skip('pingSeries', `legacy ping records of a ${why}`, `${client} task ${String(komariTask)}`);
      return undefined;
    }
    return new TierBuilder(ctx.tiers, pingOps, (r) => {
      groups.emitted();
      ctx.pings.add({ ...r, task });
    });
  });
  for (const row of stmt.iterate()) {
    client = String(row.client);
    komariTask = row.task_id;
    const builder = groups.builder(`${client}\u0000${String(komariTask)}`);
    if (!builder) continue;
    const at = integerOf(row.komari_at);
    const value = numberOf(row.value);
    const id = `${client} task ${String(komariTask)} at ${at === undefined ? String(row.time) : formatTime(at)}`;
    const reason = timeProblem(at, ctx.now) ?? (value === undefined ? 'value not a number' : value < ranges.latency.lo || value > ranges.latency.hi ? 'value out of range' : undefined);
    if (reason) ctx.report.skip('pingPoints', `legacy ping record: ${reason}`, id);
    else {
      // the task id is set on emit: the builder only needs a series-local bucket
      const missed = builder.add(1, legacyPingBucket(0, client, at!, value!));
      if (missed) ctx.report.skip('pingPoints', `legacy ping record: ${missed}`, id);
    }
    await ctx.pings.flushIfFull();
  }
  groups.finish();
}

/**
 * Komari ≤ 1.2.5's history tables in komari.db (records.md §8.3, §12): `records` rows (one a
 * minute) and `records_long_term` rows (one per 15 minutes) as one-sample buckets of their width,
 * `ping_records` rows as single results; each table read in (client, time) order.
 */
export async function importLegacyTables(db: DatabaseSync, ctx: HistoryImport): Promise<void> {
  await importRecords(db, ctx);
  await importPingRecords(db, ctx);
}
