import type { Store } from '../../src/store/types.ts';

/** Everything an import writes, read back through the store (what "the same state" compares). */
export async function dumpStore(store: Store): Promise<Record<string, unknown>> {
  const accounts = [];
  for (const name of ['admin', 'root', 'ops']) accounts.push(await store.accounts.byUsername(name));
  const senders = [];
  for (const name of ['telegram', 'webhook', 'email', 'bark']) senders.push(await store.alerts.senderConfig(name));
  return {
    nodes: await store.nodes.list(),
    accounts,
    settings: await store.settings.all(),
    senders,
    oauth: await store.oidcProviders.list(),
    pingTasks: await store.ping.tasks.list(),
    offline: await store.alerts.offlineRules(),
    load: await store.alerts.loadRules(),
    traffic: await store.alerts.trafficReportRules(),
    clipboard: await store.clipboard.list(),
    audit: await store.audit.list({ limit: 100_000, offset: 0 }),
    exec: await store.execTasks.list(),
    execResults: await store.execTasks.results(),
    themeConfigs: Object.fromEntries(await store.themeConfigs.all()),
  };
}
