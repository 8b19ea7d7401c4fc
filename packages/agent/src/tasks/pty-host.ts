import { accessSync, constants, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { userInfo } from 'node:os';
import { delimiter, join } from 'node:path';

/** Host lookups for the pseudo-terminal: which programs exist, which shell, which pty. */

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on PATH (no process spawned, like `which`). */
export function findOnPath(name: string): string | undefined {
  const dirs = (process.env.PATH || '/usr/local/bin:/usr/bin:/bin').split(delimiter);
  for (const dir of [...dirs, '/usr/bin', '/bin']) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * The user's shell from the password database when it is a real one (not nologin/false), else
 * zsh, bash, sh like the official agent.
 */
export function loginShell(): string {
  let shell: string | undefined;
  try {
    shell = userInfo().shell ?? undefined;
  } catch {
    shell = undefined;
  }
  if (shell && !/(nologin|false)$/.test(shell) && isExecutable(shell)) return shell;
  return findOnPath('zsh') ?? findOnPath('bash') ?? findOnPath('sh') ?? '/bin/sh';
}

/** Children of a process: /proc/PID/task/PID/children, or a scan of /proc when that file is absent. */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return scanChildren(pid);
  }
}

function scanChildren(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (/^\d+$/.test(entry) && Number(statFields(Number(entry))?.[1]) === pid) found.push(Number(entry));
  }
  return found;
}

/** Fields of /proc/PID/stat after the command name: [state, ppid, pgrp, session, ...]. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** True while `pid` is a live (not zombie) session leader: the shell script started, not a reused pid. */
export function leadsSession(pid: number): boolean {
  const f = statFields(pid);
  return f !== undefined && f[0] !== 'Z' && Number(f[3]) === pid;
}

/** script's only child: the shell it started on the pty. */
export function shellOf(scriptPid: number): number | undefined {
  return childrenOf(scriptPid)[0];
}

/** The pty a process has on stdin (/dev/pts/N), once it has one. */
export function ttyOf(pid: number): string | undefined {
  try {
    const target = readlinkSync(`/proc/${pid}/fd/0`);
    return target.startsWith('/dev/pts/') ? target : undefined;
  } catch {
    return undefined;
  }
}
