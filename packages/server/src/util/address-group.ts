import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key one client is counted under: an IPv4 address as is, an IPv6 address by its /64 (one
 * host or one home network usually holds a whole /64, so counting single addresses would let it
 * open sockets from billions of them). IPv4-mapped IPv6 addresses count as their IPv4 address.
 */
export function addressGroup(ip: string): string {
  const bare = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1]!;
  if (isIPv4(bare) || !isIPv6(bare)) return bare;
  return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, as lower-case hex without leading zeros. */
function ipv6Groups(ip: string): string[] {
  const [head = '', tail] = ip.split('::');
  const split = (part: string) => (part === '' ? [] : part.split(':'));
  // an embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) fills two groups
  const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const h = split(head);
  const t = tail === undefined ? [] : split(tail);
  const fill = tail === undefined ? [] : Array<string>(8 - width(h) - width(t)).fill('0');
  return [...h, ...fill, ...t].map((g) => (g.includes('.') ? g : parseInt(g, 16).toString(16)));
}
