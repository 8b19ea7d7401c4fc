import { childProcess } from '../lazy-modules.ts';
import { resolveTarget, splitHostPort } from './targets.ts';

/**
 * ICMP echo through the system `ping` binary (iputils or busybox): it is setuid or uses the
 * unprivileged ICMP socket, so the agent needs no root and no native addon. One process per
 * probe, which the server schedules (default every 60 s), never per report tick.
 */

let missingLogged = false;

/** The host of an icmp target: a `:port` suffix and the brackets around an IPv6 literal dropped. */
export function icmpHost(target: string): string {
  const host = splitHostPort(target)?.host ?? target;
  return host.replace(/^\[+/, '').replace(/\]+$/, '');
}

/** The round-trip time in a `ping` reply line (`time=0.385 ms`, `time<1 ms`), truncated to ms. */
export function parsePingTime(output: string): number | undefined {
  const m = /time[=<]\s*([\d.]+)\s*ms/.exec(output);
  if (!m) return undefined;
  const ms = Number.parseFloat(m[1]!);
  return Number.isFinite(ms) ? Math.floor(ms) : undefined;
}

/** One echo request with a 3 s wait; the RTT in ms, or -1 (no reply, unknown host, no `ping`). */
export async function icmpOnce(target: string, timeoutMs: number, log: (m: string) => void): Promise<number> {
  const { address, family } = await resolveTarget(icmpHost(target));
  const waitS = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  const args = ['-n', `-${family}`, '-c', '1', '-W', waitS, address];
  return new Promise((resolve) => {
    const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
    childProcess().execFile('ping', args, { env, timeout: timeoutMs + 2000, killSignal: 'SIGKILL' }, (err, stdout) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        if (!missingLogged) log('icmp ping: no `ping` binary on this host (Debian: apt-get install iputils-ping); icmp probes report -1');
        missingLogged = true;
        return resolve(-1);
      }
      if (err) return resolve(-1); // exit 1: no reply; exit 2: error
      resolve(parsePingTime(stdout) ?? -1);
    });
  });
}
