import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who holds a lock: a pid alone is not enough, since pids are reused (a container restarted
 * after a kill -9 often gets the same small pid back). On Linux the kernel's boot id and the
 * process's start time (clock ticks since boot, /proc/<pid>/stat field 22) pin one process.
 */
export interface ProcessIdentity {
  pid: number;
  host: string;
  /** ISO time this process took the lock, for the message a second server prints */
  startedAt: string;
  bootId?: string;
  startTicks?: string;
}

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and ')' so count from its end. */
function startTicksOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function selfIdentity(now: Date): ProcessIdentity {
  return { pid: process.pid, host: hostname(), startedAt: now.toISOString(), bootId: bootId(), startTicks: startTicksOf(process.pid) };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process `who` names is still running. Only this host's processes can be checked:
 * another host's (a database on a shared disk) counts as running.
 */
export function stillRunning(who: ProcessIdentity): boolean {
  if (who.host !== hostname()) return true;
  if (who.bootId && bootId() && who.bootId !== bootId()) return false;
  if (!pidAlive(who.pid)) return false;
  // the same pid, but another process than the one that wrote the lock
  const ticks = startTicksOf(who.pid);
  return !(who.startTicks && ticks && ticks !== who.startTicks);
}
