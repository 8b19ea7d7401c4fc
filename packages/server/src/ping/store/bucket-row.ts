import type { PingBucketRow } from '../../store/types.ts';

/** A ping bucket as both engines hand it back (pg gives BIGINT as a string): Number() reads either. */
export function toRow(d: Record<string, unknown>): PingBucketRow {
  return {
    task: Number(d.task),
    node: String(d.node),
    width: Number(d.width),
    start: Number(d.start),
    sent: Number(d.sent),
    lost: Number(d.lost),
    sum: Number(d.sum),
    min: Number(d.min),
    max: Number(d.max),
    last: Number(d.last),
    lastAt: Number(d.last_at),
  };
}
