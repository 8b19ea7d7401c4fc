import { statfsSync } from 'node:fs';
import { deviceKey, isCountedMount, parseMounts, parseNodevFilesystems, type MountEntry } from './mounts.ts';
import type { Clock } from './options.ts';
import type { ProcReader } from './read.ts';

export interface DiskFigures {
  total: number;
  used: number;
}

interface Usage {
  total: number;
  used: number;
}

/** Size and use of the filesystem holding `path`, as `df -B1` gives them (used = blocks − free). */
export function statUsage(path: string): Usage {
  const s = statfsSync(path);
  return { total: s.blocks * s.bsize, used: (s.blocks - s.bfree) * s.bsize };
}

/** The mount table is re-read at most this often; sizes are read every tick. */
const MOUNTS_TTL_MS = 60_000;

/**
 * Disk used and total over the counted mountpoints (see mounts.ts), each filesystem once; when
 * several mounts share a device the largest total wins, as in the official agent (quotas).
 * With --include-mountpoint only the listed paths count, without deduplication (official).
 */
export class DiskUsage {
  readonly #reader: ProcReader;
  readonly #mountsPaths: readonly string[];
  readonly #filesystemsPath: string;
  readonly #include: readonly string[];
  readonly #clock: Clock;
  #mounts: MountEntry[] = [];
  #readAt = -Infinity;

  constructor(reader: ProcReader, procRoot: string, include: readonly string[], clock: Clock) {
    this.#reader = reader;
    // Our own mount namespace, where statfs resolves paths; with a host /proc (HOST_PROC), the
    // host's table as PID 1 sees it, else the one of our own process in that /proc.
    this.#mountsPaths = procRoot === '/proc' ? ['/proc/self/mounts'] : [`${procRoot}/1/mounts`, `${procRoot}/self/mounts`];
    this.#filesystemsPath = `${procRoot}/filesystems`;
    this.#include = include;
    this.#clock = clock;
  }

  sample(): DiskFigures {
    if (this.#include.length > 0) return sum(this.#include.map(tryUsage));
    const best = new Map<string, Usage>();
    for (const m of this.countedMounts()) {
      const u = tryUsage(m.mountpoint);
      const key = deviceKey(m);
      const seen = best.get(key);
      if (u && (!seen || u.total > seen.total)) best.set(key, u);
    }
    return sum(best.values());
  }

  /** The mounts that count, from a table re-read every minute. */
  countedMounts(): MountEntry[] {
    const now = this.#clock.now();
    if (now - this.#readAt >= MOUNTS_TTL_MS || now < this.#readAt) {
      const nodev = parseNodevFilesystems(this.#reader.optional(this.#filesystemsPath) ?? '');
      this.#mounts = parseMounts(this.#mountTable()).filter((m) => isCountedMount(m, nodev));
      this.#readAt = now;
    }
    return this.#mounts;
  }

  #mountTable(): string {
    for (const path of this.#mountsPaths) {
      const text = this.#reader.optional(path);
      if (text !== undefined) return text;
    }
    throw new Error(`cannot read ${this.#mountsPaths.join(' or ')}`);
  }
}

function tryUsage(path: string): Usage | undefined {
  try {
    return statUsage(path);
  } catch {
    return undefined; // unmounted since the table was read, or not reachable from here
  }
}

function sum(usages: Iterable<Usage | undefined>): DiskFigures {
  let total = 0;
  let used = 0;
  for (const u of usages) {
    if (!u) continue;
    total += u.total;
    used += u.used;
  }
  return { total, used };
}
