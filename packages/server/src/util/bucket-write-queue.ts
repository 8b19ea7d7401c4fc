import { setImmediate as yieldToLoop } from 'node:timers/promises';

/**
 * Rows per transaction when a flush writes history. node:sqlite is synchronous: one transaction
 * of 40,000 rows (10,000 nodes at a minute boundary) holds the event loop for ~200 ms, so sockets,
 * dashboards and agents wait. A chunk of this size takes ~2 ms; commits are cheap in WAL mode
 * with synchronous=NORMAL (no fsync per commit).
 */
export const rowsPerChunk = 250;

/**
 * A flush writes chunks back to back for this long, then lets the event loop run. Yielding after
 * every chunk starved flushes under overload: each yield waits for a whole poll phase, which with
 * 10,000 busy sockets lasts seconds (libuv takes up to 48 × 1,024 ready events in one), and at
 * 10,000 agents history fell to 0.2 transactions a second (BENCHMARKS.md, a quiet machine).
 */
export const flushSliceMs = 10;

/**
 * A yield that waited longer than this says the loop is congested (an overloaded fleet): the rest
 * of the flush is written back to back, since every further yield would wait as long and a flush
 * that never finishes loses more than a loop held for one flush (~150 ms for 10,000 nodes).
 */
export const congestedYieldMs = 100;

interface Entry<R> {
  key: string;
  group: string;
  /** `${width}:${start}` */
  at: string;
  row: R;
  /** bumped by every change: a write of an older state does not take the entry off the queue */
  version: number;
}

export interface FlushOptions {
  /** a chunk whose write has not answered after this long counts as failed (a stop's last flush) */
  stallMs?: number;
  /** how long chunks are written back to back before the event loop runs (flushSliceMs) */
  sliceMs?: number;
  /** the clock slices are measured with (tests) */
  now?: () => number;
}

/** `p`, or a rejection once `ms` pass first; `p`'s own later failure is then ignored. */
function within<T>(p: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return p;
  p.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, stalled]).finally(() => clearTimeout(timer));
}

/**
 * The bounded buffer between a history engine and the store: buckets changed since they were last
 * written, one entry per (group, width, start), where a group is a node (load history) or a
 * task/node series (ping history). It holds the live bucket, so a bucket folded many times between
 * two flushes is written once, in its latest state. A bucket leaves only once a write of its
 * latest state succeeded, so a failing database (full disk, PostgreSQL down) keeps everything
 * until it comes back, up to `capacity`: past it the bucket changed longest ago is dropped and
 * counted (`takeDropped`). Open buckets change all the time and are never the ones dropped first;
 * a dropped closed bucket's figures live on in the coarser tiers it was merged into.
 */
export class BucketWriteQueue<R extends { width: number; start: number }> {
  readonly capacity: number;
  readonly #groupOf: (row: R) => string;
  /** every unwritten bucket, the one changed longest ago first */
  readonly #order = new Map<string, Entry<R>>();
  readonly #byGroup = new Map<string, Map<string, Entry<R>>>();
  #dropped = 0;

  constructor(capacity: number, groupOf: (row: R) => string) {
    this.capacity = Math.max(1, capacity);
    this.#groupOf = groupOf;
  }

  get size(): number {
    return this.#order.size;
  }

  /** Buckets dropped to stay within capacity since the last call. */
  takeDropped(): number {
    const n = this.#dropped;
    this.#dropped = 0;
    return n;
  }

  add(b: R): void {
    const group = this.#groupOf(b);
    const at = `${b.width}:${b.start}`;
    const key = `${group}\n${at}`;
    const old = this.#order.get(key);
    if (old) {
      // to the end: changed last
      this.#order.delete(key);
      old.row = b;
      old.version++;
      this.#order.set(key, old);
      return;
    }
    if (this.#order.size >= this.capacity) this.#dropOldest();
    const e: Entry<R> = { key, group, at, row: b, version: 0 };
    this.#order.set(key, e);
    let rows = this.#byGroup.get(group);
    if (!rows) this.#byGroup.set(group, (rows = new Map()));
    rows.set(at, e);
  }

  /**
   * Writes every queued bucket, the oldest first, in transactions of `rowsPerChunk`, yielding to
   * the event loop whenever a slice of `flushSliceMs` has passed. Each chunk is copied just before its write, so it carries the
   * latest folds. A written bucket leaves the queue unless it changed during the write. When a
   * chunk fails, the error is thrown: it and every later chunk stay queued, in their place;
   * chunks already written stay written. Reads (`of`) see every bucket until it is written.
   */
  async flush(copy: (row: R) => R, write: (rows: R[]) => Promise<unknown>, o: FlushOptions = {}): Promise<void> {
    const pending = [...this.#order.values()];
    const now = o.now ?? performance.now.bind(performance);
    let sliceMs = o.sliceMs ?? flushSliceMs;
    let sliceStart = now();
    for (let i = 0; i < pending.length; i += rowsPerChunk) {
      const chunk = pending.slice(i, i + rowsPerChunk);
      const versions = chunk.map((e) => e.version);
      await within(write(chunk.map((e) => copy(e.row))), o.stallMs);
      chunk.forEach((e, j) => {
        if (e.version === versions[j] && this.#order.get(e.key) === e) this.#remove(e);
      });
      if (i + rowsPerChunk < pending.length && now() - sliceStart >= sliceMs) {
        const asked = now();
        await yieldToLoop();
        sliceStart = now();
        if (sliceStart - asked > congestedYieldMs) sliceMs = Infinity;
      }
    }
  }

  /** Queued buckets of one group and width: what reads lay over the stored rows. */
  of(group: string, width: number): R[] {
    const out: R[] = [];
    for (const e of this.#byGroup.get(group)?.values() ?? []) if (e.row.width === width) out.push(e.row);
    return out;
  }

  /** Drops (uncounted: on purpose) the queued buckets of every group whose first bucket matches. */
  dropWhere(match: (row: R) => boolean): void {
    for (const [group, rows] of this.#byGroup) {
      const first = rows.values().next().value;
      if (!first || !match(first.row)) continue;
      for (const e of rows.values()) this.#order.delete(e.key);
      this.#byGroup.delete(group);
    }
  }

  #dropOldest(): void {
    const oldest = this.#order.values().next().value;
    if (!oldest) return;
    this.#remove(oldest);
    this.#dropped++;
  }

  #remove(e: Entry<R>): void {
    this.#order.delete(e.key);
    const rows = this.#byGroup.get(e.group);
    rows?.delete(e.at);
    if (rows?.size === 0) this.#byGroup.delete(e.group);
  }
}
