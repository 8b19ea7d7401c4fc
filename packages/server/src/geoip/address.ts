import { BlockList, isIP } from 'node:net';

/** Ranges no public registry assigns to a country: loopback, private, link-local, CGNAT, … */
const reserved = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) reserved.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32]] as const) {
  reserved.addSubnet(net, bits, 'ipv6');
}

export type AddressCheck = { ok: true; ip: string; family: 'ipv4' | 'ipv6' } | { ok: false; reason: 'invalid' | 'reserved' };

/**
 * An address a country can be looked up for: trimmed, an IPv4-mapped IPv6 address unwrapped,
 * and neither malformed nor in a private or reserved range.
 */
export function checkAddress(raw: string): AddressCheck {
  const ip = raw.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  const v = isIP(ip);
  if (v === 0) return { ok: false, reason: 'invalid' };
  const family = v === 4 ? 'ipv4' : 'ipv6';
  if (reserved.check(ip, family)) return { ok: false, reason: 'reserved' };
  return { ok: true, ip, family };
}
