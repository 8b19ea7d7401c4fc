import type { ProcReader } from './read.ts';

/** Jiffies from the aggregate `cpu` line of /proc/stat. */
export interface CpuTimes {
  busy: number;
  total: number;
}

/**
 * Parses the first line of /proc/stat: `cpu user nice system idle iowait irq softirq steal guest
 * guest_nice`. As gopsutil does for the official agent, total leaves out guest and guest_nice
 * (the kernel already counts them in user and nice) and idle time is idle + iowait.
 */
export function parseCpuTimes(stat: string): CpuTimes {
  const end = stat.indexOf('\n');
  const fields = stat.slice(0, end === -1 ? undefined : end).trim().split(/\s+/);
  if (fields[0] !== 'cpu' || fields.length < 5) throw new Error('no aggregate cpu line in /proc/stat');
  let total = 0;
  for (let i = 1; i <= 8 && i < fields.length; i++) total += Number(fields[i]);
  const idle = Number(fields[4]) + Number(fields[5] ?? 0);
  if (!Number.isFinite(total) || !Number.isFinite(idle)) throw new Error('unreadable cpu line in /proc/stat');
  return { busy: total - idle, total };
}

/** Percent of all cores busy between two samples, within [0, 100]; 0 when no time passed. */
export function cpuPercent(prev: CpuTimes, next: CpuTimes): number {
  const dTotal = next.total - prev.total;
  if (dTotal <= 0) return 0;
  const pct = ((next.busy - prev.busy) / dTotal) * 100;
  return Math.min(100, Math.max(0, pct));
}

/** CPU usage over all cores since the previous call (the first call: since construction). */
export class CpuUsage {
  readonly #reader: ProcReader;
  readonly #path: string;
  #prev: CpuTimes | undefined;

  constructor(reader: ProcReader, procRoot: string) {
    this.#reader = reader;
    this.#path = `${procRoot}/stat`;
    try {
      this.#prev = this.#read();
    } catch {
      // the first sample() reports the error and starts the measurement
    }
  }

  sample(): number {
    const next = this.#read();
    const pct = this.#prev ? cpuPercent(this.#prev, next) : 0;
    this.#prev = next;
    return pct;
  }

  #read(): CpuTimes {
    return parseCpuTimes(this.#reader.head(this.#path, 512));
  }
}
