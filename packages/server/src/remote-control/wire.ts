import type { AdminNodeWire } from '@komari-ts/protocol';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { formatZodError } from '../rpc/bind-params.ts';
import { followServer, type RemoteOverridePatch } from './store/types.ts';

const overrideValue = z.boolean().nullable().optional();

/** `{exec?, terminal?, files?}`, each true, false or null (follow the server-wide switch). */
export const overridePatchSchema = z.strictObject({ exec: overrideValue, terminal: overrideValue, files: overrideValue });

/** A `remote_control` value of a node edit: refused with a reason unless it is a patch. */
export function parseOverridePatch(value: unknown, field = 'remote_control'): RemoteOverridePatch {
  const parsed = overridePatchSchema.safeParse(value);
  if (!parsed.success) throw AppError.invalidParams(`${field}: ${formatZodError(parsed.error)}`);
  return parsed.data;
}

/** Adds each node's override to an admin's list of nodes, with one read of the store. */
export async function withRemoteControl(app: AppContext, nodes: Omit<AdminNodeWire, 'remote_control'>[]): Promise<AdminNodeWire[]> {
  const overrides = await app.store.remoteControl.all();
  return nodes.map((n) => ({ ...n, remote_control: overrides.get(n.uuid) ?? { ...followServer } }));
}

/** Describes a patch for the audit log: `exec=off terminal=follow`. */
export function describePatch(patch: RemoteOverridePatch): string {
  const word = (v: boolean | null) => (v === null ? 'follow' : v ? 'on' : 'off');
  return Object.entries(patch)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${word(v as boolean | null)}`)
    .join(' ');
}
