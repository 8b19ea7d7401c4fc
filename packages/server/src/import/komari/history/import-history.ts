import { DatabaseSync } from 'node:sqlite';
import { settingDefinitions, type RetentionTier } from '@komari-ts/protocol';
import { defaultServerLimits } from '../../../config/limits.ts';
import type { Store } from '../../../store/types.ts';
import type { ImportReportBuilder } from '../report.ts';
import { BatchSink, type HistoryImport } from './context.ts';
import { importLegacyTables } from './legacy.ts';
import type { NodeTotals } from './load-bucket.ts';
import { importMetricStore } from './metric-store.ts';
import { integerOf } from './summary.ts';
import type { TargetTier } from './tier-builder.ts';

export interface KomariHistoryInput {
  /** Komari's main database: the legacy history tables (≤ 1.2.5) and the clients' totals */
  komariDb: DatabaseSync;
  /** path of Komari's metric store (metrics.db), when the backup or folder has one */
  metricsDb?: string;
  /** the nodes that were imported; history of any other client is skipped */
  clientUuids: ReadonlySet<string>;
  /** Komari ping task id → komari-ts ping task id */
  pingTaskIds: ReadonlyMap<number, number>;
  /** Unix ms the tiers' retention is measured from; now by default */
  now?: number;
  /** rows per write transaction (ServerLimits.historyImport.batchRows by default) */
  batchRows?: number;
}

/** Our tiers as import targets: the `history_retention` setting stored in this store. */
async function targetTiers(store: Store, now: number): Promise<TargetTier[]> {
  const def = settingDefinitions.history_retention;
  const parsed = def.schema.safeParse((await store.settings.all()).history_retention);
  const tiers: readonly RetentionTier[] = parsed.success ? parsed.data : def.default;
  return tiers.map((t) => {
    const widthMs = t.bucketSeconds * 1000;
    return { widthMs, keepFrom: Math.floor((now - t.keepHours * 3_600_000) / widthMs) * widthMs };
  });
}

/** ram/swap/disk totals of a client from komari.db's basic info columns; 0 where absent. */
function clientTotals(db: DatabaseSync): (uuid: string) => NodeTotals {
  let stmt: ReturnType<DatabaseSync['prepare']> | undefined;
  try {
    stmt = db.prepare('SELECT mem_total, swap_total, disk_total FROM clients WHERE uuid = ?');
  } catch {
    stmt = undefined;
  }
  const total = (v: unknown) => {
    const n = integerOf(v);
    return n !== undefined && n >= 0 ? n : 0;
  };
  return (uuid) => {
    const r = stmt?.get(uuid);
    return { ramTotal: total(r?.mem_total), swapTotal: total(r?.swap_total), diskTotal: total(r?.disk_total) };
  };
}

/**
 * Komari's load and ping history into our tiers (issue 14 §2), as far back as it goes: the
 * metric store's rollups (metrics.db) and, when komari.db still has them, the legacy tables.
 * Each Komari bucket goes into every tier whose width it divides and whose retention covers it;
 * a tier bucket takes the most complete source (tier-builder.ts). Streamed: rows are read with
 * iterators one client at a time and written in transactions of `batchRows`; a row already in the
 * store wins, so importing twice adds nothing. Counts `loadPoints` / `pingPoints` (rows new in
 * our tiers) and `loadSeries` / `pingSeries`; every row or series left out is skipped with why.
 */
export async function importKomariHistory(input: KomariHistoryInput, store: Store, report: ImportReportBuilder): Promise<void> {
  const now = input.now ?? Date.now();
  const batchRows = input.batchRows ?? defaultServerLimits.historyImport.batchRows;
  const ctx: HistoryImport = {
    tiers: await targetTiers(store, now),
    now,
    report,
    clientUuids: input.clientUuids,
    pingTaskIds: input.pingTaskIds,
    loads: new BatchSink((rows) => store.history.insertMissing(rows), batchRows),
    pings: new BatchSink((rows) => store.ping.history.insertMissing(rows), batchRows),
    series: { load: 0, ping: 0 },
    totals: clientTotals(input.komariDb),
  };
  if (input.metricsDb !== undefined) {
    const metrics = new DatabaseSync(input.metricsDb, { readOnly: true });
    try {
      await importMetricStore(metrics, ctx);
    } finally {
      metrics.close();
    }
  }
  await importLegacyTables(input.komariDb, ctx);
  await ctx.loads.flush();
  await ctx.pings.flush();
  report.count('loadPoints', ctx.loads.inserted);
  report.present('loadPoints', ctx.loads.written - ctx.loads.inserted);
  report.count('pingPoints', ctx.pings.inserted);
  report.present('pingPoints', ctx.pings.written - ctx.pings.inserted);
  if (ctx.loads.inserted > 0) report.count('loadSeries', ctx.series.load);
  else report.present('loadSeries', ctx.series.load);
  if (ctx.pings.inserted > 0) report.count('pingSeries', ctx.series.ping);
  else report.present('pingSeries', ctx.series.ping);
}
