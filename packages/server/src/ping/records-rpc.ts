import { defaultRecordsMaxCount } from '@komari-ts/protocol';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { allocateTargets, pickEvenly } from '../history/downsample.ts';
import type { LoadWindow } from '../history/load-window.ts';
import { isAdmin, type Caller } from '../rpc/caller.ts';
import type { PingBucketRow, PingTaskRow } from '../store/types.ts';
import { formatTime } from '../util/time.ts';
import { exactStats, groupBy, latestValue, tailStats } from './stats.ts';
import { basicInfo, hiddenSet, pingRecord, taskHead, tasksFor, withoutHiddenClients } from './wire.ts';
import { pingBuckets } from './window.ts';

export interface PingRecordsParams {
  /** '' or absent = every visible node */
  uuid?: string;
  /** 0, absent or negative = every task */
  task_id?: number;
  /** 0 → 4000; negative → no reduction */
  maxCount?: number;
}

/** A task with its statistics over its rows, before the maxCount reduction (rpc2.md §10.1). */
function taskEntry(t: PingTaskRow, rows: readonly PingBucketRow[], withClients: boolean) {
  const mine = rows.filter((r) => r.task === t.id);
  const s = exactStats(mine);
  const tail = tailStats(mine);
  const entry = {
    ...taskHead(t),
    loss: s.loss, min: s.min, max: s.max, avg: s.avg, latest: latestValue(mine), total: mine.length,
    p50: tail.p50, p99: tail.p99, p99_p50_ratio: tail.ratio,
  };
  return withClients ? { ...entry, clients: t.clients } : entry;
}

/** maxCount, shared across tasks in proportion to their records; then everything oldest first. */
function reduce(rows: readonly PingBucketRow[], maxCount: number | undefined): PingBucketRow[] {
  const groups = [...groupBy(rows, (r) => r.task).values()];
  const targets = allocateTargets(groups.map((g) => g.length), maxCount || defaultRecordsMaxCount);
  return groups.flatMap((g, i) => pickEvenly(g, targets[i]!)).sort((a, b) => a.start - b.start);
}

/**
 * common:getRecords type=ping: Komari's shape (bucket last values, ascending, `tasks` always
 * present), with loss, min, max and avg exact from the bucket counts and sums; percentiles over
 * the bucket values, as Komari computes them.
 */
export async function pingRecordsRpc(app: AppContext, caller: Caller, p: PingRecordsParams, w: LoadWindow, now: number) {
  if (w.start > w.end) throw AppError.internal('Failed to fetch records', 'start time is after end time');
  const task = p.task_id && p.task_id > 0 ? p.task_id : undefined;
  const node = p.uuid || undefined;
  const hidden = hiddenSet(await app.store.nodes.list(), isAdmin(caller));
  const rows = (await pingBuckets(app.ping.history, { task, node }, w, now))
    .filter((r) => !hidden.has(r.node))
    .sort((a, b) => a.start - b.start || a.node.localeCompare(b.node));
  const kept = reduce(rows, p.maxCount);
  const out: Record<string, unknown> = { count: kept.length };
  if (rows.length > 0) out.basic_info = basicInfo(rows);
  out.records = kept.map(pingRecord);
  out.tasks = tasksFor(app.ping.tasks(), task, node).map((t) => taskEntry(withoutHiddenClients(t, hidden), rows, task !== undefined && !node));
  out.from = formatTime(w.start);
  out.to = formatTime(w.end);
  return out;
}
