import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { pgAlerts } from '../../alerts/store/postgres.ts';
import { pgClipboard } from '../../clipboard/store/postgres.ts';
import { pgExecTasks } from '../../exec/postgres-store.ts';
import { pgPingHistory } from '../../ping/store/postgres-history.ts';
import { pgPingTasks } from '../../ping/store/postgres-tasks.ts';
import { pgRemoteControl } from '../../remote-control/store/postgres.ts';
import { pgThemeConfigs } from '../../themes/settings/store/postgres.ts';
import { cachedNodes, sharedDatabaseNodeCache } from '../cached-nodes.ts';
import { StoreFileError } from '../errors.ts';
import type { Store } from '../types.ts';
import { pgAccounts } from './accounts.ts';
import { pgAudit } from './audit.ts';
import { openPool, type PostgresOptions } from './connection.ts';
import { mappingPgErrors, pgCodeOf } from './errors.ts';
import { pgFiles } from './files.ts';
import { pgHistory } from './history.ts';
import { pgLoginGuard } from './login-guard.ts';
import { migratePg } from './migrations.ts';
import { pgNodes } from './nodes.ts';
import { pgOidcProviders } from './oidc-providers.ts';
import { defaultPgPoolLimits } from './pool-limits.ts';
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
  const code = pgCodeOf(err);
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
      const code = pgCodeOf(err);
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

/**
 * The store on PostgreSQL: a pool (waiting for the server at start, within startLimits), the
 * schema migrated, every repository with PostgreSQL errors mapped to StoreErrors (a lost
 * connection to StoreUnavailable). The URL is never repeated in a message: it may carry a
 * password.
 */
export async function openPostgresStore(url: string, o: OpenPostgresOptions = {}): Promise<Store> {
  const limits = o.limits ?? defaultPgPoolLimits;
  // Migrations may take long (an index over years of history): their own connection, without
  // the query timeout of everyday work.
  const migrating = await poolWithRetry(url, { ...o, maxConnections: 1, limits: { ...limits, queryTimeoutMs: limits.maintenanceQueryTimeoutMs } });
  if (o.existing && !(await hasStore(migrating))) {
    await migrating.end().catch(() => undefined);
    throw new StoreFileError(`PostgreSQL at ${pgAddressOf(url)} has no komari-ts database in schema ${o.schema ?? 'public'}`);
  }
  try {
    await migratePg(migrating);
  } catch (err) {
    throw new StoreFileError(`cannot migrate PostgreSQL at ${pgAddressOf(url)}: ${reasonOf(err, url)}`, { cause: err });
  } finally {
    await migrating.end().catch(() => undefined);
  }
  const pool = await poolWithRetry(url, { ...o, limits });
  let closed = false;
  const repos = pgRepositories(pool);
  return {
    engine: 'postgres',
    ...repos,
    files: mappingPgErrors(pgFiles(pool, limits)),
    nodes: cachedNodes(repos.nodes, sharedDatabaseNodeCache),
    async close() {
      if (closed) return;
      closed = true;
      // A query stalled on a lost connection holds its client until its own timeout: a stop
      // waits for it this long at most, then goes on (the process is about to exit).
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, limits.closeWaitMs)));
      await Promise.race([pool.end(), waited]);
      clearTimeout(timer);
    },
  };
}
