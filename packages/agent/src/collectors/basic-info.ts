import type { BasicInfo } from '@komari-ts/protocol';
import pkg from '../../package.json' with { type: 'json' };
import { readCpuInfo } from './cpu-info.ts';
import { detectGpuName } from './gpu.ts';
import { goArch, readKernelVersion, readOsName } from './os-info.ts';
import type { ResolvedOptions } from './options.ts';
import { detectVirtualization } from './virtualization.ts';

/**
 * The agent's own version, from packages/agent/package.json: imported rather than read at run
 * time, so the bundle (dist/komari-agent.cjs, another directory) carries it too.
 */
export function agentVersion(): string {
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/** Totals that the report collectors measure: basic info repeats them (agent-protocol.md §4.1). */
export interface Totals {
  mem: number;
  swap: number;
  disk: number;
}

/**
 * Basic info without the IP addresses (the transport adds `ipv4`/`ipv6` from flags or NICs).
 * Read fresh each time (every info interval, 5 min by default), except the GPU name, which the
 * caller may cache: it can read the 1 MB pci.ids.
 */
export function readBasicInfo(o: ResolvedOptions, totals: Totals, gpuName: () => string): BasicInfo {
  const cpu = readCpuInfo(o.procRoot, o.sysRoot);
  return {
    cpu_name: cpu.model,
    cpu_cores: cpu.logical,
    cpu_physical_cores: cpu.physical,
    arch: goArch(),
    os: readOsName(o.rootDir),
    kernel_version: readKernelVersion(o.procRoot),
    mem_total: totals.mem,
    swap_total: totals.swap,
    disk_total: totals.disk,
    gpu_name: gpuName(),
    virtualization: detectVirtualization(o),
    version: agentVersion(),
  };
}

/** The GPU name, looked up once: display adapters do not change while the agent runs. */
export function cachedGpuName(sysRoot: string): () => string {
  let name: string | undefined;
  return () => (name ??= detectGpuName(sysRoot));
}
