import type { PingBucketRow, PingTaskRow } from '../store/types.ts';
import { formatTime } from '../util/time.ts';
import { exactStats, groupBy } from './stats.ts';

/** Komari's ping record: the bucket's last value, at the bucket start (public-api.md §4.3). */
export function pingRecord(r: PingBucketRow) {
  return { task_id: r.task, time: formatTime(r.start), value: r.last, client: r.node };
}

/** `basic_info`: one entry per node present in the rows, exact loss, min and max. */
export function basicInfo(rows: readonly PingBucketRow[]) {
  return [...groupBy(rows, (r) => r.node)].map(([client, list]) => {
    const s = exactStats(list);
    return { client, loss: s.loss, min: s.min, max: s.max };
  });
}

/** The task fields every ping read shows; `target` is never exposed there. */
export function taskHead(t: PingTaskRow) {
  return { id: t.id, name: t.name, type: t.type, interval: t.interval, default_on: t.defaultOn };
}

/** Tasks of the answer: matching `task` when given, and assigned to `node` when given. */
export function tasksFor(all: readonly PingTaskRow[], task: number | undefined, node: string | undefined): PingTaskRow[] {
  return all.filter((t) => (task === undefined || t.id === task) && (node === undefined || t.clients.includes(node)));
}

/**
 * The task with hidden nodes left out of `clients`. Komari lists them to everyone; here only an
 * admin learns that a hidden node exists (issue 12 §2). The shape is unchanged.
 */
export function withoutHiddenClients(t: PingTaskRow, hidden: ReadonlySet<string>): PingTaskRow {
  return hidden.size === 0 ? t : { ...t, clients: t.clients.filter((uuid) => !hidden.has(uuid)) };
}

/** Nodes a guest may not see (hidden), empty for admins. */
export function hiddenSet(nodes: readonly { uuid: string; hidden: boolean }[], admin: boolean): Set<string> {
  return admin ? new Set() : new Set(nodes.filter((n) => n.hidden).map((n) => n.uuid));
}
