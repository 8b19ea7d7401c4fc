import type { RequestOptions } from 'node:http';
import type { LookupFunction } from 'node:net';
import { connect } from 'node:net';
import { http, https } from '../lazy-modules.ts';
import { ProbeFailure } from './probe-failure.ts';
import { elapsedMs, httpProbeUrl, resolveTarget, splitHostPort, type Resolved } from './targets.ts';

/**
 * TCP connect time to host:port (port 80 when none is given); -1 when refused or past the timeout
 * (a loss: the probe ran). A bad port or an unknown host throws a ProbeFailure.
 */
export async function tcpOnce(target: string, timeoutMs: number): Promise<number> {
  const hp = splitHostPort(target) ?? { host: target, port: '80' };
  const port = Number(hp.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new ProbeFailure('invalid_target', `port ${hp.port.slice(0, 16)} is not 1-65535`);
  const { address } = await resolveTarget(hp.host.replace(/^\[|\]$/g, ''));
  return new Promise((resolve) => {
    const start = performance.now();
    const socket = connect({ host: address, port });
    const done = (value: number) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(-1), timeoutMs);
    socket.once('connect', () => done(elapsedMs(start)));
    socket.once('error', () => done(-1));
  });
}

/** A lookup that answers with the address resolved before the clock started, so DNS stays out of the timing. */
function pinnedLookup(r: Resolved): LookupFunction {
  return ((_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (options?.all) cb(null, [{ address: r.address, family: r.family }]);
    else cb(null, r.address, r.family);
  }) as LookupFunction;
}

/**
 * GET the URL without keep-alive; the time until the response headers arrive, when the status is
 * 200–399. Other statuses, errors and the timeout give -1; a URL that does not parse or a host
 * that does not resolve throws a ProbeFailure.
 */
export async function httpOnce(target: string, timeoutMs: number): Promise<number> {
  let url: URL;
  try {
    url = new URL(httpProbeUrl(target));
  } catch {
    throw new ProbeFailure('invalid_target', 'not a URL');
  }
  const resolved = await resolveTarget(url.hostname.replace(/^\[|\]$/g, ''));
  const request = url.protocol === 'https:' ? https().request : http().request;
  const options: RequestOptions = { method: 'GET', agent: false, lookup: pinnedLookup(resolved), headers: { connection: 'close' } };
  return new Promise((resolve) => {
    const start = performance.now();
    const req = request(url, options, (res) => {
      const ms = elapsedMs(start);
      const status = res.statusCode ?? 0;
      res.resume();
      done(status >= 200 && status < 400 ? ms : -1);
    });
    const done = (value: number) => {
      clearTimeout(timer);
      req.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(-1), timeoutMs);
    req.once('error', () => done(-1));
    req.end();
  });
}
