// The edit dialog's form state and the patch it sends (admin-api.md §2.3). Inputs hold strings;
// numbers are parsed only when sending, and values are sent as typed so the server's validation
// (not a second copy of it here) decides what is acceptable and says why.
import type { NodeWire } from '@komari-ts/protocol';

export const trafficTypes = ['max', 'min', 'sum', 'up', 'down'] as const;
const GiB = 2 ** 30;

export interface NodeForm {
  name: string;
  remark: string;
  public_remark: string;
  group: string;
  tags: string;
  region: string;
  hidden: boolean;
  weight: string;
  price: string;
  billing_cycle: string;
  currency: string;
  auto_renewal: boolean;
  /** YYYY-MM-DD (a date input), '' = never */
  expired_at: string;
  /** in GiB */
  traffic_limit: string;
  traffic_limit_type: string;
}

function trimNumber(n: number): string {
  return String(Number(n.toFixed(3)));
}

export function formOf(n: NodeWire): NodeForm {
  return {
    name: n.name,
    remark: n.remark ?? '',
    public_remark: n.public_remark ?? '',
    group: n.group,
    tags: n.tags,
    region: n.region,
    hidden: n.hidden,
    weight: String(n.weight),
    price: String(n.price),
    billing_cycle: String(n.billing_cycle),
    currency: n.currency,
    auto_renewal: n.auto_renewal,
    expired_at: n.expired_at ? n.expired_at.slice(0, 10) : '',
    traffic_limit: trimNumber(n.traffic_limit / GiB),
    traffic_limit_type: n.traffic_limit_type || 'max',
  };
}

/** '' is 0; anything else that is not a number is sent as typed, for the server to refuse. */
function num(v: string): number | string {
  const s = v.trim();
  if (s === '') return 0;
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
}

function bytesOf(gib: string): number | string {
  const n = num(gib);
  return typeof n === 'number' ? Math.round(n * GiB) : n;
}

/** The form as the API's field values. */
function wireOf(f: NodeForm): Record<keyof NodeForm, unknown> {
  return {
    ...f,
    weight: num(f.weight),
    price: num(f.price),
    billing_cycle: num(f.billing_cycle),
    // a calendar day means midnight UTC, sent as RFC 3339 with its zone
    expired_at: f.expired_at ? `${f.expired_at}T00:00:00Z` : null,
    traffic_limit: bytesOf(f.traffic_limit),
  };
}

/** Only the fields the admin changed, so a save never rewrites what someone else just edited. */
export function patchOf(before: NodeForm, after: NodeForm): Record<string, unknown> {
  const a = wireOf(before);
  const b = wireOf(after);
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(b) as (keyof NodeForm)[]) {
    if (before[key] !== after[key] && a[key] !== b[key]) patch[key] = b[key];
  }
  return patch;
}
