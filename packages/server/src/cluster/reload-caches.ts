import type { AppContext } from '../app-context.ts';

/**
 * What a replica holds in memory in front of the shared database, re-read after another replica
 * changed it: settings, node rows (tokens included), ping tasks, alert channels and rules. Sessions,
 * accounts, providers and theme settings are read from the database on every use, so nothing to do.
 */
export async function reloadCaches(app: AppContext): Promise<void> {
  app.store.nodes.invalidate?.();
  await app.settings.reload();
  await app.ping.reload();
  await app.alerts.reloadRules();
}
