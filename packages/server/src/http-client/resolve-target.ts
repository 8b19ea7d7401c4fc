import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './address-policy.ts';
import { DownloadRefused } from './errors.ts';

/**
 * TESTS ONLY: loopback targets a test's own local servers listen on. Only a URL naming
 * `127.0.0.1` itself (not a host name resolving to it) on exactly these ports is let through, so a test still proves that every other loopback port (and every
 * hop of a redirect) is checked. It is passed to `buildApp`/`startServer` by test code alone: no
 * environment variable, config file or setting can produce one, so the running server never has
 * it.
 */
export interface TestLoopbackAllowance {
  loopbackPorts: readonly number[];
}

export interface CheckedTarget {
  /** the address the connection must go to: the one that was checked */
  address: string;
  family: 4 | 6;
  /** hands `address` to the request, so no second DNS lookup can switch it (DNS rebinding) */
  lookup: LookupFunction;
}

/** The port a URL connects to, its scheme's default when none is written. */
export function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

function allowedForTest(host: string, port: number, allowance: TestLoopbackAllowance | undefined): boolean {
  return allowance !== undefined && host === '127.0.0.1' && allowance.loopbackPorts.includes(port);
}

/**
 * Resolves the URL's host and checks EVERY address it resolves to: one private address among
 * public ones refuses the whole host, since which one a connection picks is not ours to say.
 */
export async function resolveTarget(url: URL, allowance?: TestLoopbackAllowance): Promise<CheckedTarget> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = portOf(url);
  let found: Array<{ address: string; family: number }>;
  if (isIP(host)) {
    found = [{ address: host, family: isIP(host) }];
  } else {
    try {
      found = await dnsLookup(host, { all: true, verbatim: true });
    } catch (err) {
      throw new DownloadRefused(`cannot resolve host ${host}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  if (found.length === 0) throw new DownloadRefused(`cannot resolve host ${host}`);
  for (const { address } of found) {
    if (!isPublicAddress(address) && !allowedForTest(host, port, allowance)) {
      throw new DownloadRefused(`refusing to connect to ${host} (${address}): not a public address`);
    }
  }
  const { address, family } = found[0]! as { address: string; family: 4 | 6 };
  const lookup = ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
  return { address, family, lookup };
}
