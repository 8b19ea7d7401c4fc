import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export interface ProcSample {
  /** user + system CPU seconds since the process started */
  cpuSeconds: number;
  /** resident set now, bytes */
  rss: number;
  /** peak resident set (VmHWM), bytes */
  peakRss: number;
  /** performance.now() of the sample */
  at: number;
}

/** Reads /proc/<pid>/stat (utime, stime) and /proc/<pid>/status (VmRSS, VmHWM). */
export function sampleProc(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name is in parentheses and may hold spaces: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { cpuSeconds: ticks / clockTicks(), rss: kb('VmRSS'), peakRss: kb('VmHWM'), at: performance.now() };
}

/** CPU cores used between two samples (1.0 = one core busy the whole time). */
export function coresBetween(a: ProcSample, b: ProcSample): number {
  return (b.cpuSeconds - a.cpuSeconds) / ((b.at - a.at) / 1000);
}

/** Samples RSS every second while running; `max` is the largest seen. */
export class RssWatch {
  max = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(pid: number) {
    const tick = () => {
      try {
        this.max = Math.max(this.max, sampleProc(pid).rss);
      } catch {
        // the process ended
      }
    };
    tick();
    this.#timer = setInterval(tick, 1000);
  }

  stop(): number {
    clearInterval(this.#timer);
    return this.max;
  }
}
