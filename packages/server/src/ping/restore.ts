import type { RetentionTier } from '@komari-ts/protocol';
import type { PingBucketRow, PingHistoryStore } from '../store/types.ts';
import { alignDown, bucketEnd, emptyPingBucket, mergePing } from './bucket.ts';

/** What the ping engine holds per (task, node) series: the open bucket of each tier, finest first. */
export interface PingSeries {
  task: number;
  node: string;
  /** open[0] takes results; open[k > 0] holds the closed finest buckets of its span merged so far */
  open: (PingBucketRow | undefined)[];
  /** end of the newest closed finest bucket: a later result never lands before it */
  closedUntil: number;
}

export interface RestoredSeries {
  series: PingSeries;
  /** coarse buckets that took in stranded finest buckets and must be written */
  dirty: PingBucketRow[];
}

/**
 * A series after a start, as history/restore.ts does it for load (decision 6: partial buckets
 * survive a restart): the bucket of each tier that contains `now` keeps folding, and finest
 * buckets that closed while the server was down are merged into the coarse tiers now.
 */
export async function restoreSeries(
  store: PingHistoryStore,
  tiers: readonly RetentionTier[],
  key: { task: number; node: string },
  now: number,
): Promise<RestoredSeries | undefined> {
  const latest = await Promise.all(tiers.map((t) => store.latest(key.task, key.node, t.bucketSeconds)));
  const fine = latest[0];
  if (!latest.some(Boolean)) return undefined;
  const series: PingSeries = {
    ...key,
    open: latest.map((r) => (r && r.start <= now && now < bucketEnd(r) ? r : undefined)),
    // a finest row later than now means the clock went back while down: stay after it
    closedUntil: fine && fine.start > now ? bucketEnd(fine) : 0,
  };
  const dirty = tiers.length > 1 ? await mergeStranded(store, tiers, series, latest[1], now) : [];
  return { series, dirty };
}

/** Finest rows with results newer than the newest second-tier row, closed by now, go up a tier. */
async function mergeStranded(
  store: PingHistoryStore,
  tiers: readonly RetentionTier[],
  s: PingSeries,
  coarseLatest: PingBucketRow | undefined,
  now: number,
): Promise<PingBucketRow[]> {
  const fine = tiers[0]!.bucketSeconds;
  const mergedUpTo = coarseLatest?.lastAt ?? -Infinity;
  const from = coarseLatest ? alignDown(mergedUpTo, fine) : 0;
  const filter = { task: s.task, node: s.node };
  const stranded = (await store.range(filter, fine, from, now)).filter((m) => m.lastAt > mergedUpTo && bucketEnd(m) <= now);
  const targets = new Map<string, PingBucketRow>();
  for (const m of stranded) {
    for (let k = 1; k < tiers.length; k++) {
      const width = tiers[k]!.bucketSeconds;
      const start = alignDown(m.start, width);
      let target = targets.get(`${width}:${start}`);
      if (!target) {
        const open = s.open[k];
        target = open?.start === start ? open : ((await store.range(filter, width, start, start))[0] ?? emptyPingBucket(s.task, s.node, width, start));
        targets.set(`${width}:${start}`, target);
        // A bucket of the current span becomes the open one, or the next merge would start afresh.
        if (bucketEnd(target) > now) s.open[k] = target;
      }
      mergePing(target, m);
    }
  }
  return [...targets.values()];
}
