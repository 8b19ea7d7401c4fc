import type { ProcReader } from './read.ts';

/** The /proc/meminfo figures the official agent uses, in bytes. */
export interface MemInfo {
  total: number;
  free: number;
  available: number;
  buffers: number;
  /** Cached + SReclaimable, as gopsutil counts "cached" */
  cached: number;
  swapTotal: number;
  swapFree: number;
}

export interface MemoryMode {
  /** --memory-include-cache */
  includeCache: boolean;
  /** --memory-exclude-bcf (`memory_report_raw_used`) */
  reportRawUsed: boolean;
}

export interface MemoryFigures {
  ram: { total: number; used: number };
  swap: { total: number; used: number };
}

const KEYS = ['MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SReclaimable', 'SwapTotal', 'SwapFree'];

/** Parses /proc/meminfo (values in kB). Without MemAvailable (kernels < 3.14): free + cached. */
export function parseMeminfo(text: string): MemInfo {
  const v = new Map<string, number>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const key = line.slice(0, colon);
    if (KEYS.includes(key)) v.set(key, Number.parseInt(line.slice(colon + 1), 10) * 1024);
  }
  const total = v.get('MemTotal');
  if (total === undefined || !Number.isFinite(total)) throw new Error('no MemTotal in meminfo');
  const get = (k: string) => v.get(k) ?? 0;
  const free = get('MemFree');
  const cached = get('Cached') + get('SReclaimable');
  return {
    total,
    free,
    available: v.get('MemAvailable') ?? free + cached,
    buffers: get('Buffers'),
    cached,
    swapTotal: get('SwapTotal'),
    swapFree: get('SwapFree'),
  };
}

/**
 * RAM in use by the official agent's rules (`monitoring/unit/mem.go`): by default total −
 * available; with --memory-include-cache total − free (cache counts as used, and wins over the
 * other flag); with --memory-exclude-bcf total − free − buffers − cached. Never below 0.
 */
export function ramUsed(m: MemInfo, mode: MemoryMode): number {
  let used: number;
  if (mode.includeCache) used = m.total - m.free;
  else if (mode.reportRawUsed) used = m.total - m.free - m.buffers - m.cached;
  else used = m.total - m.available;
  return Math.max(0, used);
}

export function memoryFigures(m: MemInfo, mode: MemoryMode): MemoryFigures {
  return {
    ram: { total: m.total, used: ramUsed(m, mode) },
    swap: { total: m.swapTotal, used: Math.max(0, m.swapTotal - m.swapFree) },
  };
}

export function readMemory(reader: ProcReader, procRoot: string, mode: MemoryMode): MemoryFigures {
  return memoryFigures(parseMeminfo(reader.text(`${procRoot}/meminfo`)), mode);
}
