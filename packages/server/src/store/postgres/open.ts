import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { pgAlerts } from '../../alerts/store/postgres.ts';
import { pgClipboard } from '../../clipboard/store/postgres.ts';
import { pgExecTasks } from '../../exec/postgres-store.ts';
import { pgPingHistory } from '../../ping/store/postgres-history.ts';
import { pgPingTasks } from '../../ping/store/postgres-tasks.ts';
import { pgRemoteControl } from '../../remote-control/store/postgres.ts';
import { pgThemeConfigs } from '../../themes/settings/store/postgres.ts';
import { cachedNodes } from '../cached-nodes.ts';
import { StoreFileError } from '../errors.ts';
import type { Store } from '../types.ts';
import { pgAccounts } from './accounts.ts';
import { pgAudit } from './audit.ts';
import { openPool, type PostgresOptions } from './connection.ts';
import { mappingPgErrors } from './errors.ts';
import { pgFiles } from './files.ts';
import { pgHistory } from './history.ts';
import { pgLoginGuard } from './login-guard.ts';
import { migratePg } from './migrations.ts';
import { pgNodes } from './nodes.ts';
import { pgOidcProviders } from './oidc-providers.ts';
import { pgSessions } from './sessions.ts';
import { pgSettings } from './settings.ts';
import { defaultPgStartLimits, type PgStartLimits } from './start-limits.ts';
import { pgTables } from './tables.ts';

export interface OpenPostgresOptions extends PostgresOptions {
  startLimits?: PgStartLimits;
  /** where the one-line "cannot reach … retrying" notes go; stderr unless set */
  warn?: (line: string) => void;
}

/** Errors that mean "not there (yet)": worth another try. Anything else (a wrong password) is final. */
const transientCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', '57P03']);

function codeOf(err: unknown): string | undefined {
  for (let e = err; e instanceof Error; e = e.cause) {
    const { code } = e as Error & { code?: unknown };
    if (typeof code === 'string') return code;
    // a refused dual-stack connect arrives as an AggregateError of both attempts
    if (e instanceof AggregateError) return codeOf(e.errors[0]);
  }
  return undefined;
}

/** host:port of the URL, never its user or password. */
export function pgAddressOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}`;
  } catch {
    return 'the PostgreSQL server';
  }
}

/** The reason without the URL: pg's messages name host and port at most, but be sure. */
function reasonOf(err: unknown, url: string): string {
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  const text = code && !message.includes(code) ? `${code}: ${message}` : message || code || 'unknown error';
  return text.split(url).join('<KOMARI_DB>');
}

async function poolWithRetry(url: string, o: OpenPostgresOptions): Promise<pg.Pool> {
  const limits = o.startLimits ?? defaultPgStartLimits;
  const warn = o.warn ?? ((line: string) => console.error(line));
  const where = pgAddressOf(url);
  const started = Date.now();
  let delay = limits.firstDelayMs;
  for (;;) {
    try {
      return await openPool(url, o);
    } catch (err) {
      const code = codeOf(err);
      const left = limits.giveUpAfterMs - (Date.now() - started);
      if (!code || !transientCodes.has(code)) {
        throw new StoreFileError(`cannot open PostgreSQL at ${where}: ${reasonOf(err, url)}`, { cause: err });
      }
      if (left <= 0) {
        throw new StoreFileError(`cannot reach PostgreSQL at ${where} (${code}); gave up after ${Math.round((Date.now() - started) / 1000)} s`, { cause: err });
      }
      const wait = Math.min(delay, left);
      warn(`cannot reach PostgreSQL at ${where} (${code}); retrying in ${Math.max(1, Math.round(wait / 1000))} s`);
      await sleep(wait);
      delay = Math.min(delay * 2, limits.maxDelayMs);
    }
  }
}

/**
 * The store on PostgreSQL: a pool (waiting for the server at start, within startLimits), the
 * schema migrated, every repository with PostgreSQL errors mapped to StoreErrors. The URL is
 * never repeated in a message: it may carry a password.
 */
/**
 * Every repository of the store on `pool`, each with its errors mapped onto the store errors; the
 * node repository without its cache (the store conformance suite tests it raw).
 */
export function pgRepositories(pool: pg.Pool): Omit<Store, 'engine' | 'files' | 'close'> {
  return {
    accounts: mappingPgErrors(pgAccounts(pool)),
    sessions: mappingPgErrors(pgSessions(pool)),
    nodes: mappingPgErrors(pgNodes(pool)),
    settings: mappingPgErrors(pgSettings(pool)),
    loginGuard: mappingPgErrors(pgLoginGuard(pool)),
    audit: mappingPgErrors(pgAudit(pool)),
    history: mappingPgErrors(pgHistory(pool)),
    ping: { tasks: mappingPgErrors(pgPingTasks(pool)), history: mappingPgErrors(pgPingHistory(pool)) },
    execTasks: mappingPgErrors(pgExecTasks(pool)),
    oidcProviders: mappingPgErrors(pgOidcProviders(pool)),
    alerts: mappingPgErrors(pgAlerts(pool)),
    clipboard: mappingPgErrors(pgClipboard(pool)),
    remoteControl: mappingPgErrors(pgRemoteControl(pool)),
    themeConfigs: mappingPgErrors(pgThemeConfigs(pool)),
    tables: mappingPgErrors(pgTables(pool)),
  };
}

/** Whether the pool's schema holds a store (its migrations table), without creating anything. */
async function hasStore(pool: pg.Pool): Promise<boolean> {
  const r = await pool.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`);
  return r.rows[0]?.t != null;
}

export async function openPostgresStore(url: string, o: OpenPostgresOptions = {}): Promise<Store> {
  const pool = await poolWithRetry(url, o);
  if (o.existing && !(await hasStore(pool))) {
    await pool.end().catch(() => undefined);
    throw new StoreFileError(`PostgreSQL at ${pgAddressOf(url)} has no komari-ts database in schema ${o.schema ?? 'public'}`);
  }
  try {
    await migratePg(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new StoreFileError(`cannot migrate PostgreSQL at ${pgAddressOf(url)}: ${reasonOf(err, url)}`, { cause: err });
  }
  let closed = false;
  const repos = pgRepositories(pool);
  return {
    engine: 'postgres',
    ...repos,
    files: mappingPgErrors(pgFiles(pool)),
    nodes: cachedNodes(repos.nodes),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
