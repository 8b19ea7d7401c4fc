import type { ExecFileException } from 'node:child_process';
import { childProcess } from '../lazy-modules.ts';
import { firstLine, ProbeFailure } from './probe-failure.ts';
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

export interface IcmpOptions {
  /** the `ping` program: a name looked up in PATH, or a path (tests give one that does not exist) */
  binary: string;
  log: (m: string) => void;
}

/** What iputils and busybox print when the ICMP socket is not allowed (no setuid, no capability, ping_group_range). */
const permissionText = /permission denied|operation not permitted|are you root|must be root|not permitted/i;

/**
 * Why `ping` could not run, from execFile's error, or undefined for an ordinary loss (exit 1: no
 * reply; killed: past the timeout). Exit 2 and up is an error of `ping` itself, kept as `other`
 * with its first line of stderr.
 */
export function icmpFailure(err: ExecFileException, stderr: string, binary: string): ProbeFailure | undefined {
  if (err.code === 'ENOENT') return new ProbeFailure('no_ping_binary', `no \`${binary}\` program on this host (Debian: apt-get install iputils-ping)`);
  if (err.code === 'EACCES') return new ProbeFailure('permission_denied', `\`${binary}\` is not executable by the agent's user`);
  if (err.killed) return undefined;
  const line = firstLine(stderr);
  if (permissionText.test(line)) return new ProbeFailure('permission_denied', line);
  const exit = typeof err.code === 'number' ? err.code : undefined;
  if (exit === 1) return undefined;
  return new ProbeFailure('other', line || `\`${binary}\` failed (${exit ?? err.code ?? err.signal ?? 'no exit code'})`);
}

/**
 * One echo request with a 3 s wait; the RTT in ms, or -1 when no reply came. Throws a
 * ProbeFailure when the probe could not run (no `ping`, no permission, an unknown host).
 */
export async function icmpOnce(target: string, timeoutMs: number, o: IcmpOptions): Promise<number> {
  const { address, family } = await resolveTarget(icmpHost(target));
  const waitS = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  const args = ['-n', `-${family}`, '-c', '1', '-W', waitS, address];
  return new Promise((resolve, reject) => {
    const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
    childProcess().execFile(o.binary, args, { env, timeout: timeoutMs + 2000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (!err) return resolve(parsePingTime(stdout) ?? -1);
      const failure = icmpFailure(err, String(stderr), o.binary);
      if (!failure) return resolve(-1);
      if (failure.code === 'no_ping_binary' && !missingLogged) {
        o.log('icmp ping: no `ping` binary on this host (Debian: apt-get install iputils-ping); icmp probes report -1 with probe_error no_ping_binary');
        missingLogged = true;
      }
      reject(failure);
    });
  });
}
