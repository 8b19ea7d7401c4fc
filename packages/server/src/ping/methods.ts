import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { isAdmin } from '../rpc/caller.ts';
import { defineMethod, noParams, type MethodDef } from '../rpc/registry.ts';
import { adminProbeErrors } from './probe-error-wire.ts';
import { pingRecordsRest } from './records-rest.ts';
import { pingResultSchema, savePingResult } from './results.ts';
import { editSchema, publicTaskWire, taskFields, taskFieldsSchema, taskWire, validTaskId } from './task-input.ts';
import { hiddenSet, withoutHiddenClients } from './wire.ts';

async function knownNodes(app: AppContext): Promise<Set<string>> {
  return new Set((await app.store.nodes.list()).map((n) => n.uuid));
}

function taskIds(ids: readonly unknown[]): number[] {
  for (const id of ids) if (!validTaskId(id)) throw AppError.invalidParams(`Invalid task id: ${JSON.stringify(id)}`);
  return ids as number[];
}

/** admin:* ping task methods (admin-api.md §4). Changes are not audited, as in Komari. */
const adminMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:getAllPingTasks',
    summary: 'Every ping task with its target, by weight then id; `probe_errors` lists nodes whose last probe could not run',
    params: noParams,
    handler: (_p, { app }) => {
      const errors = app.ping.errors.byTask();
      return app.ping.tasks().map((t) => {
        const list = errors.get(t.id);
        // komari-ts's extra key, only when there is something to say: Komari's shape otherwise
        return list ? { ...taskWire(t), probe_errors: adminProbeErrors(list) } : taskWire(t);
      });
    },
  }),
  defineMethod({
    name: 'admin:addPingTask',
    summary: 'Create a ping task; returns its id',
    params: taskFieldsSchema,
    namedOnly: true,
    handler: async (p, { app }) => ({ task_id: await app.ping.add(taskFields(p, await knownNodes(app))) }),
  }),
  defineMethod({
    name: 'admin:editPingTask',
    summary: 'Overwrite ping tasks (all or nothing)',
    params: editSchema,
    namedOnly: true,
    handler: async ({ tasks }, { app }) => {
      if (!tasks || tasks.length === 0 || tasks.some((t) => t === null)) throw AppError.invalidParams('Invalid request data');
      const known = await knownNodes(app);
      const edits = tasks.map((t) => {
        const [id] = taskIds([t!.id]);
        return { ...taskFields(t!, known), id: id! };
      });
      await app.ping.edit(edits);
      return undefined;
    },
  }),
  defineMethod({
    name: 'admin:deletePingTask',
    summary: 'Delete ping tasks and their history (all or nothing)',
    params: z.object({ id: z.array(z.unknown()).nullish() }),
    namedOnly: true,
    handler: async ({ id }, { app }) => {
      if (!id || id.length === 0) throw AppError.invalidParams('id is required');
      await app.ping.remove(taskIds(id));
      return undefined;
    },
  }),
  defineMethod({
    name: 'admin:orderPingTask',
    summary: 'Set ping task weights from a {id: weight} map',
    params: z.record(z.string(), z.number().int()),
    bindError: 'Invalid or missing request body',
    handler: async (weights, { app }) => {
      const map = new Map<number, number>();
      for (const [k, w] of Object.entries(weights)) {
        if (!/^\d+$/.test(k) || !validTaskId(Number(k))) throw AppError.invalidParams(`Invalid task id: ${k}`);
        map.set(Number(k), w);
      }
      await app.ping.order(map);
      return undefined;
    },
  }),
];

/** public:* and client:* ping methods (rpc2.md §10.2, §10.3). */
const openMethods: MethodDef[] = [
  defineMethod({
    name: 'public:getPublicPingTasks',
    summary: 'Every ping task without its target (REST /api/task/ping)',
    params: noParams,
    handler: async (_p, { app, caller }) => {
      const hidden = hiddenSet(await app.store.nodes.list(), isAdmin(caller));
      return app.ping.tasks().map((t) => publicTaskWire(withoutHiddenClients(t, hidden)));
    },
  }),
  defineMethod({
    name: 'public:getPingRecords',
    summary: 'Ping history by node and/or task (REST /api/records/ping)',
    params: z.object({ uuid: z.unknown().optional(), task_id: z.unknown().optional(), hours: z.unknown().optional() }),
    positional: ['uuid', 'task_id', 'hours'],
    handler: (p, { app, caller }) => pingRecordsRest(app, caller, p),
  }),
  defineMethod({
    name: 'client:getPingTasks',
    summary: 'The ping tasks of the calling agent, with targets',
    params: noParams,
    handler: async (_p, { app, caller }) => {
      const uuid = caller.kind === 'agent' ? caller.node.uuid : '';
      // An agent sees the other nodes of its tasks as a guest would; itself even when hidden.
      const hidden = hiddenSet(await app.store.nodes.list(), false);
      hidden.delete(uuid);
      return app.ping.tasks().filter((t) => t.clients.includes(uuid)).map((t) => taskWire(withoutHiddenClients(t, hidden)));
    },
  }),
  defineMethod({
    name: 'client:uploadPingResult',
    summary: 'One ping result of the calling agent (value in ms, -1 = lost)',
    params: pingResultSchema.extend({ finished_at: z.unknown().optional() }),
    // An agent sends an object; an array body is refused rather than read as [task_id, value].
    namedOnly: true,
    bindError: 'Invalid request',
    handler: (p, { app, caller }) => {
      if (caller.kind !== 'agent') throw AppError.invalidParams('client_uuid not found');
      try {
        savePingResult(app, caller.node.uuid, p);
      } catch (err) {
        throw AppError.failed(`Failed to save ping result: ${err instanceof Error ? err.message : String(err)}`, err);
      }
      return { status: 'success' };
    },
  }),
];

export const pingMethods: MethodDef[] = [...adminMethods, ...openMethods];
