import type { PingBucketRow, PingSeriesFilter } from '../store/types.ts';
import { BucketWriteQueue } from '../util/bucket-write-queue.ts';
import { seriesKey } from './bucket.ts';

/** The ping-history write queue: buckets grouped by (task, node) series. */
export class PingWriteQueue extends BucketWriteQueue<PingBucketRow> {
  constructor(capacity: number) {
    super(capacity, (row) => seriesKey(row.task, row.node));
  }

  /** Drops the queued buckets of every series the filter matches. */
  drop(filter: PingSeriesFilter): void {
    this.dropWhere((row) => matches(filter, row.task, row.node));
  }
}

export function matches(filter: PingSeriesFilter, task: number, node: string): boolean {
  return (filter.task === undefined || filter.task === task) && (filter.node === undefined || filter.node === node);
}
