import { z } from 'zod';

/**
 * The agent report (agent-protocol.md §3), identical in v1 frames, v1 POST bodies and v2
 * `params.report`. Missing parts default to zero values, unknown keys are ignored, integer fields
 * accept integral numbers (1e3) and refuse fractions or strings. Value ranges are checked
 * separately by `verifyReport`, which gives Komari's error texts.
 */
const int = z.number().int();
const num = z.number();

export const gpuDeviceSchema = z.object({
  name: z.string().default(''),
  memory_total: int.default(0),
  memory_used: int.default(0),
  utilization: num.default(0),
  temperature: num.default(0),
});

export const reportSchema = z.object({
  cpu: z
    .object({ usage: num.default(0), name: z.string().optional(), cores: int.optional(), arch: z.string().optional() })
    .default({ usage: 0 }),
  ram: z.object({ total: int.default(0), used: int.default(0) }).default({ total: 0, used: 0 }),
  swap: z.object({ total: int.default(0), used: int.default(0) }).default({ total: 0, used: 0 }),
  load: z
    .object({ load1: num.default(0), load5: num.default(0), load15: num.default(0) })
    .default({ load1: 0, load5: 0, load15: 0 }),
  disk: z.object({ total: int.default(0), used: int.default(0) }).default({ total: 0, used: 0 }),
  network: z
    .object({ up: int.default(0), down: int.default(0), totalUp: int.default(0), totalDown: int.default(0) })
    .default({ up: 0, down: 0, totalUp: 0, totalDown: 0 }),
  connections: z.object({ tcp: int.default(0), udp: int.default(0) }).default({ tcp: 0, udp: 0 }),
  // Old agents send {"models": [...]} or {"name","usage"}: they parse to zeros, as in Komari.
  gpu: z
    .object({
      count: int.default(0),
      average_usage: num.default(0),
      detailed_info: z.array(gpuDeviceSchema).default([]),
    })
    .optional(),
  uptime: int.default(0),
  process: int.default(0),
  message: z.string().default(''),
  method: z.string().optional(),
});
export type Report = z.output<typeof reportSchema>;

const nonNegativeFields: ReadonlyArray<readonly [string, (r: Report) => number]> = [
  ['Ram.Used', (r) => r.ram.used],
  ['Ram.Total', (r) => r.ram.total],
  ['Swap.Used', (r) => r.swap.used],
  ['Swap.Total', (r) => r.swap.total],
  ['Disk.Used', (r) => r.disk.used],
  ['Disk.Total', (r) => r.disk.total],
  ['Network.Up', (r) => r.network.up],
  ['Network.Down', (r) => r.network.down],
  ['Network.TotalUp', (r) => r.network.totalUp],
  ['Network.TotalDown', (r) => r.network.totalDown],
];

/** Komari's ReportVerify (agent-protocol.md §3.2): the error text, or undefined when valid. */
export function verifyReport(r: Report): string | undefined {
  if (r.cpu.usage < 0 || r.cpu.usage > 100) return 'CPU.Usage must be between 0 and 100';
  if (r.load.load1 < 0 || r.load.load1 > 1000) return `Load.Load1 must be non-negative, got ${r.load.load1.toFixed(2)}`;
  for (const [name, get] of nonNegativeFields) {
    const v = get(r);
    if (v < 0) return `${name} must be non-negative, got ${v}`;
  }
  if (r.process < 0) return `Process must be non-negative: ${r.process}`;
  if (r.connections.tcp < 0) return `Connections.TCP must be non-negative: ${r.connections.tcp}`;
  if (r.connections.udp < 0) return `Connections.UDP must be non-negative: ${r.connections.udp}`;
  return undefined;
}

/**
 * Basic info (agent-protocol.md §4.1): only these keys are written; unknown keys are ignored.
 * Text longer than its column is cut, not refused: the official agent joins every GPU name into
 * `gpu_name`, and Komari's SQLite columns take any length.
 */
const text = (max: number) => z.string().transform((s) => cutUnits(s, max));

/** At most `max` UTF-16 units, never half a surrogate pair (which SQLite would store as U+FFFD). */
function cutUnits(s: string, max: number): string {
  if (s.length <= max) return s;
  const last = s.charCodeAt(max - 1);
  return s.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
const count = int.min(0).max(2 ** 31 - 2);
const bytes = int.min(0).max(Number.MAX_SAFE_INTEGER);
export const basicInfoSchema = z
  .object({
    cpu_name: text(100),
    cpu_cores: count,
    cpu_physical_cores: count,
    arch: text(50),
    os: text(100),
    kernel_version: text(100),
    ipv4: text(100),
    ipv6: text(100),
    mem_total: bytes,
    swap_total: bytes,
    disk_total: bytes,
    gpu_name: text(100),
    virtualization: text(50),
    version: text(100),
    region: text(100),
  })
  .partial();
export type BasicInfo = z.output<typeof basicInfoSchema>;
