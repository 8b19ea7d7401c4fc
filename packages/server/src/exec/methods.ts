import { z } from 'zod';
import { AppError } from '../errors.ts';
import { defineMethod, type MethodDef } from '../rpc/registry.ts';
import { execQueryMethods } from './query-methods.ts';
import { runExec } from './run-exec.ts';
import { saveTaskResult, taskResultParams } from './task-result.ts';

const execParams = z.object({
  command: z.string().optional(),
  clients: z.array(z.string()).optional(),
});

/** The remote exec methods (admin-api.md §5, rpc2.md §10.3/§10.4); each is bound to its REST route. */
export const execMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:exec',
    summary: 'Run a shell command on the given nodes; results arrive from the agents',
    params: execParams,
    positional: ['command', 'clients'],
    sensitive: true,
    handler: ({ command, clients }, ctx) => runExec(ctx.app, ctx.caller, command ?? '', clients ?? []),
  }),
  defineMethod({
    name: 'client:taskResult',
    summary: "An agent's result of an exec task; the finish time is the server's",
    params: taskResultParams,
    positional: ['task_id', 'result', 'exit_code'],
    bindError: 'Invalid request',
    handler: async (p, { app, caller }) => {
      if (caller.kind !== 'agent') throw AppError.denied();
      await saveTaskResult(app, caller.node.uuid, p);
      return { status: 'success', message: 'Task result updated successfully' };
    },
  }),
  ...execQueryMethods,
];
