import { z } from 'zod';

/** Traffic limit types accepted by Komari (admin-api.md §2.1). */
export const trafficLimitTypes = ['max', 'min', 'sum', 'up', 'down'] as const;

/**
 * A node ("client") as the admin API returns it. Keys marked optional are omitted when empty
 * (`token`, `ipv4`, `ipv6`, `remark`, `version`, `public_remark`), as Komari does.
 */
export interface NodeWire {
  uuid: string;
  token?: string;
  name: string;
  cpu_name: string;
  virtualization: string;
  arch: string;
  cpu_cores: number;
  cpu_physical_cores: number;
  os: string;
  kernel_version: string;
  gpu_name: string;
  ipv4?: string;
  ipv6?: string;
  region: string;
  remark?: string;
  public_remark?: string;
  mem_total: number;
  swap_total: number;
  disk_total: number;
  version?: string;
  weight: number;
  price: number;
  billing_cycle: number;
  auto_renewal: boolean;
  currency: string;
  expired_at: string | null;
  group: string;
  tags: string;
  hidden: boolean;
  traffic_limit: number;
  traffic_limit_type: string;
  created_at: string;
  updated_at: string;
}

/**
 * A node as `admin:listClients` / `admin:getClient` return it: komari-ts adds the capability
 * names its agent last advertised (`agent.pull`/`agent.report`), null when it never sent any.
 * Never part of the public node list.
 */
export interface AdminNodeWire extends NodeWire {
  capabilities: string[] | null;
  /** komari-ts: the node's remote-control override per kind, null = follow the server-wide switch */
  remote_control: RemoteControlOverride;
}

/** exec, terminal and files each forced on (true), off (false) or following the server (null). */
export interface RemoteControlOverride {
  exec: boolean | null;
  terminal: boolean | null;
  files: boolean | null;
}

/** Keys stripped from every node in `/api/nodes` and for non-admins in `common:getNodes`. */
export const privateNodeKeys = ['token', 'ipv4', 'ipv6', 'remark', 'version'] as const;

const maxInt64 = 2n ** 63n - 2n;

const stampPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):?(\d{2})))?$/i;

/** Every component in range, as Go's time.Parse demands (no 2027-02-30, no 25:00). */
function stampInRange(m: RegExpExecArray): boolean {
  const n = (i: number) => Number(m[i] ?? 0);
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(n(1), n(2), 0);
  return (
    n(2) >= 1 && n(2) <= 12 && n(3) >= 1 && n(3) <= lastDay.getUTCDate() &&
    n(4) <= 23 && n(5) <= 59 && n(6) <= 59 && n(8) <= 23 && n(9) <= 59
  );
}

/** `expired_at`: null, "" (= null), a bare date (00:00 UTC, old UIs) or RFC 3339 with a zone. */
export const expiredAtSchema = z.union([z.null(), z.string()]).transform((v, ctx) => {
  if (v === null || v.trim() === '') return null;
  const s = v.trim();
  const m = stampPattern.exec(s);
  // the pattern only matches a bare date (m[4] absent) or a timestamp with a zone
  const ms = m && stampInRange(m) ? Date.parse(m[4] === undefined ? `${s}T00:00:00Z` : s) : NaN;
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `expired_at must be an RFC3339 timestamp with a timezone: ${s}` });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});

/**
 * Lengths of the free-form node fields an admin edits. Komari has none; every node row is held
 * in memory (cached nodes), so each is bounded, far above what a real remark or tag list needs.
 */
export const nodeTextLimits = { remark: 65_536, label: 255, tags: 4096 } as const;

/** The fields an admin may change through `admin:editClient`; everything else is refused. */
export const nodeEditSchema = z
  .object({
    name: z.string().max(100),
    token: z.string().min(1).max(255),
    remark: z.string().max(nodeTextLimits.remark),
    public_remark: z.string().max(nodeTextLimits.remark),
    weight: z.number().int(),
    price: z.number(),
    billing_cycle: z.number().int(),
    auto_renewal: z.boolean(),
    currency: z.string().max(20),
    expired_at: expiredAtSchema,
    group: z.string().max(nodeTextLimits.label),
    tags: z.string().max(nodeTextLimits.tags),
    hidden: z.boolean(),
    traffic_limit: z
      .number()
      .int()
      .refine((n) => n >= 0 && BigInt(n) <= maxInt64, {
        message: 'traffic_limit must be a valid non-negative int64 value',
      }),
    traffic_limit_type: z.enum(trafficLimitTypes),
    region: z.string().max(nodeTextLimits.label),
    ipv4: z.string().max(nodeTextLimits.label),
    ipv6: z.string().max(nodeTextLimits.label),
  })
  .partial();
export type NodeEdit = z.output<typeof nodeEditSchema>;
