import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The open-files limit of a process; `Infinity` stands for "unlimited". */
export interface FdLimit {
  soft: number;
  hard: number;
}

export interface FdRaise {
  before?: FdLimit;
  after?: FdLimit;
  /** why the soft limit could not be read or raised; the server runs on regardless */
  problem?: string;
}

const prlimitPath = '/usr/bin/prlimit';

function figure(text: string): number {
  return text === 'unlimited' ? Infinity : Number(text);
}

/** The "Max open files" line of /proc/<pid>/limits, or undefined where there is no /proc. */
export function readFdLimit(pid: number | 'self' = 'self'): FdLimit | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/limits`, 'utf8');
  } catch {
    return undefined;
  }
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  return m ? { soft: figure(m[1]!), hard: figure(m[2]!) } : undefined;
}

/**
 * Raises a process's open-files soft limit to its hard limit: every socket is a descriptor, and a
 * distribution's default soft limit (often 1024) is soon reached by agents and browsers together.
 * Node has no setrlimit, so util-linux's prlimit sets it on the running process. Node itself
 * raises the limit at start on most Linux builds; this makes it certain and gives the figures to
 * log. Never throws: a failure is returned as `problem`.
 */
export function raiseFdLimit(pid: number = process.pid, prlimit: string = prlimitPath): FdRaise {
  const before = readFdLimit(pid);
  if (!before) return { problem: `cannot read /proc/${pid}/limits` };
  if (before.soft >= before.hard) return { before, after: before };
  if (!Number.isFinite(before.hard)) return { before, after: before, problem: 'the hard limit is unlimited: no figure to raise the soft limit to' };
  try {
    execFileSync(prlimit, ['--pid', String(pid), `--nofile=${before.hard}:${before.hard}`], { stdio: 'pipe', timeout: 5000 });
  } catch (err) {
    return { before, after: readFdLimit(pid) ?? before, problem: `${prlimit} failed: ${(err as Error).message.split('\n')[0]}` };
  }
  return { before, after: readFdLimit(pid) ?? before };
}
