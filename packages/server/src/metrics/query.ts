import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { isAdmin, type Caller } from '../rpc/caller.ts';
import { formatTime } from '../util/time.ts';
import { aggregate, aggregationName, parseAggregation, type Aggregation } from './aggregate.ts';
import { BucketReader } from './bucket-reader.ts';
import { metricByName, retentionDays, type MetricDef } from './definitions.ts';
import { fillEmpty, type MetricPoint } from './fill-empty.ts';
import { groupParts, readParts, type TaggedParts } from './series.ts';
import { rollupInterval, windowOf, windowParams, type MetricWindow } from './window.ts';

export const defaultMaxPoints = 500;
const rawSpanMs = 10 * 60_000;

export const queryParams = z.object({
  metric_key: z.string().optional(),
  metric_keys: z.array(z.string()).optional(),
  metrics: z.array(z.string()).optional(),
  entity_id: z.string().optional(),
  entity_ids: z.array(z.string()).optional(),
  ...windowParams,
  tags: z.record(z.string(), z.string()).optional(),
  fill_empty: z.boolean().optional(),
  aggregation: z.string().optional(),
  algorithm: z.string().optional(),
  aggregation_by_metric: z.record(z.string(), z.string()).optional(),
  algorithm_by_metric: z.record(z.string(), z.string()).optional(),
  points_by_metric: z.record(z.string(), z.number().int()).optional(),
  max_points_by_metric: z.record(z.string(), z.number().int()).optional(),
});
export type QueryParams = z.output<typeof queryParams>;
export const queryPositional = ['metric_key', 'metric_keys', 'metrics', 'entity_id', 'entity_ids', 'start', 'end', 'hours', 'tags', 'fill_empty', 'max_points', 'aggregation'];

function unique(list: readonly (string | undefined)[]): string[] {
  return [...new Set(list.map((s) => s?.trim() ?? '').filter((s) => s !== ''))];
}

/** Requested nodes (hidden ones dropped for guests; unknown ones kept), or every visible node in database order. */
export async function entitiesFor(app: AppContext, caller: Caller, requested: string[]): Promise<string[]> {
  const nodes = await app.store.nodes.list();
  if (requested.length === 0) return nodes.filter((n) => isAdmin(caller) || !n.hidden).map((n) => n.uuid);
  if (isAdmin(caller)) return requested;
  const hidden = new Set(nodes.filter((n) => n.hidden).map((n) => n.uuid));
  return requested.filter((u) => !hidden.has(u));
}

interface Plan {
  def: MetricDef;
  agg: Aggregation;
  maxPoints: number;
}

function planOf(key: string, p: QueryParams): Plan {
  const def = metricByName(key);
  if (!def) throw AppError.invalidParams(`unknown metric key: ${key.slice(0, 128)}`);
  const maxPoints = p.points_by_metric?.[key] ?? p.max_points_by_metric?.[key] ?? (p.max_points || defaultMaxPoints);
  if (maxPoints <= 0) throw AppError.invalidParams(`max points for ${key} must be a positive integer`);
  return { def, agg: parseAggregation(p.aggregation_by_metric?.[key] ?? p.algorithm_by_metric?.[key] ?? p.aggregation ?? p.algorithm ?? 'avg'), maxPoints };
}

function matchesTags(tags: Record<string, string> | undefined, filter: Record<string, string> | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([k, v]) => tags?.[k] === v);
}

/** Exact samples from the live view's recent window: Komari's raw mode where komari-ts still holds them. */
function rawPoints(app: AppContext, def: MetricDef, entity: string, w: MetricWindow): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const s of app.live.recent(entity)) {
    if (s.at < w.start || s.at > w.end) continue;
    const v = def.fromReport!(s.report);
    if (v !== undefined) points.push({ time: s.at, value: v, count: 1 });
  }
  return points;
}

function pointWire(p: MetricPoint, nullMinusOne: boolean) {
  const value = nullMinusOne && p.value === -1 ? null : p.value;
  return p.count ? { time: formatTime(p.time), value, count: p.count } : { time: formatTime(p.time), value };
}

async function seriesOf(app: AppContext, reader: BucketReader, plan: Plan, entity: string, w: MetricWindow, p: QueryParams, now: number) {
  const { def, agg, maxPoints } = plan;
  const limits = app.limits.metrics;
  // Komari's raw window is 10 minutes; komari-ts keeps exact samples for the recent window only.
  const raw = def.fromReport !== undefined && w.end - w.start <= rawSpanMs && w.end >= now - rawSpanMs && w.start >= now - app.limits.recent.windowMs;
  const head = { metric_key: def.name, entity_id: entity };
  const tail = { type: def.type, ...(def.unit ? { unit: def.unit } : {}), retention_days: retentionDays(app.history.tiers) };
  const tagged: (TaggedParts & { points: MetricPoint[] })[] = [];
  let intervalMs: number | undefined;
  if (raw) {
    tagged.push({ parts: [], points: rawPoints(app, def, entity, w).slice(-limits.maxPointsPerSeries) });
  } else {
    const { seconds, tier } = rollupInterval(app.history.tiers, w, maxPoints, now);
    intervalMs = seconds * 1000;
    const read = await readParts(reader, def, entity, tier.bucketSeconds, Math.floor(w.start / intervalMs) * intervalMs, w.end).catch((err: unknown) => {
      if (err instanceof AppError) throw err;
      throw AppError.invalidParams(`Failed to query metrics: ${err instanceof Error ? err.message : String(err)}`);
    });
    for (const t of read) {
      const points = groupParts(t.parts, seconds).map((b) => ({ time: b.start, value: aggregate(b.parts, agg), count: b.parts.reduce((n, x) => n + x.count, 0) }));
      tagged.push({ ...t, points });
    }
  }
  const kept = tagged.filter((t) => matchesTags(t.tags, p.tags) && t.points.length > 0);
  if (kept.length === 0) kept.push({ parts: [], points: [] });
  kept.sort((a, b) => JSON.stringify(a.tags ?? {}).localeCompare(JSON.stringify(b.tags ?? {})));
  const nullMinusOne = p.fill_empty === true && def.source.kind === 'ping';
  return kept.map((t) => {
    const filled = p.fill_empty ? fillEmpty(t.points, w.start, w.end, intervalMs) : { points: t.points, intervalMs };
    return {
      ...head,
      ...(t.tags ? { tags: t.tags } : {}),
      ...tail,
      downsampled: !raw,
      ...(raw ? {} : { downsample_algorithm: aggregationName(agg) }),
      max_points: maxPoints,
      ...(filled.intervalMs ? { interval_seconds: filled.intervalMs / 1000 } : {}),
      ...(p.fill_empty ? { fill_empty: true } : {}),
      count: t.points.length,
      points: filled.points.length > 0 ? filled.points.map((x) => pointWire(x, nullMinusOne)) : null,
    };
  });
}

/**
 * The most load buckets one node can have in the window, over the distinct tier ranges the plans
 * read (each read once per node): known before reading anything, unlike ping tasks' rows.
 */
function loadBucketsPerNode(app: AppContext, plans: readonly Plan[], w: MetricWindow, now: number): number {
  const ranges = new Map<string, number>();
  for (const { def, maxPoints } of plans) {
    if (def.source.kind === 'ping' || def.source.kind === 'none') continue;
    const { seconds, tier } = rollupInterval(app.history.tiers, w, maxPoints, now);
    const from = Math.floor(w.start / (seconds * 1000)) * seconds * 1000;
    // Buckets older than the tier keeps are pruned: they are not there to read.
    const kept = Math.max(from, now - tier.keepHours * 3_600_000);
    ranges.set(`${tier.bucketSeconds} ${from}`, Math.max(0, Math.floor((w.end - kept) / (tier.bucketSeconds * 1000)) + 1));
  }
  return [...ranges.values()].reduce((a, b) => a + b, 0);
}

/** `public:queryMetrics` (rpc2.md §10.2.2) over komari-ts's history tiers. */
export async function queryMetrics(app: AppContext, caller: Caller, p: QueryParams) {
  const limits = app.limits.metrics;
  const keys = unique([...(p.metric_keys ?? []), ...(p.metrics ?? []), p.metric_key]);
  if (keys.length === 0) throw AppError.invalidParams('metric_keys is required');
  if (keys.length > limits.maxKeys) throw AppError.invalidParams(`too many metric keys: at most ${limits.maxKeys}`);
  const now = app.clock.now();
  const w = windowOf(p, now);
  const plans = keys.map((k) => planOf(k, p));
  for (const plan of plans) {
    if (plan.maxPoints > limits.maxPointsPerSeries) throw AppError.invalidParams(`max points for ${plan.def.name} must be at most ${limits.maxPointsPerSeries}`);
  }
  const entities = await entitiesFor(app, caller, unique([...(p.entity_ids ?? []), p.entity_id]));
  if (plans.length * entities.length > limits.maxSeries) throw AppError.invalidParams(`the query spans ${plans.length * entities.length} series: at most ${limits.maxSeries}`);
  // Node by node, so each node's rows are read once for every metric; answered metric by metric.
  const reader = new BucketReader(app, caller);
  reader.refuseAbove(entities.length * loadBucketsPerNode(app, plans, w, now));
  const byPlan: Awaited<ReturnType<typeof seriesOf>>[][] = plans.map(() => []);
  let points = 0;
  for (const e of entities) {
    for (const [i, plan] of plans.entries()) {
      const list = await seriesOf(app, reader, plan, e, w, p, now);
      for (const s of list) points += s.points?.length ?? 0;
      if (points > limits.maxTotalPoints) {
        throw AppError.invalidParams(`the answer would hold more than ${limits.maxTotalPoints} points: ask for fewer nodes, metrics or max_points`);
      }
      byPlan[i]!.push(list);
    }
    reader.forget();
  }
  const series = byPlan.flat(2);
  if (series.length > limits.maxSeries) throw AppError.invalidParams(`the query spans ${series.length} series: at most ${limits.maxSeries}`);
  return { start: formatTime(w.start), end: formatTime(w.end), server_downsample_default: true, default_points: defaultMaxPoints, count: series.length, series };
}
