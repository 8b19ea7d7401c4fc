import { channelChoiceSchema, quietWindowSchema } from '@komari-ts/protocol';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { AppError } from '../../errors.ts';
import type { ChannelChoice } from '../store/types.ts';

/** The fields every komari-ts rule may carry beside Komari's. */
export const channelsField = channelChoiceSchema.optional();
export const quietField = quietWindowSchema.nullable().optional();
export const nodeList = z.array(z.string().max(64)).max(10_000);

/** Every uuid names a node; else 400 naming the first that does not (nothing is changed). */
export async function requireNodes(app: AppContext, uuids: readonly string[]): Promise<void> {
  for (const uuid of uuids) {
    if (!(await app.store.nodes.get(uuid))) throw AppError.invalidParams(`Client not found: ${uuid}`);
  }
}

/**
 * What `next` names that `old` did not: only new references must exist. A node, task or channel
 * deleted since the rule was saved stays in it harmlessly, and an edit that posts the rule back
 * whole (Komari's UI does) must not be refused for it.
 */
export function added<T>(next: readonly T[] | null | undefined, old: readonly T[] | null | undefined): T[] {
  return (next ?? []).filter((x) => !(old ?? []).includes(x));
}

/** Every id is a channel (0 = Komari's active sender). */
export function requireChannels(app: AppContext, choice: ChannelChoice | undefined): void {
  if (!choice) return;
  const known = new Set(app.alerts.channels().map((c) => c.id));
  for (const id of choice) if (id !== 0 && !known.has(id)) throw AppError.invalidParams(`Channel not found: ${id}`);
}

export function requireRoom(count: number, app: AppContext, what: string): void {
  if (count >= app.limits.alerts.maxRules) throw AppError.invalidParams(`Too many ${what} (at most ${app.limits.alerts.maxRules})`);
}
