import { nodeEditSchema, nodeTextLimits } from '@komari-ts/protocol';
import type { NodeRow } from '../../store/types.ts';
import type { ImportContext } from './context.ts';
import { rowsOf } from './source-db.ts';
import { komariTime } from './time.ts';
import { bool, describe, int, textOrEmpty, type Row } from './values.ts';

const kind = 'nodes';

/** Fields an agent reports (basic info): text up to the label bound, or counts. */
const agentText = ['cpu_name', 'virtualization', 'arch', 'os', 'kernel_version', 'gpu_name', 'version'] as const;
const agentCounts = ['cpu_cores', 'cpu_physical_cores', 'mem_total', 'swap_total', 'disk_total'] as const;
/** Fields an admin edits: checked with the same schema `admin:editClient` applies. */
const adminFields = [
  'name', 'remark', 'public_remark', 'weight', 'price', 'billing_cycle', 'auto_renewal', 'currency', 'group', 'tags',
  'hidden', 'traffic_limit', 'traffic_limit_type', 'region', 'ipv4', 'ipv6',
] as const;
const booleans = new Set<string>(['auto_renewal', 'hidden']);
const numbers = new Set<string>(['weight', 'price', 'billing_cycle', 'traffic_limit']);

/** A node's uuid as Komari generates it: at most 36 characters of [0-9A-Za-z-] (it goes into URLs). */
const uuidPattern = /^[0-9A-Za-z-]{1,36}$/;
const tokenPattern = /^[\x21-\x7e]{1,255}$/;

/** Komari's uuid → token, for the refusal check (which nodes of the target came from this source). */
export function sourceTokens(ctx: Pick<ImportContext, 'db'>): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rowsOf(ctx.db, 'clients')) {
    const uuid = textOrEmpty(r.uuid);
    const token = textOrEmpty(r.token);
    if (uuid && token && !out.has(uuid)) out.set(uuid, token);
  }
  return out;
}

/**
 * Every Komari client with its uuid and token, so installed agents keep reporting. A field that
 * fails komari-ts's rules is left at its default and reported; a row without a usable uuid or
 * token is skipped. An existing node is never changed: its token stays (reported when Komari's
 * differs), and a token another node holds is refused.
 */
export async function importNodes(ctx: ImportContext): Promise<void> {
  const seen = new Set<string>();
  for (const r of rowsOf(ctx.db, 'clients')) {
    const uuid = textOrEmpty(r.uuid) ?? '';
    const token = textOrEmpty(r.token) ?? '';
    if (!uuid) {
      ctx.report.skip(kind, 'a client row with an empty uuid');
      continue;
    }
    if (!uuidPattern.test(uuid)) {
      ctx.report.skip(kind, `uuid ${describe(r.uuid)} is not a uuid`);
      continue;
    }
    if (seen.has(uuid)) {
      ctx.report.skip(kind, 'a second row with the same uuid', uuid);
      continue;
    }
    seen.add(uuid);
    if (!tokenPattern.test(token)) {
      ctx.report.skip(kind, 'its token is empty or not 1 to 255 visible ASCII characters', uuid);
      continue;
    }
    await placeNode(ctx, nodeRow(ctx, r, uuid, token));
  }
  for (const n of await ctx.store.nodes.list()) ctx.knownNodes.add(n.uuid);
}

async function placeNode(ctx: ImportContext, row: NodeRow): Promise<void> {
  const existing = await ctx.store.nodes.get(row.uuid);
  if (existing) {
    if (existing.token === row.token) {
      ctx.report.present(kind);
      ctx.nodes.add(row.uuid);
    } else {
      ctx.report.skip(kind, "a node with this uuid exists here with another token: kept it and its token (agents using Komari's token are refused until you set it)", row.uuid);
    }
    return;
  }
  const holder = await ctx.store.nodes.byToken(row.token);
  if (holder) {
    ctx.report.skip(kind, `its token belongs to node ${holder.uuid} here: left out (a token names one node)`, row.uuid);
    return;
  }
  await ctx.store.nodes.create(row);
  ctx.report.count(kind);
  ctx.nodes.add(row.uuid);
}

function nodeRow(ctx: ImportContext, r: Row, uuid: string, token: string): NodeRow {
  const now = ctx.clock.now();
  const dropped: string[] = [];
  const out: Record<string, unknown> = { uuid, token };
  for (const f of agentText) {
    const v = textOrEmpty(r[f]);
    const ok = v !== undefined && v.length <= nodeTextLimits.label;
    if (!ok) dropped.push(f);
    out[f] = ok ? v : '';
  }
  for (const f of agentCounts) {
    const v = r[f] === null || r[f] === undefined ? 0 : int(r[f]);
    const ok = v !== undefined && v >= 0;
    if (!ok) dropped.push(f);
    out[f] = ok ? v : 0;
  }
  for (const f of adminFields) {
    const value = adminValue(f, r[f]);
    const parsed = value === undefined ? undefined : nodeEditSchema.shape[f].safeParse(value);
    if (parsed?.success) out[f] = parsed.data;
    else {
      if (r[f] !== null && r[f] !== undefined) dropped.push(f);
      out[f] = defaults[f];
    }
  }
  if (out.name === '') out.name = `client_${uuid.slice(0, 8)}`;
  const expired = komariTime(r.expired_at);
  if (expired === undefined) dropped.push('expired_at');
  out.expired_at = expired ?? null;
  const created = komariTime(r.created_at);
  const updated = komariTime(r.updated_at);
  out.created_at = created ?? now;
  out.updated_at = updated ?? created ?? now;
  if (dropped.length > 0) ctx.report.skip(kind, `field(s) ${dropped.join(', ')} held values komari-ts does not accept: imported the node with their defaults`, uuid);
  return out as unknown as NodeRow;
}

const defaults: Record<(typeof adminFields)[number], unknown> = {
  name: '', remark: '', public_remark: '', weight: 0, price: 0, billing_cycle: 0, auto_renewal: false, currency: '$',
  group: '', tags: '', hidden: false, traffic_limit: 0, traffic_limit_type: 'max', region: '', ipv4: '', ipv6: '',
};

/** The stored value in the type the edit schema checks; undefined when it cannot be one. NULL is the default. */
function adminValue(field: string, v: Row[string] | undefined): unknown {
  if (v === null || v === undefined) return defaults[field as keyof typeof defaults];
  if (booleans.has(field)) return bool(v);
  if (numbers.has(field)) return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
  return textOrEmpty(v);
}
