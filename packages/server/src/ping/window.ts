import { standardIntervalsSeconds, type RetentionTier } from '@komari-ts/protocol';
import type { LoadWindow, OutputInterval } from '../history/load-window.ts';
import type { PingBucketRow, PingSeriesFilter } from '../store/types.ts';
import { alignDown, copyPingBucket, mergePing, seriesKey } from './bucket.ts';
import type { PingHistory } from './engine.ts';
import { pingLimits } from './limits.ts';

/**
 * Komari's ping bucket rule (public-api.md §4.3): the load rule of history/load-window.ts with
 * about 4000 points instead of 500, so in practice the backing tier's width.
 */
export function pingInterval(tiers: readonly RetentionTier[], w: LoadWindow, now: number): OutputInterval {
  const wanted = Math.max(1, Math.ceil((w.end - w.start) / 1000 / pingLimits.recordTargetPoints));
  const i0 = standardIntervalsSeconds.filter((s) => s <= wanted).at(-1) ?? 1;
  const after = Math.max(now, w.end) + 1;
  const tier = tiers.find((t) => after - t.keepHours * 3_600_000 <= w.start) ?? tiers.at(-1)!;
  const width = tier.bucketSeconds;
  return { seconds: Math.ceil(Math.max(i0, width) / width) * width, tier };
}

/**
 * The ping buckets of the matching series over a window, oldest first: the bucket containing the
 * start through the in-progress one, only buckets with results, tier rows merged into output
 * buckets when the output is wider than the tier.
 */
export async function pingBuckets(history: PingHistory, filter: PingSeriesFilter, w: LoadWindow, now: number): Promise<PingBucketRow[]> {
  const { seconds, tier } = pingInterval(history.tiers, w, now);
  const rows = (await history.buckets(filter, tier.bucketSeconds, alignDown(w.start, seconds), w.end)).filter((r) => r.sent > 0);
  if (seconds === tier.bucketSeconds) return rows;
  const out = new Map<string, PingBucketRow>();
  for (const r of rows) {
    const start = alignDown(r.start, seconds);
    const key = `${seriesKey(r.task, r.node)}:${start}`;
    const into = out.get(key);
    if (into) mergePing(into, r);
    else out.set(key, { ...copyPingBucket(r), width: seconds, start });
  }
  return [...out.values()];
}
