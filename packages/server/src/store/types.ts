import type { NodeWire } from '@komari-ts/protocol';

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
  /** Returns false when no account has this uuid. Throws on a duplicate username. */
  update(uuid: string, patch: AccountPatch, at: number): Promise<boolean>;
  clearTwoFactorForAll(at: number): Promise<number>;
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
}

export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  readonly accounts: AccountStore;
  readonly sessions: SessionStore;
  readonly nodes: NodeStore;
  readonly settings: SettingsStore;
  readonly audit: AuditStore;
  close(): Promise<void>;
}
