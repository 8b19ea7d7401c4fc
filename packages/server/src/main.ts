import type { FastifyInstance } from 'fastify';
import type { AppContext } from './app-context.ts';
import { buildApp, type BuildOptions, type BuiltApp } from './app.ts';
import type { Cluster } from './cluster/cluster.ts';
import { openCluster } from './cluster/open-cluster.ts';
import { resolveLimits } from './config/limits.ts';
import { restoreDroppedBackup } from './backup/restore-at-start.ts';
import { splitListen, type BootConfig } from './config/boot-config.ts';
import { raiseFdLimit, type FdRaise } from './fd-limit.ts';
import { RestoreLock, type DataSwap, type RestartOutcome } from './lifecycle.ts';
import type { FirstAdmin } from './logging/banner.ts';
import { openStore } from './store/open-store.ts';
import { acquireServerLock, type ServerLock } from './store/sqlite/server-lock.ts';
import { systemClock } from './clock.ts';
import type { OpenPostgresOptions } from './store/postgres/open.ts';
import { defaultPgStartLimits } from './store/postgres/start-limits.ts';
import type { Store } from './store/types.ts';

/** The open-files figures at start, and the guest-socket cap they leave (issue 12). */
function logFdLimit(built: BuiltApp, fd: FdRaise): void {
  const figures = { before: fd.before, after: fd.after, maxGuestSockets: built.ctx.viewers.maxGuests };
  if (fd.problem) built.fastify.log.warn(figures, `open-files limit not raised: ${fd.problem}`);
  else built.fastify.log.info(figures, `open-files limit: soft ${fd.after?.soft} (was ${fd.before?.soft}), hard ${fd.after?.hard}`);
}

/**
 * A listening server. `ctx`, `fastify` and `routes` are those of the app running now: a restore
 * replaces the app (and its store) in-process on the same address.
 */
export interface RunningServer extends BuiltApp {
  /** the bound address, e.g. http://127.0.0.1:25774; unchanged by a restart */
  url: string;
  stop(): Promise<void>;
  /** called after every in-process restart, whether the new data or the old came back */
  onRestart(listener: (ctx: AppContext) => Promise<void> | void): void;
}

/** What tests may hand the app beside the config. */
export type StartOptions = Pick<BuildOptions, 'clock' | 'limits' | 'oauthEndpoints' | 'outboundForTests' | 'logStream'> & {
  /**
   * Runs before an app is built during a restart: `restored` over the swapped-in data,
   * `previous` after a rollback. Tests throw from it to prove the rollback.
   */
  beforeRebuild?: (which: 'restored' | 'previous') => void | Promise<void>;
  /** the PostgreSQL schema to run in (tests give each server its own); KOMARI_PG_SCHEMA's unless set */
  pgSchema?: string;
};

/** How to open PostgreSQL when KOMARI_DB names it: the schema, and how long to wait for it at start. */
export function pgOptionsOf(config: BootConfig, schema?: string): OpenPostgresOptions {
  const limits = config.pgStartTimeout === undefined ? defaultPgStartLimits : { ...defaultPgStartLimits, giveUpAfterMs: config.pgStartTimeout * 1000 };
  return { schema: schema ?? config.pgSchema, startLimits: limits };
}

interface Current {
  built: BuiltApp;
  store: Store;
  cluster: Cluster;
}

/**
 * The composition root and the one owner of the server's lifecycle: open the store, migrate,
 * build the app, create the first account, listen; restart in-process over swapped data (a
 * restore) with a rollback to the old files when the new ones do not come up; stop in reverse
 * order. `onAdminCreated` hears of the first account when this start (or a restore over data
 * without one) created it, with its password when made up here: the CLI prints it in its banner,
 * the one place it ever appears (never in a log line). `opts` is for tests.
 */
export async function startServer(
  config: BootConfig,
  onAdminCreated: (admin: FirstAdmin) => void = () => {},
  opts: StartOptions = {},
): Promise<RunningServer> {
  const fd = raiseFdLimit();
  const restoreLock = new RestoreLock();
  const listeners: Array<(ctx: AppContext) => Promise<void> | void> = [];
  const { host, port: configuredPort } = splitListen(config.listen);
  let port = configuredPort;
  let current: Current;

  async function open(): Promise<Current> {
    const pgOptions = { ...pgOptionsOf(config, opts.pgSchema), limits: resolveLimits(opts.limits).postgres };
    const store = await openStore(config.db, pgOptions);
    let cluster: Cluster | undefined;
    try {
      cluster = await openCluster(config, pgOptions.schema ?? 'public', resolveLimits(opts.limits).cluster);
      const lifecycle = { restoreLock, restart };
      const built = await buildApp({ ...opts, config, store, cluster, logger: config.logLevel !== 'silent', openFiles: fd.after?.soft, lifecycle });
      const created = await built.ctx.accounts.ensureFirstAccount(config.adminUsername, config.adminPassword);
      if (created) {
        onAdminCreated({ username: created.username, generatedPassword: config.adminPassword === undefined ? created.password : undefined });
      }
      await built.fastify.listen({ host, port });
      return { built, store, cluster };
    } catch (err) {
      await cluster?.close();
      await store.close();
      throw err;
    }
  }

  /** Stops an app; with `graceMs`, connections still busy after it are cut (a stalled download). */
  async function close(c: Current): Promise<void> {
    const cut = setTimeout(() => c.built.fastify.server.closeAllConnections(), c.built.ctx.limits.http.closeGraceMs);
    try {
      await c.built.fastify.close();
    } finally {
      clearTimeout(cut);
      // after the app: the leader lock goes with the replica, so another takes over at once
      await c.cluster.close();
      await c.store.close();
    }
  }

  /** Stops the app, swaps the files, comes back on the same port; the old files if that fails. */
  async function restart(swap: DataSwap): Promise<RestartOutcome> {
    await close(current);
    let outcome: RestartOutcome;
    try {
      swap.apply();
      await opts.beforeRebuild?.('restored');
      current = await open();
      swap.commit();
      outcome = { ok: true, ctx: current.built.ctx };
    } catch (err) {
      swap.rollback();
      await opts.beforeRebuild?.('previous');
      current = await open();
      current.built.fastify.log.error({ err }, 'restore failed: the previous data is back');
      outcome = { ok: false, error: err as Error, ctx: current.built.ctx };
    }
    for (const l of listeners) await l(current.built.ctx);
    return outcome;
  }

  // Held across in-process restarts (a restore reopens the store, the process stays the server).
  const lock: ServerLock = acquireServerLock(config.db, new Date((opts.clock ?? systemClock).now()));
  try {
    current = await open();
  } catch (err) {
    lock.release();
    throw err;
  }
  if (lock.tookOver) {
    const { pid, host, startedAt } = lock.tookOver;
    current.built.fastify.log.warn({ pid, host, startedAt }, `took over the lock of a server that is gone (pid ${pid}, started ${startedAt})`);
  }
  logFdLimit(current.built, fd);
  const addr = current.built.fastify.server.address();
  if (typeof addr === 'object' && addr) port = addr.port; // port 0: the restart reuses the one chosen
  const url = typeof addr === 'object' && addr ? `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}` : '';
  const server: RunningServer = {
    get fastify(): FastifyInstance {
      return current.built.fastify;
    },
    get ctx(): AppContext {
      return current.built.ctx;
    },
    get routes() {
      return current.built.routes;
    },
    url,
    stop: () => close(current).finally(() => lock.release()),
    onRestart: (l) => void listeners.push(l),
  };
  // A backup.zip dropped into the data folder (Komari's restore-on-next-start) goes through the
  // same validated path as an upload.
  await restoreDroppedBackup(current.built.ctx);
  return server;
}
