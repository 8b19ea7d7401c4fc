import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface CpuInfo {
  /** model name; `Unknown` when /proc/cpuinfo has none */
  model: string;
  /** logical cores (≥ 1) */
  logical: number;
  /** distinct (physical id, core id) pairs; 0 = unknown */
  physical: number;
}

/** Keys that name the CPU after `model name` and the ARM part: old ARM `Processor`, board `Model`, SoC `Hardware`, MIPS, POWER. */
const MODEL_KEYS = ['Processor', 'Model', 'Hardware', 'cpu model', 'cpu'];

/** Arm Ltd (implementer 0x41) core parts, named as gopsutil names them for the official agent. */
const ARM_PARTS: Record<string, string> = {
  '0xc07': 'Cortex-A7', '0xc09': 'Cortex-A9', '0xc0f': 'Cortex-A15', '0xd03': 'Cortex-A53',
  '0xd04': 'Cortex-A35', '0xd05': 'Cortex-A55', '0xd07': 'Cortex-A57', '0xd08': 'Cortex-A72',
  '0xd09': 'Cortex-A73', '0xd0a': 'Cortex-A75', '0xd0b': 'Cortex-A76', '0xd0c': 'Neoverse-N1',
  '0xd0d': 'Cortex-A77', '0xd40': 'Neoverse-V1', '0xd41': 'Cortex-A78', '0xd44': 'Cortex-X1',
  '0xd46': 'Cortex-A510', '0xd47': 'Cortex-A710', '0xd48': 'Cortex-X2', '0xd49': 'Neoverse-N2',
  '0xd4d': 'Cortex-A715', '0xd4e': 'Cortex-X3', '0xd4f': 'Neoverse-V2',
};

function field(line: string): [string, string] | undefined {
  const colon = line.indexOf(':');
  return colon === -1 ? undefined : [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
}

function modelOf(found: Map<string, string>): string {
  const name = found.get('model name');
  if (name) return name;
  const part = found.get('CPU implementer') === '0x41' ? ARM_PARTS[found.get('CPU part') ?? ''] : undefined;
  if (part) return part;
  for (const key of MODEL_KEYS) {
    const v = found.get(key);
    // new ARM kernels write `processor : 0` (an index); old ones `Processor : ARMv7 Processor rev 4`
    if (v && !/^\d+$/.test(v)) return v;
  }
  const vendor = [found.get('vendor_id'), found.get('cpu family')].filter(Boolean).join(' ');
  return vendor || 'Unknown';
}

/** Parses /proc/cpuinfo: one block per logical CPU, `key<TAB>: value` lines. */
export function parseCpuinfo(text: string): CpuInfo {
  const found = new Map<string, string>();
  const cores = new Set<string>();
  let logical = 0;
  let physicalId = '';
  for (const line of text.split('\n')) {
    const kv = field(line);
    if (!kv) continue;
    const [key, value] = kv;
    if (!found.has(key)) found.set(key, value);
    if (key === 'processor' && /^\d+$/.test(value)) logical++;
    else if (key === 'physical id') physicalId = value;
    else if (key === 'core id') cores.add(`${physicalId}:${value}`);
  }
  return { model: modelOf(found), logical, physical: cores.size };
}

/** Physical cores from sysfs topology: distinct `core_cpus_list` (older kernels: `thread_siblings_list`). */
export function physicalFromTopology(sysRoot: string): number {
  const base = `${sysRoot}/devices/system/cpu`;
  const cores = new Set<string>();
  let names: string[];
  try {
    names = readdirSync(base).filter((n) => /^cpu\d+$/.test(n));
  } catch {
    return 0;
  }
  for (const n of names) {
    for (const file of ['core_cpus_list', 'thread_siblings_list']) {
      try {
        cores.add(readFileSync(`${base}/${n}/topology/${file}`, 'utf8').trim());
        break;
      } catch {
        // try the older name, then give up on this CPU
      }
    }
  }
  return cores.size;
}

/** Logical CPUs from the `cpuN` lines of /proc/stat (containers that hide /proc/cpuinfo details). */
function logicalFromStat(procRoot: string): number {
  try {
    return readFileSync(`${procRoot}/stat`, 'utf8').split('\n').filter((l) => /^cpu\d+\s/.test(l)).length;
  } catch {
    return 0;
  }
}

export function readCpuInfo(procRoot: string, sysRoot: string): CpuInfo {
  let info: CpuInfo = { model: 'Unknown', logical: 0, physical: 0 };
  try {
    info = parseCpuinfo(readFileSync(`${procRoot}/cpuinfo`, 'utf8'));
  } catch {
    // fall through to the other sources
  }
  const logical = info.logical || logicalFromStat(procRoot) || availableParallelism();
  const physical = info.physical || physicalFromTopology(sysRoot);
  return { model: info.model, logical, physical: Math.min(physical, logical) };
}
