import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { actorUuid } from '../rpc/caller.ts';
import { defineMethod, noParams, type MethodDef } from '../rpc/registry.ts';

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Ping history of every task and node, stored and in memory; a failure is logged, not returned (Komari). */
async function clearPingHistory(app: AppContext): Promise<void> {
  try {
    await app.ping.history.forget({});
    app.ping.summaryCache.clear();
  } catch (err) {
    app.log.error({ err }, 'clearing ping history failed');
  }
}

/** Clearing history (admin-api.md §6): the rollup tiers and the open buckets; the live view stays. */
export const recordAdminMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:clearRecords',
    summary: 'Delete the load history of every node',
    params: noParams,
    handler: async (_p, { app, caller }) => {
      try {
        await app.history.clear();
      } catch (err) {
        // Komari's words, run together as it prints them.
        throw AppError.failed(`Failed to delete Record${messageOf(err)}`, err);
      }
      await app.audit.log(caller.meta.ip, actorUuid(caller), 'clear records', 'warn');
      return undefined;
    },
  }),
  defineMethod({
    name: 'admin:clearAllRecords',
    summary: 'Delete the load and ping history of every node',
    params: noParams,
    handler: async (_p, { app, caller }) => {
      // Komari ignores the errors of this one; they are logged here so they are not lost.
      try {
        await app.history.clear();
      } catch (err) {
        app.log.error({ err }, 'clearing load history failed');
      }
      await clearPingHistory(app);
      await app.audit.log(caller.meta.ip, actorUuid(caller), 'clear all records', 'info');
      return undefined;
    },
  }),
];
