import type { BasicInfo, Report } from '@komari-ts/protocol';
import type { Collector } from '../types.ts';
import { cachedGpuName, readBasicInfo } from './basic-info.ts';
import { readConnections } from './connections.ts';
import { CpuUsage } from './cpu.ts';
import { DiskUsage } from './disk.ts';
import { readLoad } from './load.ts';
import { readMemory, type MemoryFigures, type MemoryMode } from './memory.ts';
import { NetworkTraffic } from './network.ts';
import { compileNicFilter } from './nic-filter.ts';
import { resolveOptions, type CollectorOptions, type ResolvedOptions } from './options.ts';
import { countProcesses } from './process.ts';
import { ProcReader } from './read.ts';
import { readUptime } from './uptime.ts';

export type { CollectorOptions } from './options.ts';

/** The official agent never sends a CPU usage at or below 0.001 (`monitoring/monitoring.go`). */
const MIN_CPU_USAGE = 0.001;

const NO_MEMORY: MemoryFigures = { ram: { total: 0, used: 0 }, swap: { total: 0, used: 0 } };

/** The collectors' state, kept between calls: CPU and network measure since the previous report. */
interface Sources {
  o: ResolvedOptions;
  reader: ProcReader;
  mode: MemoryMode;
  cpu: CpuUsage;
  disk: DiskUsage;
  net: NetworkTraffic;
  uptime: () => number;
  gpuName: () => string;
}

/**
 * Collects reports and basic info from a Linux host's /proc and /sys, with no process spawned.
 * A part that cannot be read is sent as zeros, and its error goes into `message` as the official
 * agent does ("failed to get network speed: …"), so one unreadable file never loses a report.
 */
export function createLinuxCollector(options: CollectorOptions = {}): Collector {
  const o = resolveOptions(options);
  const reader = new ProcReader();
  const uptime = () => readUptime(reader, o.procRoot);
  const filter = compileNicFilter(o.includeNics, o.excludeNics);
  const s: Sources = {
    o,
    reader,
    mode: { includeCache: o.memoryIncludeCache, reportRawUsed: o.memoryReportRawUsed },
    cpu: new CpuUsage(reader, o.procRoot),
    disk: new DiskUsage(reader, o.procRoot, o.includeMountpoints, o.clock),
    net: new NetworkTraffic(reader, { procRoot: o.procRoot, filter, monthRotate: o.monthRotate, clock: o.clock, uptime }),
    uptime,
    gpuName: cachedGpuName(o.sysRoot),
  };
  return {
    report: () => Promise.resolve(collectReport(s)),
    basicInfo: () => Promise.resolve(collectBasicInfo(s)),
  };
}

function collectReport(s: Sources): Report {
  const { o, reader } = s;
  const errors: string[] = [];
  const get = <T>(what: string, read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (err) {
      errors.push(`failed to get ${what}: ${err instanceof Error ? err.message : String(err)}\n`);
      return fallback;
    }
  };
  const usage = get('cpu usage', () => s.cpu.sample(), 0);
  const memory = get('memory', () => readMemory(reader, o.procRoot, s.mode), NO_MEMORY);
  return {
    cpu: { usage: Math.max(usage, MIN_CPU_USAGE) },
    ram: memory.ram,
    swap: memory.swap,
    load: get('load', () => readLoad(reader, o.procRoot), { load1: 0, load5: 0, load15: 0 }),
    disk: get('disk usage', () => s.disk.sample(), { total: 0, used: 0 }),
    network: get('network speed', () => s.net.sample(), { up: 0, down: 0, totalUp: 0, totalDown: 0 }),
    connections: get('connections', () => readConnections(reader, o.procRoot), { tcp: 0, udp: 0 }),
    uptime: get('uptime', s.uptime, 0),
    process: get('process count', () => countProcesses(o.procRoot), 0),
    message: errors.join(''),
  };
}

function collectBasicInfo(s: Sources): BasicInfo {
  const memory = attempt(() => readMemory(s.reader, s.o.procRoot, s.mode), NO_MEMORY);
  const disk = attempt(() => s.disk.sample().total, 0);
  return readBasicInfo(s.o, { mem: memory.ram.total, swap: memory.swap.total, disk }, s.gpuName);
}

function attempt<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}
