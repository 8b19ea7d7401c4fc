/** Settings of the Linux collectors, named after the official agent's flags (agent-protocol.md §14). */

/** Time source, passed in so tests can move it (rates and the monthly reset read it). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A flag value as the user wrote it (`"eth0,ens*"`) or already split by the config. */
export type ListOption = string | readonly string[];

export interface CollectorOptions {
  /** the host's /proc; config maps `HOST_PROC` here (default `/proc`) */
  procRoot?: string;
  /** default `/sys` */
  sysRoot?: string;
  /** where `/etc/os-release`, `/.dockerenv` and `/run` are looked up (default `/`) */
  rootDir?: string;
  /** --include-nics: comma list of names or globs (`*`, `?`) */
  includeNics?: ListOption;
  /** --exclude-nics: comma list of names or globs */
  excludeNics?: ListOption;
  /** --include-mountpoint: `;`-separated; when set, only these are counted */
  includeMountpoints?: ListOption;
  /** --month-rotate N: network totals count from day N (1–31) of the month; 0 = since boot */
  monthRotate?: number;
  /** --memory-include-cache: used = total − free */
  memoryIncludeCache?: boolean;
  /** --memory-exclude-bcf (`memory_report_raw_used`): used = total − free − buffers − cached */
  memoryReportRawUsed?: boolean;
  clock?: Clock;
}

export interface ResolvedOptions {
  procRoot: string;
  sysRoot: string;
  rootDir: string;
  includeNics: string[];
  excludeNics: string[];
  includeMountpoints: string[];
  monthRotate: number;
  memoryIncludeCache: boolean;
  memoryReportRawUsed: boolean;
  clock: Clock;
}

/** Splits a list flag, trimming entries and dropping empty ones. */
export function splitList(value: ListOption | undefined, separator: string): string[] {
  if (value === undefined) return [];
  const parts = typeof value === 'string' ? value.split(separator) : value;
  return parts.map((s) => s.trim()).filter((s) => s !== '');
}

const trimSlash = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

export function resolveOptions(o: CollectorOptions): ResolvedOptions {
  return {
    procRoot: trimSlash(o.procRoot || '/proc'),
    sysRoot: trimSlash(o.sysRoot || '/sys'),
    rootDir: trimSlash(o.rootDir || '/'),
    includeNics: splitList(o.includeNics, ','),
    excludeNics: splitList(o.excludeNics, ','),
    includeMountpoints: splitList(o.includeMountpoints, ';'),
    monthRotate: o.monthRotate ?? 0,
    memoryIncludeCache: o.memoryIncludeCache ?? false,
    memoryReportRawUsed: o.memoryReportRawUsed ?? false,
    clock: o.clock ?? systemClock,
  };
}

/** Joins a root and an absolute path without doubling the slash (`/` + `/etc` → `/etc`). */
export function under(root: string, path: string): string {
  return root === '/' ? path : root + path;
}
