/**
 * The bounded queue between a history engine and the store: buckets changed since the last write,
 * one entry per (group, width, start), where a group is a node (load history) or a task/node
 * series (ping history). It holds the live bucket, so a bucket folded many times between two
 * flushes is written once, in its latest state.
 */
export class BucketWriteQueue<R extends { width: number; start: number }> {
  readonly capacity: number;
  readonly #groupOf: (row: R) => string;
  readonly #byGroup = new Map<string, Map<string, R>>();
  #size = 0;

  constructor(capacity: number, groupOf: (row: R) => string) {
    this.capacity = capacity;
    this.#groupOf = groupOf;
  }

  get size(): number {
    return this.#size;
  }

  get full(): boolean {
    return this.#size >= this.capacity;
  }

  add(b: R): void {
    const group = this.#groupOf(b);
    let rows = this.#byGroup.get(group);
    if (!rows) this.#byGroup.set(group, (rows = new Map()));
    const at = `${b.width}:${b.start}`;
    if (!rows.has(at)) this.#size++;
    rows.set(at, b);
  }

  /** Takes every queued bucket, leaving the queue empty. */
  drain(): R[] {
    const out: R[] = [];
    for (const rows of this.#byGroup.values()) out.push(...rows.values());
    this.#byGroup.clear();
    this.#size = 0;
    return out;
  }

  /** Puts back buckets whose write failed, unless a newer state was queued since. */
  requeue(buckets: readonly R[]): void {
    for (const b of buckets) {
      if (!this.#byGroup.get(this.#groupOf(b))?.has(`${b.width}:${b.start}`)) this.add(b);
    }
  }

  /** Queued buckets of one group and width (what reads lay over the stored rows). */
  of(group: string, width: number): R[] {
    return [...(this.#byGroup.get(group)?.values() ?? [])].filter((b) => b.width === width);
  }

  /** Drops the queued buckets of every group whose first bucket matches. */
  dropWhere(match: (row: R) => boolean): void {
    for (const [group, rows] of this.#byGroup) {
      const first = rows.values().next().value;
      if (first && match(first)) {
        this.#size -= rows.size;
        this.#byGroup.delete(group);
      }
    }
  }
}
