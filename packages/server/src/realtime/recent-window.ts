import type { Report } from '@komari-ts/protocol';
import { StampedReport } from './stamped-report.ts';

/** The numeric fields of a report, in the order they are packed (schema order inside each part). */
const width = 19;

function pack(d: Float64Array, i: number, s: StampedReport): void {
  const r = s.report;
  d[i] = s.at;
  d[i + 1] = r.cpu.usage;
  d[i + 2] = r.ram.total;
  d[i + 3] = r.ram.used;
  d[i + 4] = r.swap.total;
  d[i + 5] = r.swap.used;
  d[i + 6] = r.load.load1;
  d[i + 7] = r.load.load5;
  d[i + 8] = r.load.load15;
  d[i + 9] = r.disk.total;
  d[i + 10] = r.disk.used;
  d[i + 11] = r.network.up;
  d[i + 12] = r.network.down;
  d[i + 13] = r.network.totalUp;
  d[i + 14] = r.network.totalDown;
  d[i + 15] = r.connections.tcp;
  d[i + 16] = r.connections.udp;
  d[i + 17] = r.uptime;
  d[i + 18] = r.process;
}

/** Whether the report carries anything beyond the numbers (cpu name, gpu, message, …). */
function hasExtras(r: Report): boolean {
  return r.message !== '' || r.gpu !== undefined || r.method !== undefined || r.cpu.name !== undefined || r.cpu.cores !== undefined || r.cpu.arch !== undefined;
}

function unpack(uuid: string, d: Float64Array, i: number, extras: Report | undefined): StampedReport {
  const v = (k: number) => d[i + k]!;
  const report: Report = {
    cpu: extras ? { ...extras.cpu, usage: v(1) } : { usage: v(1) },
    ram: { total: v(2), used: v(3) },
    swap: { total: v(4), used: v(5) },
    load: { load1: v(6), load5: v(7), load15: v(8) },
    disk: { total: v(9), used: v(10) },
    network: { up: v(11), down: v(12), totalUp: v(13), totalDown: v(14) },
    connections: { tcp: v(15), udp: v(16) },
    uptime: v(17),
    process: v(18),
    message: extras?.message ?? '',
  };
  if (extras?.gpu) report.gpu = extras.gpu;
  if (extras?.method !== undefined) report.method = extras.method;
  return new StampedReport(uuid, report, v(0));
}

/**
 * One node's reports of the last minute, packed as numbers: 19 doubles a report instead of a
 * tree of objects (~150 bytes against ~1.2 KB), so 10,000 agents at 1 s keep ~100 MB for
 * `/api/recent` rather than ~760 MB (BENCHMARKS.md). Reports with text or GPU figures keep their
 * object beside the numbers; they are rare. A ring that fills within the window doubles.
 */
export class RecentWindow {
  #data = new Float64Array(64 * width);
  #extras: (Report | undefined)[] = new Array<Report | undefined>(64);
  #start = 0;
  #count = 0;

  get #capacity(): number {
    return this.#extras.length;
  }

  push(s: StampedReport): void {
    if (this.#count === this.#capacity) this.#grow();
    const slot = (this.#start + this.#count) % this.#capacity;
    pack(this.#data, slot * width, s);
    this.#extras[slot] = hasExtras(s.report) ? s.report : undefined;
    this.#count++;
  }

  /** Drops reports received before `since` (ms). */
  trim(since: number): void {
    while (this.#count > 0 && this.#data[this.#start * width]! < since) {
      this.#extras[this.#start] = undefined;
      this.#start = (this.#start + 1) % this.#capacity;
      this.#count--;
    }
  }

  get size(): number {
    return this.#count;
  }

  /** Oldest first, as fresh StampedReports. */
  reports(uuid: string): StampedReport[] {
    const out: StampedReport[] = [];
    for (let k = 0; k < this.#count; k++) {
      const slot = (this.#start + k) % this.#capacity;
      out.push(unpack(uuid, this.#data, slot * width, this.#extras[slot]));
    }
    return out;
  }

  #grow(): void {
    const cap = this.#capacity;
    const data = new Float64Array(cap * 2 * width);
    const extras = new Array<Report | undefined>(cap * 2);
    for (let k = 0; k < this.#count; k++) {
      const slot = (this.#start + k) % cap;
      data.set(this.#data.subarray(slot * width, (slot + 1) * width), k * width);
      extras[k] = this.#extras[slot];
    }
    this.#data = data;
    this.#extras = extras;
    this.#start = 0;
  }
}
