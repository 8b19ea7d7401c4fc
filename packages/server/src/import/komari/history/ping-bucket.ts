import { emptyPingBucket, foldPing } from '../../../ping/bucket.ts';
import type { PingBucketRow } from '../../../store/types.ts';
import type { Summary } from './summary.ts';

/**
 * One Komari ping bucket (the `ping.latency_ms` and `ping.loss` rows of one task, node,
 * resolution and start; records.md §3.4) as our ping bucket. Komari keeps −1 for a lost probe in
 * the latency summary and 1 in the loss summary, so lost = Σ loss, and the answered values' sum
 * is the latency sum with those −1s taken back out. When the bucket held a loss its latency min is
 * −1 and the least answered value is not in the row: the least of the answered average and the
 * non-negative first and last values stands in (an upper bound of it).
 */
export function pingBucket(task: number, node: string, widthMs: number, start: number, latency: Summary, loss: Summary | undefined): PingBucketRow {
  const b = emptyPingBucket(task, node, widthMs / 1000, start);
  const sent = latency.count;
  let lost: number;
  if (loss) lost = Math.round((loss.sum / loss.count) * sent);
  else if (latency.max < 0) lost = sent;
  else lost = latency.min < 0 ? 1 : 0;
  lost = Math.min(Math.max(lost, 0), sent);
  const answered = sent - lost;
  b.sent = sent;
  b.lost = lost;
  if (answered > 0) {
    b.sum = Math.max(0, latency.sum + lost);
    b.max = Math.max(0, latency.max);
    b.min = latency.min >= 0 ? latency.min : Math.min(b.sum / answered, ...[latency.first, latency.last].filter((v) => v >= 0));
  }
  b.last = latency.last;
  b.lastAt = latency.lastAt;
  return b;
}

/** One legacy `ping_records` row: a single result (ms, −1 lost) at `at`. */
export function legacyPingBucket(task: number, node: string, at: number, value: number): PingBucketRow {
  const b = emptyPingBucket(task, node, 0.001, at);
  foldPing(b, value, at);
  return b;
}
