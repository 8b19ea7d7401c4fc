import { BlockList, isIP } from 'node:net';
import { ipv6Groups } from '../util/address-group.ts';

/**
 * Addresses a download from a URL an admin typed (or a catalog named) must never reach: the
 * server's own loopback, the networks behind it (RFC 1918, unique-local, CGNAT), link-local
 * (169.254.169.254 is a cloud's metadata service), unspecified, multicast, broadcast and the
 * ranges reserved for documentation, benchmarks or the future. Anything routable on the public
 * internet is allowed.
 */
const refusedV4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16],
  ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
const refusedV6: ReadonlyArray<readonly [string, number]> = [
  // ::/96 covers ::, ::1 and the deprecated IPv4-compatible form; mapped and translated forms
  // (::ffff:0:0/96, 64:ff9b::/96, 2002::/16) are refused only when the IPv4 inside them is
  ['::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 32], ['2001:db8::', 32],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
];

const refused = new BlockList();
for (const [net, bits] of refusedV4) refused.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of refusedV6) refused.addSubnet(net, bits, 'ipv6');

/** The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4), if it carries one. */
function embeddedV4(groups: number[]): string | undefined {
  const quad = (hi: number, lo: number): string => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
  const zeros = (from: number, to: number): boolean => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return quad(groups[6]!, groups[7]!);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return quad(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return quad(groups[1]!, groups[2]!);
  return undefined;
}

/**
 * Whether an outbound connection may go to `address` (an IP literal, as DNS returned it or as
 * the URL named it). Something that is not an IP address is refused.
 */
export function isPublicAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '');
  const family = isIP(ip);
  if (family === 4) return !refused.check(ip, 'ipv4');
  // A zone (`fe80::1%eth0`) names an interface: only link-local addresses have one.
  if (family !== 6 || ip.includes('%')) return false;
  if (refused.check(ip, 'ipv6')) return false;
  const v4 = embeddedV4(ipv6Groups(ip));
  return v4 === undefined || !refused.check(v4, 'ipv4');
}
