import type { Report } from '@komari-ts/protocol';
import { formatTime } from '../util/time.ts';

/**
 * A validated report with the server's receive time. Its `/api/clients` fragment is serialised
 * once, on first use: only a node's latest report is ever shown there, so the 60 reports of the
 * recent window never pay for (or hold) a JSON string they will not need.
 */
export class StampedReport {
  readonly uuid: string;
  readonly report: Report;
  /** server receive time, ms; strictly increasing per node */
  readonly at: number;
  #feedEntry: string | undefined;

  constructor(uuid: string, report: Report, at: number) {
    this.uuid = uuid;
    this.report = report;
    this.at = at;
  }

  /** the `/api/clients` member `"<uuid>":{…}` (no uuid inside, cpu.usage 0 → 0.01) */
  get feedEntry(): string {
    return (this.#feedEntry ??= `${JSON.stringify(this.uuid)}:${JSON.stringify(reportWire(this, { withUuid: false, cpuZeroAs: 0.01 }))}`);
  }
}

function cpuOf(r: Report, zeroAs: number | undefined): Record<string, unknown> {
  const cpu: Record<string, unknown> = {};
  if (r.cpu.name) cpu.name = r.cpu.name;
  if (r.cpu.cores) cpu.cores = r.cpu.cores;
  if (r.cpu.arch) cpu.arch = r.cpu.arch;
  if (r.cpu.usage !== 0) cpu.usage = r.cpu.usage;
  else if (zeroAs !== undefined) cpu.usage = zeroAs;
  return cpu;
}

/**
 * Komari's report echo (public-api.md §3.1), the seed's fields first. `uuid` is present in
 * `/api/recent`, absent in `/api/clients`, where a zero cpu.usage is shown as 0.01.
 */
export function reportWire(s: StampedReport, opts: { withUuid: boolean; cpuZeroAs?: number }): Record<string, unknown> {
  const r = s.report;
  const out: Record<string, unknown> = {};
  if (opts.withUuid) out.uuid = s.uuid;
  out.cpu = cpuOf(r, opts.cpuZeroAs);
  out.ram = r.ram;
  out.swap = r.swap;
  out.load = r.load;
  out.disk = r.disk;
  out.network = r.network;
  out.connections = r.connections;
  if (r.gpu) out.gpu = r.gpu;
  out.uptime = r.uptime;
  out.process = r.process;
  out.message = r.message;
  if (r.method) out.method = r.method;
  out.updated_at = formatTime(s.at);
  return out;
}

export function stamp(uuid: string, report: Report, at: number): StampedReport {
  return new StampedReport(uuid, report, at);
}
