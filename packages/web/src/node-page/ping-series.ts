// Ping records (public-api.md §6.12: newest first, one per task and bucket, -1 = lost) → a
// latency model with one series per task and a loss model in percent per task.
import { stepOf, timesOf, withGaps, type Cell, type ChartModel } from './chart-model.ts';
import type { PingRecord, PingTaskStats } from './node-wire.ts';

export interface PingTaskLine {
  id: number;
  name: string;
}

/** Tasks in the answer's order, then any task id seen only in records (since unassigned). */
export function pingTasks(records: readonly PingRecord[], tasks: readonly PingTaskStats[]): PingTaskLine[] {
  const out = tasks.map((t) => ({ id: t.id, name: t.name }));
  for (const r of records) {
    const id = r.task_id ?? 0;
    if (!out.some((t) => t.id === id)) out.push({ id, name: `#${id}` });
  }
  return out;
}

const secondsOf = (r: PingRecord) => Math.floor(Date.parse(r.time) / 1000);

/** Latency in ms; a lost probe is a gap, a bucket another task has but this one lacks is spanned. */
export function latencyModel(records: readonly PingRecord[], tasks: readonly PingTaskLine[]): ChartModel {
  const xs = timesOf(records.map((r) => r.time));
  const index = new Map(xs.map((x, i) => [x, i]));
  const series = tasks.map((t) => {
    const values: Cell[] = new Array<Cell>(xs.length).fill(undefined);
    for (const r of records) {
      if ((r.task_id ?? 0) === t.id) values[index.get(secondsOf(r))!] = r.value >= 0 ? r.value : null;
    }
    return { label: t.name, values };
  });
  return withGaps({ xs, series });
}

/**
 * Loss per task in bins of about 1/60 of the window (at least one bucket): each record is the
 * bucket's last probe, so a bin's loss is the share of its records that were lost.
 */
export function lossModel(records: readonly PingRecord[], tasks: readonly PingTaskLine[], hours: number): ChartModel {
  const bucket = stepOf(timesOf(records.map((r) => r.time))) ?? 60;
  const bin = Math.max(1, Math.ceil((hours * 3600) / 60 / bucket)) * bucket;
  const counts = new Map<number, Map<number, { lost: number; all: number }>>();
  for (const r of records) {
    const x = Math.floor(secondsOf(r) / bin) * bin;
    const perTask = counts.get(x) ?? new Map<number, { lost: number; all: number }>();
    counts.set(x, perTask);
    const c = perTask.get(r.task_id ?? 0) ?? { lost: 0, all: 0 };
    perTask.set(r.task_id ?? 0, c);
    c.all++;
    if (r.value < 0) c.lost++;
  }
  const xs = [...counts.keys()].sort((a, b) => a - b);
  const series = tasks.map((t) => ({
    label: t.name,
    values: xs.map((x): Cell => {
      const c = counts.get(x)!.get(t.id);
      return c ? (100 * c.lost) / c.all : undefined;
    }),
  }));
  return withGaps({ xs, series });
}
