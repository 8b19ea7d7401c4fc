import type { HistoryRow } from '../store/types.ts';

/**
 * The bounded queue between ingest and the store: buckets that changed since the last write,
 * one entry per (node, width, start). It holds the live bucket, so a bucket folded ten times
 * between two flushes is written once, in its latest state.
 */
export class WriteQueue {
  readonly capacity: number;
  readonly #byNode = new Map<string, Map<string, HistoryRow>>();
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

  add(b: HistoryRow): void {
    let rows = this.#byNode.get(b.node);
    if (!rows) {
      rows = new Map();
      this.#byNode.set(b.node, rows);
    }
    const key = `${b.width}:${b.start}`;
    if (!rows.has(key)) this.#size++;
    rows.set(key, b);
  }

  /** Takes every queued bucket, leaving the queue empty. */
  drain(): HistoryRow[] {
    const out: HistoryRow[] = [];
    for (const rows of this.#byNode.values()) out.push(...rows.values());
    this.#byNode.clear();
    this.#size = 0;
    return out;
  }

  /** Puts back buckets whose write failed; they are retried on the next flush. */
  requeue(buckets: readonly HistoryRow[]): void {
    for (const b of buckets) {
      if (!this.#byNode.get(b.node)?.has(`${b.width}:${b.start}`)) this.add(b);
    }
  }

  /** Queued buckets of one node and width (what reads lay over the stored rows). */
  of(node: string, width: number): HistoryRow[] {
    return [...(this.#byNode.get(node)?.values() ?? [])].filter((b) => b.width === width);
  }

  dropNode(node: string): void {
    this.#size -= this.#byNode.get(node)?.size ?? 0;
    this.#byNode.delete(node);
  }
}
