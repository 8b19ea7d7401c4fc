import type { PingBucketRow, PingSeriesFilter } from '../store/types.ts';
import { seriesKey } from './bucket.ts';

/**
 * The bounded queue between ping results and the store (the design of history/write-queue.ts):
 * buckets changed since the last write, one entry per (series, width, start), holding the live
 * bucket, so a bucket folded many times between two flushes is written once.
 */
export class PingWriteQueue {
  readonly capacity: number;
  readonly #bySeries = new Map<string, Map<string, PingBucketRow>>();
  #size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.#size;
  }

  get full(): boolean {
    return this.#size >= this.capacity;
  }

  add(b: PingBucketRow): void {
    const key = seriesKey(b.task, b.node);
    let rows = this.#bySeries.get(key);
    if (!rows) this.#bySeries.set(key, (rows = new Map()));
    const at = `${b.width}:${b.start}`;
    if (!rows.has(at)) this.#size++;
    rows.set(at, b);
  }

  /** Takes every queued bucket, leaving the queue empty. */
  drain(): PingBucketRow[] {
    const out: PingBucketRow[] = [];
    for (const rows of this.#bySeries.values()) out.push(...rows.values());
    this.#bySeries.clear();
    this.#size = 0;
    return out;
  }

  /** Puts back buckets whose write failed; they are retried on the next flush. */
  requeue(buckets: readonly PingBucketRow[]): void {
    for (const b of buckets) {
      if (!this.#bySeries.get(seriesKey(b.task, b.node))?.has(`${b.width}:${b.start}`)) this.add(b);
    }
  }

  /** Queued buckets of one series and width (what reads lay over the stored rows). */
  of(key: string, width: number): PingBucketRow[] {
    return [...(this.#bySeries.get(key)?.values() ?? [])].filter((b) => b.width === width);
  }

  /** Drops the queued buckets of every series the filter matches. */
  drop(filter: PingSeriesFilter): void {
    for (const [key, rows] of this.#bySeries) {
      const b = rows.values().next().value;
      if (b && matches(filter, b.task, b.node)) {
        this.#size -= rows.size;
        this.#bySeries.delete(key);
      }
    }
  }
}

export function matches(filter: PingSeriesFilter, task: number, node: string): boolean {
  return (filter.task === undefined || filter.task === task) && (filter.node === undefined || filter.node === node);
}
