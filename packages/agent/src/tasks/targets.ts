import { isIP } from 'node:net';
import { resolveHost } from '../wire/resolve.ts';
import { ProbeFailure } from './probe-failure.ts';

/** A host split from its port the way Go's net.SplitHostPort does; undefined when the target has no port. */
export function splitHostPort(target: string): { host: string; port: string } | undefined {
  if (target.startsWith('[')) {
    const m = /^\[([^\]]*)\]:([^:]*)$/.exec(target);
    return m ? { host: m[1]!, port: m[2]! } : undefined;
  }
  const colon = target.indexOf(':');
  if (colon < 0 || colon !== target.lastIndexOf(':')) return undefined; // no port, or a bare IPv6 literal
  return { host: target.slice(0, colon), port: target.slice(colon + 1) };
}

export interface Resolved {
  address: string;
  family: 4 | 6;
}

/**
 * A probe target's host to an address, resolved as the agent resolves its server (wire/resolve.ts),
 * before any timing starts. A name nobody knows is a `resolve_failed` probe error, not a loss: the
 * probe never ran.
 */
export async function resolveTarget(host: string): Promise<Resolved> {
  let address: string;
  try {
    address = await resolveHost(host);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : 'no answer');
    throw new ProbeFailure('resolve_failed', `cannot resolve ${host} (${code})`);
  }
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}

/** The URL an http probe GETs: bare IPv6 literals get brackets and http:// is prepended when no scheme is given. */
export function httpProbeUrl(target: string): string {
  let t = target.trim();
  if (t.includes(':') && !t.includes('[') && isIP(t) === 6) t = `[${t}]`;
  if (!t.startsWith('http://') && !t.startsWith('https://')) t = `http://${t}`;
  return t;
}

/** Milliseconds since `start` (a performance.now() reading), truncated like Go's Duration.Milliseconds(). */
export function elapsedMs(start: number): number {
  return Math.max(0, Math.floor(performance.now() - start));
}
