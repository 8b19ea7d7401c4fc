import { pingLimits, type PingType } from './limits.ts';

/*
 * What a ping target may look like, per type (agent-protocol.md §5). Komari stores any string and
 * leaves the agent to fail on it with −1 forever; here a target the official agent cannot read is
 * refused when the task is saved, so the admin learns of it at once.
 */

const hostname = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?$/;
const ipv6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[A-Za-z0-9_.-]+)?$/;

function validPort(p: string | undefined): boolean {
  if (p === undefined) return true;
  return /^\d{1,5}$/.test(p) && Number(p) >= 1 && Number(p) <= 65535;
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 literal; undefined when none fits. */
export function splitHostPort(s: string): { host: string; port?: string } | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracketed) return ipv6.test(bracketed[1]!) && validPort(bracketed[2]) ? { host: bracketed[1]!, port: bracketed[2] } : undefined;
  if ((s.match(/:/g) ?? []).length > 1) return ipv6.test(s) ? { host: s } : undefined;
  const [host = '', port] = s.split(':');
  return hostname.test(host) && validPort(port) ? { host, port } : undefined;
}

function httpTargetError(s: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s) && !/^https?:\/\//i.test(s)) return 'target must be an http:// or https:// URL';
  // The agent prepends http:// to a bare target and brackets a bare IPv6 literal.
  const withScheme = /^https?:\/\//i.test(s) ? s : `http://${ipv6.test(s) ? `[${s}]` : s}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return 'target must be a URL or a host';
  }
  return url.hostname ? undefined : 'target must name a host';
}

/** Why `target` cannot be probed with `type`, or undefined when it can. */
export function targetError(type: PingType, target: string): string | undefined {
  if (target.length > pingLimits.maxTargetLength) return `target must be at most ${pingLimits.maxTargetLength} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(target)) return 'target must not contain spaces or control characters';
  if (type === 'http') return httpTargetError(target);
  if (!splitHostPort(target)) {
    return type === 'tcp' ? 'target must be host:port, [ipv6]:port, a host or an IP address' : 'target must be a host or an IP address';
  }
  return undefined;
}
