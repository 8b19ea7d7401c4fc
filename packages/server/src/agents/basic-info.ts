import { basicInfoSchema } from '@komari-ts/protocol';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { formatZodError } from '../rpc/bind-params.ts';

/**
 * Saves an agent's basic info (agent-protocol.md §4.2) onto its node: only the known columns,
 * unknown keys ignored (decision 4; e.g. newer agents' `agent_report_interval`, komari-1.5.md
 * §1.6, which Komari also drops), null treated as absent. `fallbackIp` is the v1 rule: when
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
  if (!info.region) {
    const region = await regionFromAddress(app, uuid, info);
    if (region) info.region = region;
  }
  const changed = await app.store.nodes.update(uuid, { ...info, updated_at: app.clock.now() });
  if (!changed) throw AppError.notFound('record not found', uuid);
}

/**
 * Komari's GeoIP step (agent-protocol.md §4.2): the flag of the first of ipv4, ipv6 the offline
 * database places. komari-ts fills `region` only while the node has none, so a region the admin
 * set is kept. A failed lookup leaves it unchanged.
 */
async function regionFromAddress(app: AppContext, uuid: string, info: { ipv4?: string; ipv6?: string }): Promise<string | undefined> {
  if (!app.geoip.enabled) return undefined;
  try {
    if ((await app.store.nodes.get(uuid))?.region) return undefined;
    return await app.geoip.regionOf([info.ipv4, info.ipv6]);
  } catch (err) {
    app.log.warn({ err }, 'GeoIP lookup for a node region failed');
    return undefined;
  }
}
