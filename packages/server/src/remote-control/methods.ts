import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { actorUuid, type Caller } from '../rpc/caller.ts';
import { defineMethod, type MethodDef } from '../rpc/registry.ts';
import { remoteKinds, type RemoteOverride, type RemoteOverridePatch } from './store/types.ts';
import { describePatch, parseOverridePatch } from './wire.ts';

/**
 * Sets a node's override and audits it (admin:setClientRemoteControl, and `remote_control` in
 * admin:editClient). A patch that changes nothing writes nothing and is not audited.
 */
export async function setNodeOverride(app: AppContext, caller: Caller, uuid: string, patch: RemoteOverridePatch): Promise<RemoteOverride> {
  if (!(await app.store.nodes.get(uuid))) throw AppError.notFound('record not found', uuid);
  const before = await app.store.remoteControl.get(uuid);
  // A Komari UI posts the whole node back on every edit: only what differs is written and audited.
  const changed: RemoteOverridePatch = {};
  for (const k of remoteKinds) if (patch[k] !== undefined && patch[k] !== before[k]) changed[k] = patch[k];
  if (Object.keys(changed).length === 0) return before;
  const next = await app.store.remoteControl.set(uuid, changed);
  await app.audit.log(caller.meta.ip, actorUuid(caller), `remote control client:${uuid}: ${describePatch(changed)}`, 'warn');
  return next;
}

export const remoteControlMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:setClientRemoteControl',
    summary: "Set a node's remote control override: {uuid, exec?, terminal?, files?}, each true, false or null (follow the server-wide switch); returns the override",
    params: z.looseObject({ uuid: z.unknown().optional() }),
    namedOnly: true,
    bindError: 'Invalid params',
    handler: async ({ uuid, ...rest }, ctx) => {
      if (typeof uuid !== 'string' || uuid === '') throw AppError.invalidParams('Invalid or missing UUID');
      const patch = parseOverridePatch(rest, 'params');
      if (Object.values(patch).every((v) => v === undefined)) throw AppError.invalidParams('Nothing to change: give exec, terminal or files');
      return setNodeOverride(ctx.app, ctx.caller, uuid, patch);
    },
  }),
];
