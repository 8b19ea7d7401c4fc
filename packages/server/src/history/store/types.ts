/** What the history engine needs of a store; every engine implements it (store/types.ts gathers them). */

/** The gauges a history bucket averages (sum ÷ count) and keeps the maximum of. */
export type HistoryGauge =
  | 'cpu' | 'gpu' | 'ram' | 'swap' | 'load' | 'disk' | 'net_in' | 'net_out' | 'process' | 'connections' | 'connections_udp';

/**
 * One rollup bucket of one node in one tier (records.md §4, decision 6). Mergeable: two buckets
 * of the same span combine into one without the samples (sums add, maxima max, last wins by
 * `lastAt`, traffic adds).
 */
export interface HistoryRow {
  node: string;
  /** tier width in seconds */
  width: number;
  /** bucket start, Unix ms, a multiple of the width since the epoch (UTC) */
  start: number;
  count: number;
  /** samples that carried `gpu` (the gpu average divides by this, not by `count`) */
  gpuCount: number;
  sum: Record<HistoryGauge, number>;
  max: Record<HistoryGauge, number>;
  /** receive time of the newest sample; the `last*` values are that sample's */
  lastAt: number;
  netTotalUp: number;
  netTotalDown: number;
  ramTotal: number;
  swapTotal: number;
  diskTotal: number;
  /** Σ per-sample traffic deltas (records.md §3.3), bytes */
  trafficUp: number;
  trafficDown: number;
}

/**
 * Which buckets of one node and width are stored with samples (count > 0): bit i of `bits`
 * stands for the bucket starting at block + i × width (history-slots.ts). What a read over many
 * nodes counts instead of the rows (history/fleet-load.ts): a month of hourly buckets is 23 of
 * these per node.
 */
export interface HistorySlotBlock {
  /** Unix ms, a multiple of 32 × width */
  block: number;
  /** 32 bits, 0 … 2^32 − 1 */
  bits: number;
}

/** Rows of one tier read in groups of `groupMs`: a group starts at a multiple of it since the epoch. */
export interface HistoryGroupQuery {
  /** tier width in seconds */
  width: number;
  /** Unix ms, inclusive */
  from: number;
  /** Unix ms, inclusive */
  to: number;
  /** a multiple of the width's milliseconds */
  groupMs: number;
}

export interface HistoryStore {
  /** Upserts whole rows (the caller's bucket is authoritative) in one transaction. */
  write(rows: readonly HistoryRow[]): Promise<void>;
  /**
   * Inserts the rows whose (node, width, start) has no row yet, in one transaction; a row already
   * there wins (an import never overwrites, so importing twice adds nothing). Returns how many.
   */
  insertMissing(rows: readonly HistoryRow[]): Promise<number>;
  /** One node's rows of one width with from ≤ start ≤ to, oldest first. */
  range(node: string, width: number, from: number, to: number): Promise<HistoryRow[]>;
  /** One node's newest row of one width. */
  latest(node: string, width: number): Promise<HistoryRow | undefined>;
  /** Every node's rows of one width with from ≤ start ≤ to, each node's oldest first. */
  rangeAll(width: number, from: number, to: number): Promise<HistoryRow[]>;
  /**
   * Per node (by uuid), its slot blocks of one width that overlap from … to, oldest first, each
   * telling which buckets are stored with samples. Nodes with none are absent.
   */
  slots(width: number, from: number, to: number): Promise<Map<string, HistorySlotBlock[]>>;
  /** The rows (count 0 too) of the listed groups of each node, in no particular order. */
  groupRows(q: HistoryGroupQuery, groups: ReadonlyMap<string, readonly number[]>): Promise<HistoryRow[]>;
  /**
   * Deletes, for every node, the rows of each width older than its cutoff (Unix ms), and every
   * row of a width no longer configured: at most `maxRows` rows, in one transaction, so a large
   * backlog never holds the writer (or, on SQLite, the event loop) for long. Returns the rows
   * deleted; fewer than `maxRows` means nothing is left to delete. Callers repeat it, yielding
   * between calls (util/batched-prune.ts).
   */
  prune(cutoffs: ReadonlyMap<number, number>, maxRows: number): Promise<number>;
  /** Deletes all rows of a node. */
  deleteNode(node: string): Promise<number>;
  /** Deletes every row of every node; returns the rows deleted. */
  deleteAll(): Promise<number>;
}
