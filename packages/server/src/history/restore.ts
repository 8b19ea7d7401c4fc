import type { RetentionTier } from '@komari-ts/protocol';
import type { HistoryRow, HistoryStore } from '../store/types.ts';
import { alignDown, bucketEnd, emptyBucket, merge } from './bucket.ts';
import type { TrafficBaseline } from './traffic.ts';

/** What the recorder holds per node: the open bucket of each tier (finest first) and the counters. */
export interface NodeHistory {
  uuid: string;
  /**
   * open[0] is the bucket samples fold into. open[k > 0] holds the closed finest buckets of its
   * span merged so far; the open finest bucket joins it when it closes.
   */
  open: (HistoryRow | undefined)[];
  /** end of the newest closed finest bucket: a later sample never lands before it */
  closedUntil: number;
  baseline: TrafficBaseline;
}

export interface Restored {
  node: NodeHistory;
  /** coarse buckets that took in stranded finest buckets and must be written */
  dirty: HistoryRow[];
}

/**
 * A node's state after a start (decision 6: partial buckets survive a restart, Komari loses
 * them). The bucket of each tier that contains `now` is read back and keeps folding; the traffic
 * baseline is the newest stored sample's counters, so the first delta after a restart is not a
 * spike (records.md §3.3); finest buckets that closed while the server was down are merged into
 * the coarse tiers now. Undefined when the node has no history.
 */
export async function restoreNode(
  store: HistoryStore,
  tiers: readonly RetentionTier[],
  uuid: string,
  now: number,
): Promise<Restored | undefined> {
  const latest = await Promise.all(tiers.map((t) => store.latest(uuid, t.bucketSeconds)));
  const newest = latest.reduce<HistoryRow | undefined>((a, r) => (r && (!a || r.lastAt > a.lastAt) ? r : a), undefined);
  if (!newest) return undefined;
  const fine = latest[0];
  const node: NodeHistory = {
    uuid,
    open: latest.map((r) => (r && r.start <= now && now < bucketEnd(r) ? r : undefined)),
    // a finest row later than now means the clock went back while down: stay after it
    closedUntil: fine && fine.start > now ? bucketEnd(fine) : 0,
    // No uptime: the reboot check is skipped for the first sample after a restart, as in Komari.
    baseline: { up: newest.netTotalUp, down: newest.netTotalDown },
  };
  const dirty = tiers.length > 1 ? await mergeStranded(store, tiers, node, latest[1], now) : [];
  return { node, dirty };
}

/**
 * A finest bucket is merged into the coarse tiers when it closes, and all coarse tiers take it in
 * the same transaction; so the newest second-tier row tells how far merging got. Finest rows with
 * later samples that have closed by now were stranded by a stop or a crash inside their span.
 */
async function mergeStranded(
  store: HistoryStore,
  tiers: readonly RetentionTier[],
  node: NodeHistory,
  coarseLatest: HistoryRow | undefined,
  now: number,
): Promise<HistoryRow[]> {
  const fine = tiers[0]!.bucketSeconds;
  const mergedUpTo = coarseLatest?.lastAt ?? -Infinity;
  const from = coarseLatest ? alignDown(mergedUpTo, fine) : 0;
  const stranded = (await store.range(node.uuid, fine, from, now)).filter((m) => m.lastAt > mergedUpTo && bucketEnd(m) <= now);
  const targets = new Map<string, HistoryRow>();
  for (const m of stranded) {
    for (let k = 1; k < tiers.length; k++) {
      const width = tiers[k]!.bucketSeconds;
      const start = alignDown(m.start, width);
      const key = `${width}:${start}`;
      let target = targets.get(key);
      if (!target) {
        const open = node.open[k];
        target = open?.start === start ? open : ((await store.range(node.uuid, width, start, start))[0] ?? emptyBucket(node.uuid, width, start));
        targets.set(key, target);
        // A bucket of the current span becomes the open one, or the next merge would start afresh.
        if (bucketEnd(target) > now) node.open[k] = target;
      }
      merge(target, m);
    }
  }
  return [...targets.values()];
}
