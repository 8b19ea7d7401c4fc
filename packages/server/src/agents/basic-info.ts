import { basicInfoSchema } from '@komari-ts/protocol';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { formatZodError } from '../rpc/bind-params.ts';

/**
 * Saves an agent's basic info (agent-protocol.md §4.2) onto its node: only the known columns,
 * unknown keys ignored (decision 4), null treated as absent. `fallbackIp` is the v1 rule: when
 * the agent sent neither address, the request's address is written by its family.
 */
export async function saveBasicInfo(app: AppContext, uuid: string, raw: unknown, fallbackIp?: string): Promise<void> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw AppError.invalidParams('basic info must be a JSON object');
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null));
  const parsed = basicInfoSchema.safeParse(present);
  if (!parsed.success) throw AppError.invalidParams(formatZodError(parsed.error));
  const info = { ...parsed.data };
  if (fallbackIp && !info.ipv4 && !info.ipv6) {
    const ip = fallbackIp.replace(/^::ffff:(?=\d+\.)/i, '');
    if (ip.includes(':')) info.ipv6 = ip;
    else info.ipv4 = ip;
  }
  const changed = await app.store.nodes.update(uuid, { ...info, updated_at: app.clock.now() });
  if (!changed) throw AppError.notFound('record not found', uuid);
}
