import type { AdminNodeWire, NodeWire } from '@komari-ts/protocol';
import type { NodeRow } from '../store/types.ts';
import { formatTime } from '../util/time.ts';

/**
 * The one mapping from a stored node to its wire shape (admin-api.md §2.1). `token`, `ipv4`,
 * `ipv6`, `remark`, `version`, `public_remark` are omitted when empty, as Komari omits them.
 */
export function toNodeWire(n: NodeRow): NodeWire {
  const w: NodeWire = {
    uuid: n.uuid,
    name: n.name,
    cpu_name: n.cpu_name,
    virtualization: n.virtualization,
    arch: n.arch,
    cpu_cores: n.cpu_cores,
    cpu_physical_cores: n.cpu_physical_cores,
    os: n.os,
    kernel_version: n.kernel_version,
    gpu_name: n.gpu_name,
    region: n.region,
    mem_total: n.mem_total,
    swap_total: n.swap_total,
    disk_total: n.disk_total,
    weight: n.weight,
    price: n.price,
    billing_cycle: n.billing_cycle,
    auto_renewal: n.auto_renewal,
    currency: n.currency,
    expired_at: n.expired_at === null ? null : formatTime(n.expired_at),
    group: n.group,
    tags: n.tags,
    hidden: n.hidden,
    traffic_limit: n.traffic_limit,
    traffic_limit_type: n.traffic_limit_type,
    created_at: formatTime(n.created_at),
    updated_at: formatTime(n.updated_at),
  };
  if (n.token) w.token = n.token;
  if (n.ipv4) w.ipv4 = n.ipv4;
  if (n.ipv6) w.ipv6 = n.ipv6;
  if (n.remark) w.remark = n.remark;
  if (n.public_remark) w.public_remark = n.public_remark;
  if (n.version) w.version = n.version;
  return w;
}

/** The admin's view of a node: its wire and what its agent said it can do (admins only); remote-control/wire.ts adds the override. */
export function toAdminNodeWire(n: NodeRow, capabilities: (uuid: string) => string[] | null): Omit<AdminNodeWire, 'remote_control'> {
  return { ...toNodeWire(n), capabilities: capabilities(n.uuid) };
}

/** Without the keys only admins may see; `/api/nodes` strips them for everyone. */
export function withoutPrivateKeys(w: NodeWire): NodeWire {
  const { token: _t, ipv4: _4, ipv6: _6, remark: _r, version: _v, ...rest } = w;
  return rest;
}

/** `203.*.*.*` and `2001:*:*:*:*:*:*:*` (rpc2.md common:getNodes, send_ip_addr_to_guest). */
export function maskIp(ip: string, v6: boolean): string {
  return v6 ? `${ip.split(':')[0]}:*:*:*:*:*:*:*` : `${ip.split('.')[0]}.*.*.*`;
}

/** Sort key of the official UI: weight ascending, then insertion order. */
export function byWeight(nodes: NodeRow[]): NodeRow[] {
  return nodes.map((n, i) => ({ n, i })).sort((a, b) => a.n.weight - b.n.weight || a.i - b.i).map((x) => x.n);
}
