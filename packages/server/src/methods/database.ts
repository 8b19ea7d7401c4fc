import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { actorUuid } from '../rpc/caller.ts';
import { defineMethod, noParams, type MethodDef } from '../rpc/registry.ts';

/**
 * Database size and space reclaim (admin-api.md §10). komari-ts keeps history in its one database,
 * so the answer has Komari's `main` part and no `monitoring` part (Komari's separate metric store).
 */

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Komari's driver names and the reclaim each runs. */
const drivers = {
  sqlite: { driver: 'sqlite', location: 'local', action: 'vacuum' },
  postgres: { driver: 'postgres', location: 'external', action: 'vacuum_full' },
} as const;

async function measure(app: AppContext): Promise<{ size: number | null; error?: string }> {
  try {
    return { size: await app.store.files.size() };
  } catch (err) {
    return { size: null, error: messageOf(err) };
  }
}

async function databaseSize(app: AppContext) {
  const d = drivers[app.store.engine];
  const m = await measure(app);
  const main = { driver: d.driver, location: d.location, size: m.size, action: d.action, ...(m.error === undefined ? {} : { error: m.error }) };
  const local = d.location === 'local' && m.size !== null;
  return { type: d.driver, size: m.size, main, local_total: local ? m.size : null };
}

/**
 * Apps with a reclaim running. Per app, not per process: tests run many apps side by side. The
 * reclaim awaits the history flushes before its VACUUM, so a second call could start meanwhile.
 */
const reclaiming = new WeakSet<AppContext>();

async function vacuum(app: AppContext) {
  const d = drivers[app.store.engine];
  const before = await measure(app);
  let error: string | undefined;
  try {
    // Buckets still in memory are written first: the rebuilt file holds every sample accepted.
    await app.history.flush();
    await app.ping.history.flush();
    await app.store.files.vacuum();
  } catch (err) {
    error = messageOf(err);
  }
  const after = await measure(app);
  const sizeError = before.error ?? after.error;
  const main = {
    driver: d.driver,
    action: d.action,
    before: before.size,
    after: after.size,
    success: error === undefined,
    ...(error === undefined ? {} : { error }),
    ...(sizeError === undefined ? {} : { size_error: sizeError }),
  };
  return { before: before.size, after: after.size, size: after.size, all_succeeded: main.success, main };
}

export const databaseMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:getDatabaseSize',
    summary: 'Size of the database files on disk',
    params: noParams,
    handler: (_p, { app }) => databaseSize(app),
  }),
  defineMethod({
    name: 'admin:vacuumDatabase',
    summary: 'Give the free space of the database back to the file system',
    params: noParams,
    handler: async (_p, { app, caller }) => {
      if (reclaiming.has(app)) throw AppError.internal('database maintenance is already in progress');
      reclaiming.add(app);
      try {
        const result = await vacuum(app);
        const [message, type] = result.all_succeeded
          ? (['reclaimed database space', 'warn'] as const)
          : (['database space reclaim completed with errors', 'error'] as const);
        await app.audit.log(caller.meta.ip, actorUuid(caller), message, type);
        return result;
      } finally {
        reclaiming.delete(app);
      }
    },
  }),
];
