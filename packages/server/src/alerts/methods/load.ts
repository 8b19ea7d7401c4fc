import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { AppError } from '../../errors.ts';
import { defineMethod, noParams, type MethodDef } from '../../rpc/registry.ts';
import type { LoadRuleFields } from '../store/types.ts';
import { loadRuleWire } from '../wire.ts';
import { added, channelsField, nodeList, quietField, requireChannels, requireNodes, requireRoom } from './checks.ts';

const fields = {
  name: z.string().max(255).optional(),
  clients: nodeList.optional(),
  metric: z.string().max(32).optional(),
  threshold: z.number().finite().optional(),
  ratio: z.number().finite().optional(),
  interval: z.number().int().optional(),
  consecutive: z.number().int().min(1).max(1000).optional(),
  reminder_minutes: z.number().int().min(0).max(10_080).optional(),
  notify_resolved: z.boolean().optional(),
  channels: channelsField,
  quiet: quietField,
};
const addParams = z.object(fields);
const editParams = z.object({ notifications: z.array(z.object({ id: z.number().int(), ...fields })).max(1000).optional() });
const deleteParams = z.object({ id: z.array(z.number().int()).max(1000).optional() });

type Input = z.output<typeof addParams>;

/** Komari's range checks, with its messages; the Komari import applies them to imported rules too. */
export function loadRuleRangeProblem(p: { interval?: number; ratio?: number }): string | undefined {
  if (p.interval !== undefined && p.interval !== 0 && (p.interval < 1 || p.interval > 240)) return 'Interval must be between 1 and 240 minutes';
  if (p.ratio !== undefined && p.ratio !== 0 && (p.ratio <= 0 || p.ratio > 1)) return 'Ratio must be between 0 and 1';
  return undefined;
}

/** komari-ts applies the range checks on edit too (Komari's edit skips them). */
function checkRanges(p: Input): void {
  const problem = loadRuleRangeProblem(p);
  if (problem) throw AppError.invalidParams(problem);
}

/** The fields of an edit that change: Komari skips zero values (0, "", empty list); ours apply when present. */
function patchOf(p: Input): Partial<LoadRuleFields> {
  const out: Partial<LoadRuleFields> = {};
  if (p.name) out.name = p.name;
  if (p.clients && p.clients.length > 0) out.clients = p.clients;
  if (p.metric) out.metric = p.metric;
  if (p.threshold) out.threshold = p.threshold;
  if (p.ratio) out.ratio = p.ratio;
  if (p.interval) out.interval = p.interval;
  if (p.consecutive !== undefined) out.consecutive = p.consecutive;
  if (p.reminder_minutes !== undefined) out.reminderMinutes = p.reminder_minutes;
  if (p.notify_resolved !== undefined) out.notifyResolved = p.notify_resolved;
  if (p.channels !== undefined) out.channels = p.channels;
  if (p.quiet !== undefined) out.quiet = p.quiet;
  return out;
}

async function checkRefs(app: AppContext, p: Input): Promise<void> {
  requireChannels(app, p.channels);
  if (p.clients) await requireNodes(app, p.clients);
}

/** admin-api.md §13: load rules. Not audited, as in Komari. */
export const loadMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:getAllLoadNotifications',
    summary: 'Every load rule',
    params: noParams,
    handler: async (_p, { app }) => app.alerts.load.rules().map(loadRuleWire),
  }),
  defineMethod({
    name: 'admin:addLoadNotification',
    summary: 'Add a load rule: {name, clients, metric, threshold, ratio, interval, …}',
    params: addParams,
    namedOnly: true,
    handler: async (p, { app }) => {
      if (!p.clients?.length || !p.metric || !p.threshold || !p.ratio || !p.interval) {
        throw AppError.invalidParams('clients, metric, threshold, ratio and interval are required');
      }
      checkRanges(p);
      await checkRefs(app, p);
      requireRoom(app.alerts.load.rules().length, app, 'load rules');
      const id = await app.store.alerts.addLoadRule({
        name: p.name ?? '',
        clients: p.clients,
        metric: p.metric,
        threshold: p.threshold,
        ratio: p.ratio,
        interval: p.interval,
        consecutive: p.consecutive ?? 1,
        reminderMinutes: p.reminder_minutes ?? 0,
        notifyResolved: p.notify_resolved ?? true,
        channels: p.channels ?? null,
        quiet: p.quiet ?? null,
      });
      await app.alerts.load.reload();
      return { task_id: id };
    },
  }),
  defineMethod({
    name: 'admin:editLoadNotification',
    summary: 'Change load rules: {notifications: [{id, …fields}]}',
    params: editParams,
    namedOnly: true,
    bindError: 'Invalid request data',
    handler: async ({ notifications }, { app }) => {
      if (!notifications || notifications.length === 0) throw AppError.invalidParams('Invalid request data');
      for (const n of notifications) {
        checkRanges(n);
        const old = app.alerts.load.rules().find((r) => r.id === n.id);
        requireChannels(app, added(n.channels, old?.channels));
        await requireNodes(app, added(n.clients, old?.clients));
      }
      const missing = await app.store.alerts.editLoadRules(notifications.map((n) => ({ id: n.id, ...patchOf(n) })));
      if (missing.length > 0) throw AppError.internal('record not found');
      await app.alerts.load.reload();
      return undefined;
    },
  }),
  defineMethod({
    name: 'admin:deleteLoadNotification',
    summary: 'Delete load rules: {id: [1, 2]}',
    params: deleteParams,
    namedOnly: true,
    handler: async ({ id }, { app }) => {
      if (!id || id.length === 0) throw AppError.invalidParams('id is required');
      if ((await app.store.alerts.deleteLoadRules(id)) === 0) throw AppError.internal('record not found');
      await app.alerts.load.reload();
      return undefined;
    },
  }),
];
