import { readdirSync } from 'node:fs';

/**
 * Number of processes: the numeric directories of /proc, as gopsutil's `process.Pids` counts them
 * for the official agent (threads are not counted; /proc/loadavg's "1/152" would count them).
 */
export function countProcesses(procRoot: string): number {
  let n = 0;
  for (const name of readdirSync(procRoot)) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}
