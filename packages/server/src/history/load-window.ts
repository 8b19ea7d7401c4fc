import { loadRecordTargetPoints, standardIntervalsSeconds, type RetentionTier } from '@komari-ts/protocol';
import type { HistoryRow } from '../store/types.ts';
import { alignDown, copyBucket, merge } from './bucket.ts';
import type { HistoryRecorder } from './recorder.ts';

export interface LoadWindow {
  /** Unix ms, inclusive */
  start: number;
  /** Unix ms, inclusive */
  end: number;
}

export interface OutputInterval {
  /** output bucket width, seconds: a multiple of the backing tier's width */
  seconds: number;
  /** the tier whose rows are read */
  tier: RetentionTier;
}

/**
 * Komari's bucket-size rule (public-api.md §4.2) over our tiers: about 500 points floored to a
 * standard width, then the first tier whose retention still covers the window start (checked
 * against a `now` just after the end, so a window exactly as long as a tier's retention falls to
 * the next tier), and the larger of the two rounded up to a multiple of that tier's width.
 */
export function outputInterval(tiers: readonly RetentionTier[], w: LoadWindow, now: number): OutputInterval {
  const wanted = Math.max(1, Math.ceil((w.end - w.start) / 1000 / loadRecordTargetPoints));
  const i0 = standardIntervalsSeconds.filter((s) => s <= wanted).at(-1) ?? 1;
  const after = Math.max(now, w.end) + 1;
  const tier = tiers.find((t) => after - t.keepHours * 3_600_000 <= w.start) ?? tiers.at(-1)!;
  const width = tier.bucketSeconds;
  return { seconds: Math.ceil(Math.max(i0, width) / width) * width, tier };
}

/**
 * One node's load buckets over a window: the bucket containing the start through the one
 * containing the end (the in-progress one from memory), only buckets with data, oldest first.
 * Tier rows are merged into output buckets; no read ever touches raw samples.
 */
export async function loadBuckets(
  history: HistoryRecorder,
  uuid: string,
  w: LoadWindow,
  now: number,
): Promise<HistoryRow[]> {
  const { seconds, tier } = outputInterval(history.tiers, w, now);
  const rows = await history.buckets(uuid, tier.bucketSeconds, alignDown(w.start, seconds), w.end);
  if (seconds === tier.bucketSeconds) return rows.filter((r) => r.count > 0);
  const out = new Map<number, HistoryRow>();
  for (const r of rows) {
    if (r.count === 0) continue;
    const start = alignDown(r.start, seconds);
    const into = out.get(start);
    if (into) merge(into, r);
    else out.set(start, { ...copyBucket(r), width: seconds, start });
  }
  return [...out.values()];
}
