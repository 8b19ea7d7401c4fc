import type { Report, RetentionTier } from '@komari-ts/protocol';
import type { HistoryRow } from '../store/types.ts';

/**
 * Where every accepted report goes after the live view: folded into the open rollup buckets of
 * each tier and written to the store in batches (records.md, spec/README.md decision 6).
 */
export interface HistoryRecorder {
  /** The tiers in force, finest first: the `history_retention` setting as it was at start. */
  readonly tiers: readonly RetentionTier[];
  /**
   * Folds one validated sample taken at `at` (server time, strictly increasing per node). Never
   * waits for the database and never refuses: when the write buffer is full the bucket changed
   * longest ago is dropped instead (counted in the log).
   */
  record(uuid: string, report: Report, at: number): void;
  /**
   * Another replica holds the node now: what is here is written and forgotten, and read back
   * from the database if the node reports here again (cluster/live-sync.ts).
   */
  release(uuid: string): void;
  /** Buckets waiting to be written: at most limits.history.bufferBuckets. */
  readonly unwritten: number;
  /** the last flush that succeeded: how long it took and when it ended (ms), for `/metrics` */
  readonly lastFlush: { durationMs: number; at: number } | undefined;
  /** buckets the full write buffer dropped since start (each also logged) */
  readonly droppedTotal: number;
  /** Writes everything pending, open buckets included, in transactions; throws when the database fails (all kept). */
  flush(): Promise<void>;
  /** Deletes rows past their tier's retention; returns how many. Runs at start and on a schedule. */
  prune(): Promise<number>;
  /** Deletes a node's history and forgets its buckets and traffic baseline. */
  forget(uuid: string): Promise<void>;
  /**
   * Deletes every node's history (admin:clearRecords): stored rows and the buckets in memory, so
   * nothing comes back at the next flush. Traffic baselines and the live view stay.
   */
  clear(): Promise<void>;
  /**
   * One node's buckets of one tier with from ≤ start ≤ to, oldest first: the stored rows with the
   * buckets still in memory laid over them (the in-progress bucket included). Read-only: some
   * of them are the live buckets.
   */
  buckets(uuid: string, width: number, from: number, to: number): Promise<HistoryRow[]>;
  /**
   * Every node's buckets of one tier still in memory (queued or in progress) with from ≤ start
   * ≤ to: what buckets() lays over the stored rows, in the order it lays them (a later one of the
   * same node and start wins). Read-only, as buckets().
   */
  memoryBuckets(width: number, from: number, to: number): HistoryRow[];
  /** Starts the flush and prune timers; reads back open buckets written before a restart. */
  start(): Promise<void>;
  /** Stops the timers and flushes (SIGTERM path); throws, after logging how many, when buckets could not be written. */
  stop(): Promise<void>;
}
