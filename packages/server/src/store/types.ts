import type { NodeWire } from '@komari-ts/protocol';
import type { AlertStore } from '../alerts/store/types.ts';
import type { ClipboardStore } from '../clipboard/store/types.ts';
import type { RemoteControlStore } from '../remote-control/store/types.ts';
import type { ThemeConfigStore } from '../themes/settings/store/types.ts';

/**
 * The store interfaces. Callers depend on these only; `sqlite/` implements them today and a
 * PostgreSQL implementation can be added beside it. Every method is async so a networked engine
 * fits the same shape. Times are Unix milliseconds.
 */

export interface Account {
  uuid: string;
  username: string;
  /** `argon2id$...` for our hashes; a bare 44-char base64 string is Komari's legacy hash. */
  passwordHash: string;
  ssoType: string;
  ssoId: string;
  /** TOTP secret (base32); empty = 2FA off. */
  twoFactor: string;
  createdAt: number;
  updatedAt: number;
}

export type AccountPatch = Partial<Pick<Account, 'username' | 'passwordHash' | 'ssoType' | 'ssoId' | 'twoFactor'>>;

export interface AccountStore {
  count(): Promise<number>;
  create(account: Account): Promise<void>;
  byUsername(username: string): Promise<Account | undefined>;
  byUuid(uuid: string): Promise<Account | undefined>;
  /** The first account by creation order (what `komari chpasswd` changes). */
  first(): Promise<Account | undefined>;
  /** The account bound to this external identity (`github_583231`); never matches "". */
  bySsoId(ssoId: string): Promise<Account | undefined>;
  /** Returns false when no account has this uuid. Throws on a duplicate username. */
  update(uuid: string, patch: AccountPatch, at: number): Promise<boolean>;
  clearTwoFactorForAll(at: number): Promise<number>;
  /**
   * Records that the account accepted the TOTP code of `step`, only if that step is later than
   * the last one it accepted (atomic): false means the code was used already (a replay).
   */
  claimTotpStep(uuid: string, step: number): Promise<boolean>;
}

/** What the login guard keeps across restarts and shares with the CLI (auth/login-guard.ts). */
export interface LoginGuardStore {
  /** Remembers that `uuid` logged in from `ipKey`, keeping only its `keep` latest addresses. */
  rememberAddress(uuid: string, ipKey: string, at: number, keep: number): Promise<void>;
  isKnownAddress(uuid: string, ipKey: string): Promise<boolean>;
  /** Appends an unlock marker (`komari unlock`, `komari permit-login`); returns its id. */
  addUnlock(reason: string, at: number): Promise<number>;
  /** The id of the latest marker with this reason; 0 when there is none. */
  latestUnlock(reason: string): Promise<number>;
}

export interface Session {
  session: string;
  uuid: string;
  userAgent: string;
  ip: string;
  loginMethod: string;
  latestOnline: number;
  latestUserAgent: string;
  latestIp: string;
  expires: number;
  createdAt: number;
}

export interface SessionStore {
  create(session: Session): Promise<void>;
  get(token: string): Promise<Session | undefined>;
  touch(token: string, at: number, ip: string, userAgent: string): Promise<void>;
  delete(token: string): Promise<boolean>;
  deleteAll(): Promise<number>;
  list(): Promise<Session[]>;
  deleteExpired(now: number): Promise<number>;
}

/**
 * A node row: the wire fields of `NodeWire`, all present (text columns are never null), with
 * times as Unix milliseconds and `expired_at` null when unset.
 */
export type NodeRow = Omit<Required<NodeWire>, 'expired_at' | 'created_at' | 'updated_at'> & {
  expired_at: number | null;
  created_at: number;
  updated_at: number;
};

export type NodePatch = Partial<Omit<NodeRow, 'uuid' | 'created_at'>>;

export interface NodeStore {
  create(node: NodeRow): Promise<void>;
  /** All nodes in insertion order (Komari's natural order). */
  list(): Promise<NodeRow[]>;
  get(uuid: string): Promise<NodeRow | undefined>;
  byToken(token: string): Promise<NodeRow | undefined>;
  /** Returns false when no node has this uuid. Throws on a duplicate token. */
  update(uuid: string, patch: NodePatch): Promise<boolean>;
  remove(uuid: string): Promise<boolean>;
  /** Sets weights for known uuids in one transaction; unknown uuids are skipped. */
  setWeights(weights: ReadonlyMap<string, number>, at: number): Promise<void>;
  /**
   * Drops what is held in memory in front of the database, so the next read goes to it: another
   * replica changed a node (cluster/reload-caches.ts). Absent where nothing is held.
   */
  invalidate?(): void;
}

export interface SettingsStore {
  /** Every stored key with its JSON-decoded value. */
  all(): Promise<Record<string, unknown>>;
  /** Upserts the given keys in one transaction. */
  setMany(entries: Record<string, unknown>): Promise<void>;
  /** Inserts only the keys that are missing (first-start defaults). */
  insertMissing(entries: Record<string, unknown>): Promise<void>;
}

export interface AuditEntry {
  id: number;
  ip: string;
  uuid: string;
  message: string;
  msgType: string;
  time: number;
}

export interface AuditStore {
  add(entry: Omit<AuditEntry, 'id'>): Promise<void>;
  /** Newest first. */
  list(query: { limit: number; offset: number; msgType?: string }): Promise<AuditEntry[]>;
  count(msgType?: string): Promise<number>;
  deleteBefore(time: number): Promise<number>;
  /** Whether an entry with these exact fields is stored (an import run twice adds each entry once). */
  has(entry: Omit<AuditEntry, 'id'>): Promise<boolean>;
}

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

/** A remote exec task (admin-api.md §5): the command and every client it was addressed to. */
export interface ExecTask {
  taskId: string;
  clients: string[];
  command: string;
  createdAt: number;
}

/** One client's result of an exec task; `exitCode` and `finishedAt` are null until it reports. */
export interface ExecResult {
  taskId: string;
  client: string;
  result: string;
  exitCode: number | null;
  finishedAt: number | null;
  createdAt: number;
}

export interface ExecTaskStore {
  /** The task and its result rows, in one transaction. */
  create(task: ExecTask, results: readonly ExecResult[]): Promise<void>;
  /** All tasks, oldest first. */
  list(): Promise<ExecTask[]>;
  get(taskId: string): Promise<ExecTask | undefined>;
  /** Tasks whose client list holds exactly this uuid, oldest first. */
  byClient(uuid: string): Promise<ExecTask[]>;
  /** Result rows of one task (of every task when omitted), in creation order. */
  results(taskId?: string): Promise<ExecResult[]>;
  result(taskId: string, client: string): Promise<ExecResult | undefined>;
  /** Fills a result row; false when the task has no row for this client. */
  finish(taskId: string, client: string, result: string, exitCode: number, at: number): Promise<boolean>;
  /** Deletes result rows created before `time` (tasks are kept); returns how many. */
  deleteResultsBefore(time: number): Promise<number>;
  /** Deletes a deleted node's result rows (Komari cascades them). */
  deleteResultsOf(client: string): Promise<number>;
}

/** One OAuth provider's configuration (admin-api.md §3.5); `addition` is a JSON-encoded string. */
export interface OidcProviderRow {
  name: string;
  addition: string;
}

export interface OidcProviderStore {
  get(name: string): Promise<OidcProviderRow | undefined>;
  /** Inserts or replaces the row. */
  set(row: OidcProviderRow): Promise<void>;
  list(): Promise<OidcProviderRow[]>;
}

/** The database as files on disk (admin-api.md §10). */
export interface DatabaseFiles {
  /** bytes of the database file and its journal files (-wal, -shm); 0 for an in-memory database */
  size(): Promise<number>;
  /** Gives free pages back to the file system (SQLite: checkpoint, VACUUM, checkpoint). */
  vacuum(): Promise<void>;
  /**
   * Writes a consistent copy of the whole database to `path` (a new file), while writers go on:
   * what a backup puts in its archive, never a copy of a file being written.
   */
  snapshotTo(path: string): Promise<void>;
}

/**
 * A value as one engine hands it to the other (store/table-catalog.ts kinds): text, a number, an
 * integer past 2^53 as a bigint, a flag as a boolean, or null.
 */
export type TableValue = string | number | bigint | boolean | null;

/** One row: its values in the order of the table's catalog columns. */
export type TableRow = TableValue[];

/** Reads every table of one consistent snapshot of the database (it writes nothing). */
export interface TableReader {
  count(table: string): Promise<number>;
  /** The table's rows in batches of at most `size`, in insertion order (a copy keeps every list's order). */
  batches(table: string, size: number): AsyncIterable<TableRow[]>;
  /** For each table with an id column: the highest id it ever handed out (deleted rows included); tables that never did are left out. */
  idCounters(): Promise<Map<string, number>>;
}

/** Writes rows as they are, ids included, inside one transaction. */
export interface TableWriter {
  count(table: string): Promise<number>;
  /** Inserts the rows after the rows already written, keeping their order and ids. */
  insert(table: string, rows: readonly TableRow[]): Promise<void>;
  /** Ids handed out from now on come after these (and after every id stored). */
  keepIdCounters(counters: ReadonlyMap<string, number>): Promise<void>;
}

/**
 * Every table of the store as rows (the tables of store/table-catalog.ts), for copying a whole
 * database to another engine (`komari migrate`).
 */
export interface TableStore {
  /** Rows in each catalog table. */
  counts(): Promise<Map<string, number>>;
  /** Runs `fn` over one snapshot of the database: what it reads cannot change under it. */
  reading<T>(fn: (reader: TableReader) => Promise<T>): Promise<T>;
  /** Runs `fn` in one write transaction: committed when it returns, rolled back (nothing written) when it throws. */
  writing<T>(fn: (writer: TableWriter) => Promise<T>): Promise<T>;
}

export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  /** size, space reclaim and snapshots of the database file(s) */
  readonly files: DatabaseFiles;
  readonly accounts: AccountStore;
  readonly sessions: SessionStore;
  readonly nodes: NodeStore;
  readonly settings: SettingsStore;
  readonly loginGuard: LoginGuardStore;
  readonly audit: AuditStore;
  readonly history: HistoryStore;
  /** ping tasks and ping history */
  readonly ping: PingStore;
  /** remote exec tasks and their results */
  readonly execTasks: ExecTaskStore;
  /** OAuth provider configurations */
  readonly oidcProviders: OidcProviderStore;
  /** message senders, alert channels and rules, the alert history */
  readonly alerts: AlertStore;
  /** saved commands (Komari's clipboard) */
  readonly clipboard: ClipboardStore;
  /** per-node remote control overrides (remote-control/) */
  readonly remoteControl: RemoteControlStore;
  /** each theme's saved settings (themes/settings/) */
  readonly themeConfigs: ThemeConfigStore;
  /** every table as rows, to copy the database to another engine */
  readonly tables: TableStore;
  close(): Promise<void>;
}
