import { forEachSlot } from '../store/history-slots.ts';
import type { HistoryGroupQuery, HistoryRow, HistorySlotBlock, HistoryStore } from '../store/types.ts';
import { alignDown, copyBucket, merge } from './bucket.ts';
import { allocateTargets, pickIndices } from './downsample.ts';
import { outputInterval, type LoadWindow } from './load-window.ts';
import type { HistoryRecorder } from './recorder.ts';

/** One output bucket's rows (samples only, oldest first) and its start. */
type Group = { start: number; rows: HistoryRow[] };

interface PlannedNode {
  uuid: string;
  /** its stored groups before the tail, oldest first: their starts, from the slot blocks */
  stored: number[];
  tail: Group[];
  /** indices kept of its stored groups and tail groups, in that order */
  picks: number[];
}

/** What a read over many nodes keeps, before any row is read: built by planFleetRead. */
export interface FleetPlan {
  /** the stored groups before the tail */
  stored: HistoryGroupQuery;
  /** output bucket width, seconds */
  seconds: number;
  nodes: PlannedNode[];
  /** points the answer keeps in all */
  points: number;
}

/** A node's groups from the tail on, oldest first: rows with samples only, memory over stored. */
function tailGroups(stored: readonly HistoryRow[], memory: readonly HistoryRow[], seconds: number): Map<string, Group[]> {
  const byNode = new Map<string, Map<number, HistoryRow>>();
  for (const r of [...stored, ...memory]) {
    let rows = byNode.get(r.node);
    if (!rows) byNode.set(r.node, (rows = new Map()));
    rows.set(r.start, r);
  }
  const out = new Map<string, Group[]>();
  for (const [node, rows] of byNode) {
    const groups: Group[] = [];
    for (const r of [...rows.values()].filter((b) => b.count > 0).sort((a, b) => a.start - b.start)) {
      const start = alignDown(r.start, seconds);
      const last = groups.at(-1);
      if (last?.start === start) last.rows.push(r);
      else groups.push({ start, rows: [r] });
    }
    out.set(node, groups);
  }
  return out;
}

/** A node's stored groups from its slot blocks: each distinct output bucket start, oldest first. */
function storedGroups(blocks: readonly HistorySlotBlock[], q: HistoryGroupQuery, seconds: number): number[] {
  const out: number[] = [];
  forEachSlot(blocks, q.width, q.from, q.to, (start) => {
    const g = alignDown(start, seconds);
    if (out.at(-1) !== g) out.push(g);
  });
  return out;
}

/**
 * common:getRecords over many nodes (rpc2.md §10.1), planned before any bucket is read: Komari's
 * output buckets (history/load-window.ts) of every node, reduced to `maxCount` points with its
 * rule. The stored buckets are counted, and the n-th one found, in history_slots (32 buckets a
 * row); only the rows of the kept points are read afterwards (readFleetPlan), so a month of
 * 1,000 nodes reads ~24,000 slot rows and ~4,000 buckets, not 720,000 buckets. Buckets still in
 * memory lie in the newest groups: the groups from the oldest of them on (the tail, a bucket or
 * two per node) are read whole and laid over as history.buckets() does.
 */
export async function planFleetRead(
  history: HistoryRecorder,
  store: HistoryStore,
  uuids: readonly string[],
  w: LoadWindow,
  now: number,
  maxCount: number,
): Promise<FleetPlan> {
  const { seconds, tier } = outputInterval(history.tiers, w, now);
  const width = tier.bucketSeconds;
  const from = alignDown(w.start, seconds);
  const memory = history.memoryBuckets(width, from, w.end);
  const tailFrom = memory.reduce((t, b) => Math.min(t, alignDown(b.start, seconds)), Infinity);
  const stored: HistoryGroupQuery = { width, from, to: Math.min(w.end, tailFrom - 1), groupMs: seconds * 1000 };
  const slots = stored.to >= from ? await store.slots(width, stored.from, stored.to) : new Map<string, HistorySlotBlock[]>();
  const tails = tailFrom <= w.end ? tailGroups(await store.rangeAll(width, tailFrom, w.end), memory, seconds) : new Map<string, Group[]>();
  const nodes = uuids
    .map((uuid): PlannedNode => ({ uuid, stored: storedGroups(slots.get(uuid) ?? [], stored, seconds), tail: tails.get(uuid) ?? [], picks: [] }))
    .filter((n) => n.stored.length + n.tail.length > 0);
  const targets = allocateTargets(nodes.map((n) => n.stored.length + n.tail.length), maxCount);
  let points = 0;
  nodes.forEach((n, i) => {
    n.picks = pickIndices(n.stored.length + n.tail.length, targets[i]!);
    points += n.picks.length;
  });
  return { stored, seconds, nodes, points };
}

/** One output bucket from a group's rows (samples only, oldest first), as loadBuckets merges them. */
function outputBucket(rows: readonly HistoryRow[], seconds: number, start: number): HistoryRow {
  const first = rows[0]!;
  if (rows.length === 1 && first.width === seconds) return first;
  const out = { ...copyBucket(first), width: seconds, start };
  for (const r of rows.slice(1)) merge(out, r);
  return out;
}

/** Reads the rows of the kept points: each node's kept output buckets, oldest first, in plan order. */
export async function readFleetPlan(store: HistoryStore, plan: FleetPlan): Promise<[string, HistoryRow[]][]> {
  const starts = new Map<string, number[]>();
  for (const n of plan.nodes) {
    const kept = n.picks.filter((i) => i < n.stored.length).map((i) => n.stored[i]!);
    if (kept.length > 0) starts.set(n.uuid, kept);
  }
  const rows = starts.size > 0 ? await store.groupRows(plan.stored, starts) : [];
  const byGroup = new Map<string, HistoryRow[]>();
  for (const r of rows) {
    if (r.count === 0) continue;
    const key = `${r.node}\u0000${alignDown(r.start, plan.seconds)}`;
    const list = byGroup.get(key);
    if (list) list.push(r);
    else byGroup.set(key, [r]);
  }
  // oldest first within a group, as loadBuckets merges them (the store gives no order)
  for (const list of byGroup.values()) if (list.length > 1) list.sort((a, b) => a.start - b.start);
  return plan.nodes.map((n) => {
    const out: HistoryRow[] = [];
    for (const start of starts.get(n.uuid) ?? []) {
      const group = byGroup.get(`${n.uuid}\u0000${start}`);
      // a group pruned between the plan and this read is left out
      if (group) out.push(outputBucket(group, plan.seconds, start));
    }
    for (const i of n.picks) {
      const g = n.tail[i - n.stored.length];
      if (g) out.push(outputBucket(g.rows, plan.seconds, g.start));
    }
    return [n.uuid, out];
  });
}
