import { z } from 'zod';
import { AppError } from '../errors.ts';
import { defineMethod, noParams, type MethodDef } from '../rpc/registry.ts';
import type { ExecResult } from '../store/types.ts';
import { toResultWire, toTaskRowWire, toTaskWire } from './wire.ts';

const taskIdParam = z.object({ task_id: z.string().optional() });

function requireTaskId(taskId: string | undefined): string {
  if (!taskId) throw AppError.invalidParams('Task ID is required');
  return taskId;
}

function byTask(results: readonly ExecResult[]): Map<string, ExecResult[]> {
  const out = new Map<string, ExecResult[]>();
  for (const r of results) {
    const list = out.get(r.taskId);
    if (list) list.push(r);
    else out.set(r.taskId, [r]);
  }
  return out;
}

/**
 * The exec task queries of admin-api.md §5.2. Komari answers an unknown task or result with 500
 * "…: record not found"; the same text comes with 404 here, as for the other admin lookups.
 */
export const execQueryMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:getTasks',
    summary: 'Every exec task with its results',
    params: noParams,
    handler: async (_p, { app }) => {
      const results = byTask(await app.store.execTasks.results());
      return (await app.store.execTasks.list()).map((t) => toTaskWire(t, results.get(t.taskId) ?? []));
    },
  }),
  defineMethod({
    name: 'admin:getTaskById',
    summary: 'One exec task with its results',
    params: taskIdParam,
    positional: ['task_id'],
    handler: async ({ task_id }, { app }) => {
      const id = requireTaskId(task_id);
      const task = await app.store.execTasks.get(id);
      if (!task) throw AppError.notFound('Failed to retrieve task: record not found', id);
      return toTaskWire(task, await app.store.execTasks.results(id));
    },
  }),
  defineMethod({
    name: 'admin:getTaskResultsByTaskId',
    summary: 'The result rows of one exec task',
    params: taskIdParam,
    positional: ['task_id'],
    handler: async ({ task_id }, { app }) => {
      const id = requireTaskId(task_id);
      const results = await app.store.execTasks.results(id);
      if (results.length === 0) throw AppError.notFound('No results found for this task', id);
      return results.map(toResultWire);
    },
  }),
  defineMethod({
    name: 'admin:getSpecificTaskResult',
    summary: 'The result of one exec task on one node',
    params: z.object({ task_id: z.string().optional(), uuid: z.string().optional() }),
    positional: ['task_id', 'uuid'],
    handler: async ({ task_id, uuid }, { app }) => {
      if (!task_id || !uuid) throw AppError.invalidParams('Task ID and client UUID are required');
      const result = await app.store.execTasks.result(task_id, uuid);
      if (!result) throw AppError.notFound('Failed to retrieve task result: record not found', { task_id, uuid });
      return toResultWire(result);
    },
  }),
  defineMethod({
    name: 'admin:getTasksByClientId',
    summary: 'The exec tasks addressed to one node',
    params: z.object({ uuid: z.string().optional() }),
    positional: ['uuid'],
    handler: async ({ uuid }, { app }) => {
      if (!uuid) throw AppError.invalidParams('Client UUID is required');
      const tasks = await app.store.execTasks.byClient(uuid);
      if (tasks.length === 0) throw AppError.notFound('No tasks found for this client', uuid);
      return tasks.map(toTaskRowWire);
    },
  }),
];
