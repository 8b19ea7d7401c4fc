import { setImmediate as yieldToLoop } from 'node:timers/promises';

/**
 * Rows per transaction when a flush writes history. node:sqlite is synchronous: one transaction
 * of 40,000 rows (10,000 nodes at a minute boundary) holds the event loop for ~200 ms, so sockets,
 * dashboards and agents wait. A chunk of this size takes ~2 ms; commits are cheap in WAL mode
 * with synchronous=NORMAL (no fsync per commit).
 */
export const rowsPerChunk = 250;

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
  /** drained by a flush that is still writing: reads must still see them */
  #inFlight = new Map<string, Map<string, R>>();
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

  /**
   * Writes every queued bucket in transactions of `rowsPerChunk`, yielding to the event loop in
   * between. Each chunk is copied just before its write, so it carries the latest folds (a fold
   * also queues its bucket again). Until the flush ends, reads (`of`) still see the drained
   * buckets. When a chunk fails, it and every chunk not yet written are queued again and the
   * error is thrown; chunks already written stay written.
   */
  async flush(copy: (row: R) => R, write: (rows: R[]) => Promise<unknown>): Promise<void> {
    const live: R[] = [];
    for (const rows of this.#byGroup.values()) live.push(...rows.values());
    this.#inFlight = new Map(this.#byGroup);
    this.#byGroup.clear();
    this.#size = 0;
    try {
      for (let i = 0; i < live.length; i += rowsPerChunk) {
        try {
          await write(live.slice(i, i + rowsPerChunk).map(copy));
        } catch (err) {
          this.requeue(live.slice(i));
          throw err;
        }
        if (i + rowsPerChunk < live.length) await yieldToLoop();
      }
    } finally {
      this.#inFlight = new Map();
    }
  }

  /** Puts back buckets whose write failed, unless a newer state was queued since. */
  requeue(buckets: readonly R[]): void {
    for (const b of buckets) {
      if (!this.#byGroup.get(this.#groupOf(b))?.has(`${b.width}:${b.start}`)) this.add(b);
    }
  }

  /** Queued (and in-flight) buckets of one group and width: what reads lay over the stored rows. */
  of(group: string, width: number): R[] {
    const queued = this.#byGroup.get(group);
    const flying = this.#inFlight.get(group);
    const out = [...(queued?.values() ?? [])];
    if (flying) for (const [at, b] of flying) if (!queued?.has(at)) out.push(b);
    return out.filter((b) => b.width === width);
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
    for (const [group, rows] of this.#inFlight) {
      const first = rows.values().next().value;
      if (first && match(first)) this.#inFlight.delete(group);
    }
  }
}
