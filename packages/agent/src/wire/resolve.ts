import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dnsPromises } from '../lazy-modules.ts';

/**
 * A server's host name to an address, the way the official agent's pure-Go resolver does it:
 * /etc/hosts, then DNS queries to the servers of /etc/resolv.conf (c-ares). Not through
 * getaddrinfo, Node's default: that loads the system's resolver libraries and starts libuv's
 * thread pool, ~1.6 MiB of the agent's RSS (BENCHMARKS.md, Agent). When both find nothing,
 * getaddrinfo is still asked, so names only the system knows (mDNS, LDAP) keep working.
 */

/** Addresses of `host` in a hosts file's text, IPv4 first unless `family` is 6. */
export function fromHostsFile(text: string, host: string, family?: 4 | 6): string | undefined {
  const name = host.toLowerCase();
  const found: string[] = [];
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (address && isIP(address) && names.some((n) => n.toLowerCase() === name)) found.push(address);
  }
  const v4 = found.find((a) => isIP(a) === 4);
  const v6 = found.find((a) => isIP(a) === 6);
  return family === 6 ? (v6 ?? v4) : (v4 ?? v6);
}

function hostsFile(): string {
  try {
    return readFileSync('/etc/hosts', 'utf8');
  } catch {
    return '';
  }
}

/** The first answer of `resolve`, or undefined when there is none (NXDOMAIN, no record, no server). */
async function first(resolve: () => Promise<string[]>): Promise<string | undefined> {
  try {
    return (await resolve())[0];
  } catch {
    return undefined;
  }
}

/** An IP literal as it is; a name through /etc/hosts, DNS, then getaddrinfo. Rejects when none knows it. */
export async function resolveHost(host: string, family?: 4 | 6): Promise<string> {
  if (isIP(host)) return host;
  const listed = fromHostsFile(hostsFile(), host, family);
  if (listed) return listed;
  const dns = dnsPromises();
  const resolver = new dns.Resolver({ timeout: 3000, tries: 2 });
  const order = family === 6 ? [() => resolver.resolve6(host), () => resolver.resolve4(host)] : [() => resolver.resolve4(host), () => resolver.resolve6(host)];
  for (const ask of order) {
    const address = await first(ask);
    if (address) return address;
  }
  return (await dns.lookup(host, family ? { family } : {})).address;
}
