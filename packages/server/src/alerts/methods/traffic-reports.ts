import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { defineMethod, noParams, type MethodDef } from '../../rpc/registry.ts';
import { toNodeWire } from '../../services/node-wire.ts';
import { requireNodes } from './checks.ts';

const cadenceMessage = 'at least one cadence must be selected when enabling traffic reports';

const editParams = z
  .array(
    z.object({
      client: z.string().max(64),
      enable: z.boolean().optional(),
      daily: z.boolean().optional(),
      weekly: z.boolean().optional(),
      monthly: z.boolean().optional(),
    }),
  )
  .max(10_000);
const uuidsParams = z.array(z.string().max(64)).max(10_000);

/** admin-api.md §13: Komari's traffic-report rules (deprecated in Komari 1.5). Not audited, as in Komari. */
export const trafficReportMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:listTrafficReportNotifications',
    summary: 'Every node’s traffic-report rule, with the node',
    params: noParams,
    handler: async (_p, { app }) => {
      const out = [];
      for (const r of await app.store.alerts.trafficReportRules()) {
        const node = await app.store.nodes.get(r.client);
        out.push({ client: r.client, enable: r.enable, daily: r.daily, weekly: r.weekly, monthly: r.monthly, client_info: node ? toNodeWire(node) : null });
      }
      return out;
    },
  }),
  defineMethod({
    name: 'admin:editTrafficReportNotifications',
    summary: 'Create or change traffic-report rules: [{client, enable, daily, weekly, monthly}]',
    params: editParams,
    rawParams: true,
    handler: async (items, { app }) => {
      if (items.length === 0) throw AppError.invalidParams('At least one notification is required');
      for (const it of items) {
        if (!it.client) throw AppError.invalidParams('client UUID cannot be empty');
        if (it.enable && !it.daily && !it.weekly && !it.monthly) throw AppError.invalidParams(cadenceMessage);
      }
      await requireNodes(app, items.map((i) => i.client));
      await app.store.alerts.upsertTrafficReportRules(
        items.map((i) => ({ client: i.client, enable: i.enable ?? false, daily: i.daily ?? false, weekly: i.weekly ?? false, monthly: i.monthly ?? false })),
      );
      return undefined;
    },
  }),
  ...(['enable', 'disable'] as const).map((verb) =>
    defineMethod({
      name: `admin:${verb}TrafficReportNotifications`,
      summary: `Turn traffic reports ${verb === 'enable' ? 'on' : 'off'} for these nodes: [uuid, …]`,
      params: uuidsParams,
      rawParams: true,
      handler: async (uuids, { app }) => {
        if (verb === 'enable') {
          const rows = new Map((await app.store.alerts.trafficReportRules()).map((r) => [r.client, r]));
          // Komari answers these with 500 and the same texts as the edit.
          for (const uuid of uuids) {
            const r = rows.get(uuid);
            if (!r || (!r.daily && !r.weekly && !r.monthly)) throw AppError.internal(cadenceMessage);
          }
        } else {
          await requireNodes(app, uuids);
        }
        await app.store.alerts.upsertTrafficReportRules(uuids.map((client) => ({ client, enable: verb === 'enable' })));
        return undefined;
      },
    }),
  ),
];
