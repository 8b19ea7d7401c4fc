import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { isPostgresUrl } from '../postgres/connection.ts';
import { selfIdentity, stillRunning, type ProcessIdentity } from './process-identity.ts';

const identitySchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  startedAt: z.string(),
  bootId: z.string().optional(),
  startTicks: z.string().optional(),
});

/** A second server refused: the message names the one running and where its lock is. */
export class ServerLockedError extends Error {
  readonly holder: ProcessIdentity;
  constructor(lockPath: string, holder: ProcessIdentity) {
    super(
      `another komari server (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}) is using this database; ` +
        `stop it first, or delete ${lockPath} if that server is gone`,
    );
    this.name = 'ServerLockedError';
    this.holder = holder;
  }
}

export interface ServerLock {
  /** the lock a dead server left, which this one took over; undefined when there was none */
  tookOver?: ProcessIdentity;
  release(): void;
}

const noLock: ServerLock = { release() {} };

/** An unreadable or half-written lock (a crash mid-write) names nobody: it is stale. */
function readHolder(path: string): ProcessIdentity | undefined {
  try {
    const parsed = identitySchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
    return undefined;
  }
}

function createExclusive(path: string, me: ProcessIdentity): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, JSON.stringify(me));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * One server per SQLite database: `<db>.lock`, created exclusively, names the process serving
 * it. A lock whose process is gone (kill -9, power loss) is taken over; a live one's refuses
 * the start. CLI commands (unlock, chpasswd) do not take it: they are meant to run beside a
 * server. PostgreSQL and `:memory:` have none (replicas share PostgreSQL by design).
 *
 * Two servers taking over the same stale lock at the same instant could both win; the lock
 * guards against the common mistake (a second start), not a deliberate race.
 */
export function acquireServerLock(db: string, now: Date): ServerLock {
  if (db === ':memory:' || isPostgresUrl(db)) return noLock;
  const path = `${resolve(db)}.lock`;
  // the first start creates the database's folder (store/sqlite/open.ts); the lock comes first
  mkdirSync(dirname(path), { recursive: true });
  const me = selfIdentity(now);
  let tookOver: ProcessIdentity | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(path, me)) return { tookOver, release: () => releaseIfMine(path, me) };
    let holder: ProcessIdentity | undefined;
    try {
      holder = readHolder(path);
    } catch {
      continue; // removed between our create and our read: try again
    }
    if (holder && stillRunning(holder)) throw new ServerLockedError(path, holder);
    tookOver = holder ?? { pid: 0, host: '?', startedAt: '?' };
    rmSync(path, { force: true });
  }
  throw new Error(`could not take ${path}: another server keeps replacing it`);
}

/** Only our own lock: one taken over by another process after ours was deemed stale stays. */
function releaseIfMine(path: string, me: ProcessIdentity): void {
  try {
    const holder = readHolder(path);
    if (holder?.pid === me.pid && holder.startedAt === me.startedAt) rmSync(path, { force: true });
  } catch {
    // already gone
  }
}
