import { randomUUID } from 'node:crypto';
import { nodeEditSchema } from '@komari-ts/protocol';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { randomToken } from '../auth/random-token.ts';
import { AppError } from '../errors.ts';
import { formatZodError } from '../rpc/bind-params.ts';
import { actorUuid } from '../rpc/caller.ts';
import { defineMethod, noParams, type CallContext, type MethodDef } from '../rpc/registry.ts';
import { setNodeOverride } from '../remote-control/methods.ts';
import { parseOverridePatch, withRemoteControl } from '../remote-control/wire.ts';
import { toAdminNodeWire } from '../services/node-wire.ts';
import type { NodePatch, NodeRow } from '../store/types.ts';
import { StoreConflict } from '../store/errors.ts';

const uuidParam = z.object({ uuid: z.string().optional() });

function requireUuid(uuid: string | undefined): string {
  if (!uuid) throw AppError.invalidParams('Invalid or missing UUID');
  return uuid;
}

async function existing(ctx: CallContext, uuid: string): Promise<NodeRow> {
  const node = await ctx.app.store.nodes.get(uuid);
  if (!node) throw AppError.notFound('record not found', uuid);
  return node;
}

function audit(ctx: CallContext, message: string, type: 'info' | 'warn') {
  return ctx.app.audit.log(ctx.caller.meta.ip, actorUuid(ctx.caller), message, type);
}

/** Keys a node edit may carry but that are not the admin's to change; dropped silently. */
const readOnlyKeys = new Set([
  'uuid', 'created_at', 'updated_at', 'cpu_name', 'virtualization', 'arch', 'cpu_cores', 'cpu_physical_cores', 'os',
  'kernel_version', 'gpu_name', 'mem_total', 'swap_total', 'disk_total', 'version',
  // what the agent reported, shown to admins beside the node (a UI posts the node back whole)
  'capabilities',
]);

export function blankNode(uuid: string, name: string, now: number): NodeRow {
  return {
    uuid, token: randomToken(22), name, cpu_name: '', virtualization: '', arch: '', cpu_cores: 0, cpu_physical_cores: 0,
    os: '', kernel_version: '', gpu_name: '', ipv4: '', ipv6: '', region: '', remark: '', public_remark: '',
    mem_total: 0, swap_total: 0, disk_total: 0, version: '', weight: 0, price: 0, billing_cycle: 0, auto_renewal: false,
    currency: '$', expired_at: null, group: '', tags: '', hidden: false, traffic_limit: 0, traffic_limit_type: 'max',
    created_at: now, updated_at: now,
  };
}

/**
 * Creates a blank node with a fresh uuid and agent token (admin:addClient, auto-discovery);
 * an empty name becomes `client_<first 8 of the uuid>`. The node joins every default-on ping
 * task (admin-api.md §2.2).
 */
export async function createNode(app: AppContext, name: string): Promise<{ uuid: string; token: string }> {
  const uuid = randomUUID();
  const node = blankNode(uuid, name || `client_${uuid.slice(0, 8)}`, app.clock.now());
  await app.store.nodes.create(node);
  await app.ping.addNodeToDefaultTasks(uuid);
  return { uuid, token: node.token };
}

function parseEdit(params: Record<string, unknown>): NodePatch {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (readOnlyKeys.has(k)) continue;
    if (!Object.hasOwn(nodeEditSchema.shape, k)) throw AppError.invalidParams(`Unknown field: ${k}`);
    fields[k] = v;
  }
  const parsed = nodeEditSchema.safeParse(fields);
  if (!parsed.success) throw AppError.invalidParams(formatZodError(parsed.error));
  const { expired_at, ...rest } = parsed.data;
  const patch: NodePatch = { ...rest };
  if (expired_at !== undefined) patch.expired_at = expired_at === null ? null : Date.parse(expired_at);
  return patch;
}

export const nodeAdminMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:addClient',
    summary: 'Create a node; returns its uuid and agent token',
    params: z.object({ name: z.string().max(100).optional() }),
    positional: ['name'],
    handler: async ({ name }, ctx) => {
      const created = await createNode(ctx.app, name?.trim() || '');
      if (name?.trim()) await audit(ctx, `create client:${created.uuid}`, 'info');
      return created;
    },
  }),
  defineMethod({
    name: 'admin:listClients',
    summary: 'Every node with its token',
    params: noParams,
    handler: async (_p, { app }) => {
      const capabilities = (uuid: string) => app.agentCapabilities.of(uuid);
      return withRemoteControl(app, (await app.store.nodes.list()).map((n) => toAdminNodeWire(n, capabilities)));
    },
  }),
  defineMethod({
    name: 'admin:getClient',
    summary: 'One node with its token',
    params: uuidParam,
    positional: ['uuid'],
    handler: async ({ uuid }, ctx) => {
      const node = toAdminNodeWire(await existing(ctx, requireUuid(uuid)), (id) => ctx.app.agentCapabilities.of(id));
      return (await withRemoteControl(ctx.app, [node]))[0];
    },
  }),
  defineMethod({
    name: 'admin:editClient',
    summary: 'Change the editable fields of a node; `remote_control: {exec?, terminal?, files?}` sets its remote control override',
    params: z.looseObject({ uuid: z.string().optional() }),
    namedOnly: true,
    bindError: 'Invalid params',
    handler: async (params, ctx) => {
      const uuid = requireUuid(params.uuid);
      const { uuid: _u, remote_control: remote, ...rest } = params;
      const patch = parseEdit(rest);
      const remotePatch = remote === undefined ? undefined : parseOverridePatch(remote);
      await existing(ctx, uuid);
      try {
        await ctx.app.store.nodes.update(uuid, { ...patch, updated_at: ctx.app.clock.now() });
      } catch (err) {
        if (err instanceof StoreConflict) throw AppError.invalidParams('token is already used by another node');
        throw err;
      }
      if (remotePatch) await setNodeOverride(ctx.app, ctx.caller, uuid, remotePatch);
      await audit(ctx, `edit client:${uuid}`, 'info');
      return undefined;
    },
  }),
  defineMethod({
    name: 'admin:removeClient',
    summary: 'Delete a node',
    params: uuidParam,
    positional: ['uuid'],
    handler: async ({ uuid }, ctx) => {
      const id = requireUuid(uuid);
      if (!(await ctx.app.store.nodes.remove(id))) throw AppError.notFound('record not found', id);
      // The node's socket is closed and its live state, queued commands and history go with it.
      ctx.app.live.forget(id);
      ctx.app.events.forget(id);
      await ctx.app.history.forget(id);
      await ctx.app.ping.forgetNode(id);
      await ctx.app.store.execTasks.deleteResultsOf(id);
      ctx.app.bus.publish('node.deleted', { uuid: id });
      await audit(ctx, `delete client:${id}`, 'warn');
      return undefined;
    },
  }),
  defineMethod({
    name: 'admin:getClientToken',
    summary: 'The agent token of a node',
    params: uuidParam,
    positional: ['uuid'],
    handler: async ({ uuid }, ctx) => ({ token: (await existing(ctx, requireUuid(uuid))).token }),
  }),
  defineMethod({
    name: 'admin:orderClients',
    summary: 'Set node weights from a {uuid: weight} map',
    params: z.record(z.string(), z.number().int()),
    bindError: 'Invalid or missing request body',
    handler: async (weights, ctx) => {
      await ctx.app.store.nodes.setWeights(new Map(Object.entries(weights)), ctx.app.clock.now());
      await audit(ctx, 'order clients', 'info');
      return undefined;
    },
  }),
];
