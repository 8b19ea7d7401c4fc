import { z } from 'zod';
import { RpcCode } from '@komari-ts/protocol';
import { AppError } from '../errors.ts';
import { defineMethod, noParams, type MethodDef } from './registry.ts';

/** `rpc.*` methods, open to every caller (rpc2.md §8). */
export const builtinMethods: MethodDef[] = [
  defineMethod({
    name: 'rpc.methods',
    summary: 'List every registered method name',
    params: z.object({ internal: z.boolean().optional() }),
    positional: ['internal'],
    handler: ({ internal }, { app }) =>
      app.registry.names().filter((n) => internal === true || !n.startsWith('rpc.')),
  }),
  defineMethod({
    name: 'rpc.help',
    summary: 'Describe one method, or list all with their summaries',
    params: z.object({ method: z.string().optional() }),
    positional: ['method'],
    handler: ({ method }, { app }) => {
      if (method) {
        const meta = app.registry.meta(method);
        if (!meta) throw new AppError(RpcCode.InvalidRequest, 'method not found');
        return meta;
      }
      return app.registry.names().map((name) => {
        const summary = app.registry.meta(name)?.summary;
        return summary ? { name, summary } : { name };
      });
    },
  }),
  defineMethod({ name: 'rpc.ping', summary: 'Liveness check', params: noParams, handler: () => 'pong' }),
  defineMethod({ name: 'rpc.version', summary: 'JSON-RPC version', params: noParams, handler: () => '2.0' }),
];
