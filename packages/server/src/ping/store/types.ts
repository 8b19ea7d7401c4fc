/** What the ping tasks and the ping history need of a store; every engine implements them (store/types.ts gathers them). */

/** A ping task (admin-api.md §4). `defaultOn` is Komari's column `all_clients`. */
export interface PingTaskRow {
  id: number;
  /** order key: set equal to the id on create */
  weight: number;
  name: string;
  /** node uuids the probe runs on, never null */
  clients: string[];
  defaultOn: boolean;
  type: string;
  target: string;
  /** seconds */
  interval: number;
}

export type PingTaskFields = Omit<PingTaskRow, 'id' | 'weight'>;

/** Every write is one transaction; an id that matches no row fails the whole call and changes nothing. */
export interface PingTaskStore {
  /** Ordered by weight, then id. */
  list(): Promise<PingTaskRow[]>;
  /** Inserts with weight = the new id; returns the id. */
  create(task: PingTaskFields): Promise<number>;
  /** Overwrites every field but weight; returns the ids that matched no row (then nothing changed). */
  update(tasks: ReadonlyArray<PingTaskFields & { id: number }>): Promise<number[]>;
  /** Deletes tasks; returns the ids that matched no row (then nothing was deleted). */
  remove(ids: readonly number[]): Promise<number[]>;
  /** Sets weights; returns the ids that matched no row (then nothing changed). */
  setWeights(weights: ReadonlyMap<number, number>): Promise<number[]>;
  /** Appends a node to the clients of every default-on task that lacks it; returns how many tasks. */
  addToDefaultOn(uuid: string): Promise<number>;
  /** Removes a node from the clients of every task; returns how many tasks. */
  removeClient(uuid: string): Promise<number>;
  /** Inserts a task with its own id and weight (an import keeping Komari's ids); false when the id is taken. */
  insert(task: PingTaskRow): Promise<boolean>;
}

/**
 * One ping bucket of one (task, node) series in one tier (decision 6): counts, so loss is exact,
 * and min/max/sum over the values ≥ 0, so avg is too. Mergeable like HistoryRow.
 */
export interface PingBucketRow {
  task: number;
  node: string;
  /** tier width in seconds */
  width: number;
  /** bucket start, Unix ms, a multiple of the width since the epoch (UTC) */
  start: number;
  /** results received */
  sent: number;
  /** results of −1 (or any negative value) */
  lost: number;
  /** Σ of the values ≥ 0; avg = sum ÷ (sent − lost) */
  sum: number;
  min: number;
  max: number;
  /** the newest result as sent (−1 when it was a loss): Komari's bucket value */
  last: number;
  lastAt: number;
}

/** Which series a ping read or delete covers: a task, a node, both, or (neither) all. */
export interface PingSeriesFilter {
  task?: number;
  node?: string;
}

export interface PingHistoryStore {
  /** Upserts whole rows (the caller's bucket is authoritative) in one transaction. */
  write(rows: readonly PingBucketRow[]): Promise<void>;
  /** As HistoryStore.insertMissing: rows of a (series, width, start) already stored win. */
  insertMissing(rows: readonly PingBucketRow[]): Promise<number>;
  /** Rows of the matching series of one width with from ≤ start ≤ to, oldest first. */
  range(filter: PingSeriesFilter, width: number, from: number, to: number): Promise<PingBucketRow[]>;
  /** One series' newest row of one width. */
  latest(task: number, node: string, width: number): Promise<PingBucketRow | undefined>;
  /** Every series that has rows. */
  series(): Promise<{ task: number; node: string }[]>;
  /**
   * As HistoryStore.prune: per-width cutoffs, rows of retired widths deleted, at most `maxRows`
   * per call; the call that finds fewer left also drops the series it emptied.
   */
  prune(cutoffs: ReadonlyMap<number, number>, maxRows: number): Promise<number>;
  /** Deletes every row of the matching series; returns the rows deleted. */
  deleteSeries(filter: PingSeriesFilter): Promise<number>;
}

export interface PingStore {
  readonly tasks: PingTaskStore;
  readonly history: PingHistoryStore;
}
