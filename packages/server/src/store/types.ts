import type { NodeWire } from '@komari-ts/protocol';
import type { AlertStore } from '../alerts/store/types.ts';
import type { ClipboardStore } from '../clipboard/store/types.ts';
import type { HistoryStore } from '../history/store/types.ts';
import type { PingStore } from '../ping/store/types.ts';
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

export type { HistoryGauge, HistoryRow, HistorySlotBlock, HistoryGroupQuery, HistoryStore } from '../history/store/types.ts';
export type { PingTaskRow, PingTaskFields, PingTaskStore, PingBucketRow, PingSeriesFilter, PingHistoryStore, PingStore } from '../ping/store/types.ts';

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
