import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import type { Caller } from '../rpc/caller.ts';
import type { PingBucketRow } from '../store/types.ts';
import { formatTime } from '../util/time.ts';
import { BucketReader } from './bucket-reader.ts';
import { defaultMaxPoints, entitiesFor } from './query.ts';
import { rollupInterval, windowOf, windowParams } from './window.ts';
import { alignDown } from '../history/bucket.ts';
import { copyPingBucket, mergePing } from '../ping/bucket.ts';

const taskId = z.union([z.string(), z.number().int()]);
export const pingStatsParams = z.object({
  uuid: z.string().optional(),
  entity_id: z.string().optional(),
  entity_ids: z.array(z.string()).optional(),
  task_id: taskId.optional(),
  task_ids: z.array(taskId).optional(),
  ...windowParams,
});
export const pingStatsPositional = ['uuid', 'entity_id', 'entity_ids', 'task_id', 'task_ids', 'start', 'end', 'hours', 'max_points'];

/** Output buckets of one (node, task): stored buckets merged per interval, oldest first. */
function mergedBuckets(rows: readonly PingBucketRow[], seconds: number): PingBucketRow[] {
  const out = new Map<number, PingBucketRow>();
  for (const r of [...rows].sort((a, b) => a.start - b.start)) {
    const start = alignDown(r.start, seconds);
    const into = out.get(start);
    if (into) mergePing(into, r);
    else out.set(start, { ...copyPingBucket(r), start, width: seconds });
  }
  return [...out.values()];
}

function weightedPercentile(values: readonly { v: number; n: number }[], p: number): number {
  const total = values.reduce((s, x) => s + x.n, 0);
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const x of [...values].sort((a, b) => a.v - b.v)) if ((seen += x.n) >= rank) return x.v;
  return 0;
}

/** The figures of one (node, task) over its output buckets (rpc2.md §10.2.3). */
function statsOf(buckets: readonly PingBucketRow[]) {
  const total = buckets.reduce((s, b) => s + b.sent, 0);
  const lost = buckets.reduce((s, b) => s + b.lost, 0);
  const out: Record<string, number> = { total, valid: total - Math.round(lost), loss: (lost / total) * 100 };
  const answered = buckets.filter((b) => b.sent > b.lost).map((b) => ({ v: b.sum / (b.sent - b.lost), n: b.sent - b.lost, b }));
  if (answered.length === 0) return out;
  const n = answered.reduce((s, x) => s + x.n, 0);
  const avg = answered.reduce((s, x) => s + x.v * x.n, 0) / n;
  const p50 = weightedPercentile(answered, 0.5);
  const p99 = weightedPercentile(answered, 0.99);
  const latest = [...buckets].reverse().find((b) => b.last >= 0);
  Object.assign(out, {
    min: Math.min(...answered.map((x) => x.b.min)),
    max: Math.max(...answered.map((x) => x.b.max)),
    avg,
    ...(latest ? { latest: latest.last } : {}),
    p50,
    p99,
    stddev: Math.sqrt(answered.reduce((s, x) => s + x.n * (x.v - avg) ** 2, 0) / n),
    p99_p50_ratio: p50 > 0 && p99 >= p50 ? (p99 - p50) / Math.min(Math.max(p50, 10), 50) : 0,
  });
  return out;
}

/** `public:getPingMetricStats` (rpc2.md §10.2.3) over komari-ts's ping tiers. */
export async function pingMetricStats(app: AppContext, caller: Caller, p: z.output<typeof pingStatsParams>) {
  const now = app.clock.now();
  const w = windowOf(p, now);
  const maxPoints = p.max_points || defaultMaxPoints;
  if (maxPoints <= 0) throw AppError.invalidParams('max points must be a positive integer');
  if (maxPoints > app.limits.metrics.maxPointsPerSeries) throw AppError.invalidParams(`max points must be at most ${app.limits.metrics.maxPointsPerSeries}`);
  const requested = [...new Set([...(p.entity_ids ?? []), p.entity_id, p.uuid].map((s) => s?.trim() ?? '').filter(Boolean))];
  const entities = await entitiesFor(app, caller, requested);
  const { seconds, tier } = rollupInterval(app.ping.history.tiers, w, maxPoints, now);
  if (entities.length === 0) return { start: formatTime(w.start), end: formatTime(w.end), stats: [], count: 0 };
  if (entities.length > app.limits.metrics.maxSeries) throw AppError.invalidParams(`at most ${app.limits.metrics.maxSeries} entities`);
  const tasks = new Set([...(p.task_ids ?? []), ...(p.task_id !== undefined && p.task_id !== '' ? [p.task_id] : [])].map(String));
  const stats: Record<string, unknown>[] = [];
  const reader = new BucketReader(app, caller);
  for (const entity of [...entities].sort()) {
    const rows = await reader.ping(entity, tier.bucketSeconds, Math.floor(w.start / (seconds * 1000)) * seconds * 1000, w.end);
    reader.forget();
    const byTask = new Map<string, PingBucketRow[]>();
    for (const r of rows) {
      if (r.sent === 0 || (tasks.size > 0 && !tasks.has(String(r.task)))) continue;
      const list = byTask.get(String(r.task));
      if (list) list.push(r);
      else byTask.set(String(r.task), [r]);
    }
    for (const id of [...byTask.keys()].sort()) {
      const task = app.ping.task(Number(id));
      const head = task ? { name: task.name, type: task.type, interval: task.interval } : {};
      stats.push({ entity_id: entity, task_id: id, ...head, tags: { task_id: id }, ...statsOf(mergedBuckets(byTask.get(id)!, seconds)) });
    }
  }
  return { start: formatTime(w.start), end: formatTime(w.end), interval_seconds: seconds, stats, count: stats.length };
}
