import type { HistoryRow } from '../store/types.ts';
import { BucketWriteQueue } from '../util/bucket-write-queue.ts';

/** The load-history write queue: buckets grouped by node. */
export class WriteQueue extends BucketWriteQueue<HistoryRow> {
  constructor(capacity: number) {
    super(capacity, (row) => row.node);
  }

  dropNode(node: string): void {
    this.dropWhere((row) => row.node === node);
  }
}
