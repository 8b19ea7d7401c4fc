import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { AppError } from '../../errors.ts';
import { actorUuid } from '../../rpc/caller.ts';
import { defineMethod, noParams, type MethodDef } from '../../rpc/registry.ts';
import type { PingRule, PingRuleFields } from '../store/types.ts';
import { pingRuleWire } from '../wire.ts';
import { added, channelsField, nodeList, quietField, requireChannels, requireNodes, requireRoom } from './checks.ts';

const fields = {
  name: z.string().max(255).optional(),
  enabled: z.boolean().optional(),
  task_id: z.number().int().optional(),
  clients: nodeList.optional(),
  loss_percent: z.number().min(0).max(100).optional(),
  latency_ms: z.number().min(0).max(600_000).optional(),
  window_minutes: z.number().int().min(1).max(1440).optional(),
  reminder_minutes: z.number().int().min(0).max(10_080).optional(),
  notify_resolved: z.boolean().optional(),
  channels: channelsField,
  quiet: quietField,
};
const addParams = z.object(fields);
const editParams = z.object({ id: z.number().int(), ...fields });
const deleteParams = z.object({ id: z.array(z.number().int()).min(1, 'id is required').max(1000) });

type Input = z.output<typeof addParams>;

function patchOf(p: Input): Partial<PingRuleFields> {
  const out: Partial<PingRuleFields> = {};
  if (p.name !== undefined) out.name = p.name;
  if (p.enabled !== undefined) out.enabled = p.enabled;
  if (p.task_id !== undefined) out.taskId = p.task_id;
  if (p.clients !== undefined) out.clients = p.clients;
  if (p.loss_percent !== undefined) out.lossPercent = p.loss_percent;
  if (p.latency_ms !== undefined) out.latencyMs = p.latency_ms;
  if (p.window_minutes !== undefined) out.windowMinutes = p.window_minutes;
  if (p.reminder_minutes !== undefined) out.reminderMinutes = p.reminder_minutes;
  if (p.notify_resolved !== undefined) out.notifyResolved = p.notify_resolved;
  if (p.channels !== undefined) out.channels = p.channels;
  if (p.quiet !== undefined) out.quiet = p.quiet;
  return out;
}

/** A rule as it would be saved; on edit, only what is new relative to `old` must exist. */
async function check(app: AppContext, p: Partial<PingRuleFields>, old?: PingRule): Promise<void> {
  if (p.taskId !== undefined && p.taskId !== old?.taskId && !app.ping.task(p.taskId)) throw AppError.invalidParams(`Ping task not found: ${p.taskId}`);
  await requireNodes(app, added(p.clients, old?.clients));
  requireChannels(app, added(p.channels, old?.channels));
  if (p.lossPercent !== undefined && p.latencyMs !== undefined && p.lossPercent <= 0 && p.latencyMs <= 0) {
    throw AppError.invalidParams('loss_percent or latency_ms is required');
  }
}

/** komari-ts's latency and loss rules per ping task (Komari has none). */
export const pingRuleMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:listPingAlertRules',
    summary: 'Every latency/loss rule',
    params: noParams,
    handler: (_p, { app }) => app.alerts.pingRules.rules().map(pingRuleWire),
  }),
  defineMethod({
    name: 'admin:addPingAlertRule',
    summary: 'Add a latency/loss rule: {name, task_id, clients, loss_percent, latency_ms, window_minutes, …}',
    params: addParams,
    namedOnly: true,
    handler: async (p, { app, caller }) => {
      if (p.task_id === undefined) throw AppError.invalidParams('task_id is required');
      const rule: PingRuleFields = {
        name: p.name ?? '',
        enabled: p.enabled ?? true,
        taskId: p.task_id,
        clients: p.clients ?? [],
        lossPercent: p.loss_percent ?? 0,
        latencyMs: p.latency_ms ?? 0,
        windowMinutes: p.window_minutes ?? 5,
        reminderMinutes: p.reminder_minutes ?? 0,
        notifyResolved: p.notify_resolved ?? true,
        channels: p.channels ?? null,
        quiet: p.quiet ?? null,
      };
      await check(app, rule);
      requireRoom(app.alerts.pingRules.rules().length, app, 'latency/loss rules');
      const id = await app.store.alerts.addPingRule(rule);
      await app.alerts.pingRules.reload();
      await app.audit.log(caller.meta.ip, actorUuid(caller), `add latency/loss alert ${id}: ${rule.name}`, 'info');
      return { id };
    },
  }),
  defineMethod({
    name: 'admin:editPingAlertRule',
    summary: 'Change a latency/loss rule: {id, …fields}',
    params: editParams,
    namedOnly: true,
    handler: async ({ id, ...p }, { app, caller }) => {
      const old = app.alerts.pingRules.rules().find((r) => r.id === id);
      if (!old) throw AppError.notFound(`Rule not found: ${id}`);
      const patch = patchOf(p);
      await check(app, { ...old, ...patch }, old);
      await app.store.alerts.editPingRules([{ id, ...patch }]);
      await app.alerts.pingRules.reload();
      await app.audit.log(caller.meta.ip, actorUuid(caller), `edit latency/loss alert ${id}`, 'info');
      return undefined;
    },
  }),
  defineMethod({
    name: 'admin:deletePingAlertRule',
    summary: 'Delete latency/loss rules: {id: [1, 2]}',
    params: deleteParams,
    namedOnly: true,
    handler: async ({ id }, { app, caller }) => {
      if ((await app.store.alerts.deletePingRules(id)) === 0) throw AppError.notFound('record not found');
      await app.alerts.pingRules.reload();
      await app.audit.log(caller.meta.ip, actorUuid(caller), `delete latency/loss alert ${id.join(', ')}`, 'warn');
      return undefined;
    },
  }),
];
