import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { defineMethod, noParams, type MethodDef } from '../../rpc/registry.ts';
import { offlineRuleWire } from '../wire.ts';
import { added, channelsField, quietField, requireChannels, requireNodes } from './checks.ts';

const editItem = z.object({
  client: z.string().max(64),
  enable: z.boolean().optional(),
  grace_period: z.number().int().optional(),
  channels: channelsField,
  quiet: quietField,
});
// Komari's old UI also sends `cooldown`; zod drops unknown keys, as Komari ignores them.
const editParams = z.array(editItem).max(10_000);
const uuidsParams = z.array(z.string().max(64)).max(10_000);

/** admin-api.md §13: per-node offline rules. Not audited, as in Komari. */
export const offlineMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:listOfflineNotifications',
    summary: 'Every node’s offline rule, with where the node stands now',
    params: noParams,
    handler: async (_p, { app }) => {
      // The leader holds the states; another replica reads what the leader last stored.
      const stored = app.cluster.isLeader() ? undefined : new Map((await app.store.alerts.offlineStates()).map((s) => [s.client, s]));
      const stateOf = (uuid: string) => (stored ? stored.get(uuid) : app.alerts.offline.state(uuid));
      return (await app.store.alerts.offlineRules()).map((r) => offlineRuleWire(r, stateOf(r.client)));
    },
  }),
  defineMethod({
    name: 'admin:editOfflineNotification',
    summary: 'Create or change offline rules: [{client, enable, grace_period, channels?, quiet?}]',
    params: editParams,
    rawParams: true,
    handler: async (items, { app }) => {
      if (items.length === 0) throw AppError.invalidParams('At least one notification is required');
      const old = new Map((await app.store.alerts.offlineRules()).map((r) => [r.client, r]));
      for (const it of items) {
        if (!it.client) throw AppError.invalidParams('Client UUID cannot be empty');
        if (it.grace_period === undefined || it.grace_period <= 0) throw AppError.invalidParams('GracePeriod must be a positive integer');
        requireChannels(app, added(it.channels, old.get(it.client)?.channels));
      }
      await requireNodes(app, items.map((i) => i.client));
      await app.store.alerts.upsertOfflineRules(
        items.map((i) => ({ client: i.client, enable: i.enable ?? false, gracePeriod: i.grace_period, channels: i.channels, quiet: i.quiet })),
      );
      await app.alerts.offline.reloadRules();
      return undefined;
    },
  }),
  ...(['enable', 'disable'] as const).map((verb) =>
    defineMethod({
      name: `admin:${verb}OfflineNotification`,
      summary: `Turn offline alerts ${verb === 'enable' ? 'on' : 'off'} for these nodes: [uuid, …]`,
      params: uuidsParams,
      rawParams: true,
      handler: async (uuids, { app }) => {
        await requireNodes(app, uuids);
        await app.store.alerts.upsertOfflineRules(uuids.map((client) => ({ client, enable: verb === 'enable' })));
        await app.alerts.offline.reloadRules();
        return undefined;
      },
    }),
  ),
];
