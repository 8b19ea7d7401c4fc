import { alignDown } from '../history/bucket.ts';
import type { PingBucketRow } from '../store/types.ts';

export { alignDown };

/** Key of one (task, node) series; uuids hold no colon. */
export function seriesKey(task: number, node: string): string {
  return `${task}:${node}`;
}

export { bucketEnd } from '../util/bucket-ladder.ts';

export function emptyPingBucket(task: number, node: string, width: number, start: number): PingBucketRow {
  return { task, node, width, start, sent: 0, lost: 0, sum: 0, min: 0, max: 0, last: 0, lastAt: 0 };
}

export function copyPingBucket(b: PingBucketRow): PingBucketRow {
  return { ...b };
}

/** Results that were answered (not lost): what min, max and sum cover. */
export function answered(b: Pick<PingBucketRow, 'sent' | 'lost'>): number {
  return b.sent - b.lost;
}

/** Folds one result (ms; negative = lost) received at `at`. */
export function foldPing(b: PingBucketRow, value: number, at: number): void {
  if (value < 0) {
    b.lost++;
  } else {
    b.min = answered(b) === 0 ? value : Math.min(b.min, value);
    b.max = answered(b) === 0 ? value : Math.max(b.max, value);
    b.sum += value;
  }
  b.sent++;
  if (at >= b.lastAt) {
    b.last = value;
    b.lastAt = at;
  }
}

/** Adds a bucket's summary into a wider (or equal) one: counts and sums add, min/max combine, last by time. */
export function mergePing(into: PingBucketRow, from: PingBucketRow): void {
  if (from.sent === 0) return;
  if (answered(from) > 0) {
    into.min = answered(into) === 0 ? from.min : Math.min(into.min, from.min);
    into.max = answered(into) === 0 ? from.max : Math.max(into.max, from.max);
    into.sum += from.sum;
  }
  into.sent += from.sent;
  into.lost += from.lost;
  if (from.lastAt >= into.lastAt) {
    into.last = from.last;
    into.lastAt = from.lastAt;
  }
}
