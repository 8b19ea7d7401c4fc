/**
 * How load and ping history are written, and what they hold while the database cannot take them
 * (a full disk, PostgreSQL down): the bound of the write buffer, the retry back-off, and how long
 * a stop waits for a database that does not answer.
 */
export interface HistoryLimits {
  /** open buckets are written this often; `kill -9` loses at most this much */
  flushEveryMs: number;
  /** rows past their tier's retention are deleted at start and this often */
  pruneEveryMs: number;
  /**
   * buckets waiting to be written, per engine (load history, ping history each have their own).
   * Past it the bucket changed longest ago is dropped (counted in a warning, once per flush),
   * never the report: live data goes on, and memory stays bounded.
   */
  bufferBuckets: number;
  /** a failing flush is retried after flushEveryMs, then twice as long each time up to this */
  retryMaxDelayMs: number;
  /**
   * at stop, the last flush gives up when a write makes no progress for this long (a database
   * that drops packets); what it could not write is counted in the log
   */
  stopStallMs: number;
  /**
   * rows one retention prune deletes per transaction; a prune of more repeats, yielding to the
   * event loop (and to history flushes) between batches, so a large backlog (a shortened
   * retention, a server that was down for weeks) never holds the writer for long
   */
  pruneBatchRows: number;
}

export const defaultHistoryLimits: HistoryLimits = {
  // ~10 ms of deleting on SQLite, on a loaded 2-core machine (BENCHMARKS.md, History)
  pruneBatchRows: 1000,
  flushEveryMs: 2_000,
  pruneEveryMs: 3_600_000,
  // ~1.2 buckets per node a minute (1-minute, 5-minute, hourly, daily tiers) plus the open ones:
  // measured, 1,000 nodes fill it in 163 minutes, 10,000 in 15; full, it holds ~175 MB (load,
  // ~900 bytes a bucket) and ~95 MB (ping, ~500 bytes); README "PostgreSQL"
  bufferBuckets: 200_000,
  retryMaxDelayMs: 60_000,
  // with closeWaitMs, a stop ends within Docker's default 10 s even while PostgreSQL drops packets
  stopStallMs: 3_000,
};
