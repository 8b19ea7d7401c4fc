import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/**
 * The `ipv4` / `ipv6` of basic info: `--custom-ipv4/6` when given, else the first global address
 * of each family on this host's NICs (public before private). No external "what is my IP"
 * lookup is made (the official agent asks web services unless told otherwise).
 */
export interface HostAddresses {
  ipv4: string;
  ipv6: string;
}

type Nics = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** 0 = public, 1 = private/unique-local, undefined = not global (loopback, link-local, unspecified). */
function rankV4(ip: string): number | undefined {
  const [a = 0, b = 0] = ip.split('.').map(Number);
  if (a === 127 || a === 0 || (a === 169 && b === 254)) return undefined;
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return 1;
  return 0;
}

function rankV6(ip: string): number | undefined {
  const lower = ip.toLowerCase();
  if (lower === '::1' || lower === '::' || /^fe[89ab]/.test(lower) || lower.startsWith('::ffff:')) return undefined;
  if (/^f[cd]/.test(lower)) return 1;
  return 0;
}

function firstGlobal(nics: Nics, family: 'IPv4' | 'IPv6'): string {
  let best: { ip: string; rank: number } | undefined;
  for (const infos of Object.values(nics)) {
    for (const info of infos ?? []) {
      if (info.internal || info.family !== family) continue;
      const rank = family === 'IPv4' ? rankV4(info.address) : rankV6(info.address);
      if (rank === undefined) continue;
      if (!best || rank < best.rank) best = { ip: info.address, rank };
    }
  }
  return best?.ip ?? '';
}

export function hostAddresses(custom: { customIpv4: string; customIpv6: string }, nics: Nics = networkInterfaces()): HostAddresses {
  return {
    ipv4: custom.customIpv4 || firstGlobal(nics, 'IPv4'),
    ipv6: custom.customIpv6 || firstGlobal(nics, 'IPv6'),
  };
}
