import type { Report } from '@komari-ts/protocol';
import type { ServerLimits } from '../config/limits.ts';
import { StampedReport } from './stamped-report.ts';

/** The numeric fields of a report, in the order they are packed (schema order inside each part). */
const width = 19;
const numberBytes = width * Float64Array.BYTES_PER_ELEMENT;
/** V8's cost of a small object and of a string header, roughly: the byte budget is an estimate */
const objectBytes = 64;
const stringHeaderBytes = 16;
const firstCapacity = 64;

export type RecentWindowLimits = Pick<ServerLimits['recent'], 'maxReportsPerNode' | 'maxBytesPerNode'>;

/** What a report carries beyond the numbers (cpu name, gpu, message, …), and what it holds. */
interface Extras {
  cpu: Report['cpu'];
  message: string;
  gpu?: Report['gpu'];
  method?: string;
  held: number;
}

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

/** What V8 holds for `text`: one byte a unit when every unit fits Latin-1, else two. */
function heldBytes(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return 2 * text.length;
  return text.length;
}

const textBytes = (s: string | undefined) => (s === undefined ? 0 : stringHeaderBytes + heldBytes(s));

function gpuBytes(gpu: Report['gpu']): number {
  if (!gpu) return 0;
  let n = 2 * objectBytes + 8 * gpu.detailed_info.length;
  for (const d of gpu.detailed_info) n += objectBytes + textBytes(d.name);
  return n;
}

/**
 * What the window keeps of a report beyond its numbers: nothing for a plain one; the `message`
 * string alone when that is its only text (no object and no `cpu` around it: ~100 bytes a report
 * less, as a heap snapshot counted); an Extras otherwise.
 */
type Kept = Extras | string | undefined;

function keptOf(r: Report): Kept {
  const { cpu, message, gpu, method } = r;
  const bareCpu = cpu.name === undefined && cpu.cores === undefined && cpu.arch === undefined;
  if (gpu === undefined && method === undefined && bareCpu) return message === '' ? undefined : message;
  const held = 2 * objectBytes + textBytes(message) + textBytes(cpu.name) + textBytes(cpu.arch) + textBytes(method) + gpuBytes(gpu);
  return { cpu, message, gpu, method, held };
}

const heldOf = (k: Kept) => (k === undefined ? 0 : typeof k === 'string' ? textBytes(k) : k.held);

function unpack(uuid: string, d: Float64Array, i: number, kept: Kept): StampedReport {
  const v = (k: number) => d[i + k]!;
  const extras = typeof kept === 'string' ? undefined : kept;
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
    message: typeof kept === 'string' ? kept : (extras?.message ?? ''),
  };
  if (extras?.gpu) report.gpu = extras.gpu;
  if (extras?.method !== undefined) report.method = extras.method;
  return new StampedReport(uuid, report, v(0));
}

/**
 * One node's reports of the last minute, packed as numbers: 19 doubles a report instead of a
 * tree of objects (~150 bytes against ~1.2 KB), so 10,000 agents at 1 s keep ~100 MB for
 * `/api/recent` rather than ~760 MB (BENCHMARKS.md). Reports with text or GPU figures keep those
 * beside the numbers. Whatever the agent sends, the window holds at most `maxReportsPerNode`
 * reports and `maxBytesPerNode` bytes (estimated as V8 holds them); the oldest go first.
 */
export class RecentWindow {
  readonly #limits: RecentWindowLimits;
  #data: Float64Array;
  #extras: Kept[];
  #start = 0;
  #count = 0;
  #bytes = 0;

  constructor(limits: RecentWindowLimits) {
    this.#limits = limits;
    const capacity = Math.min(firstCapacity, limits.maxReportsPerNode);
    this.#data = new Float64Array(capacity * width);
    this.#extras = new Array<Kept>(capacity);
  }

  get #capacity(): number {
    return this.#extras.length;
  }

  push(s: StampedReport): void {
    const { maxReportsPerNode, maxBytesPerNode } = this.#limits;
    let extras = keptOf(s.report);
    // texts too big for the whole budget: the report is kept as its numbers
    if (numberBytes + heldOf(extras) > maxBytesPerNode) extras = undefined;
    const bytes = numberBytes + heldOf(extras);
    if (bytes > maxBytesPerNode || maxReportsPerNode < 1) return;
    while (this.#count >= maxReportsPerNode || this.#bytes + bytes > maxBytesPerNode) this.#dropOldest();
    if (this.#count === this.#capacity) this.#grow();
    const slot = (this.#start + this.#count) % this.#capacity;
    pack(this.#data, slot * width, s);
    this.#extras[slot] = extras;
    this.#count++;
    this.#bytes += bytes;
  }

  /** Drops reports received before `since` (ms). */
  trim(since: number): void {
    while (this.#count > 0 && this.#data[this.#start * width]! < since) this.#dropOldest();
  }

  get size(): number {
    return this.#count;
  }

  /** What the kept reports hold, by the estimate `maxBytesPerNode` bounds. */
  get bytes(): number {
    return this.#bytes;
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

  #dropOldest(): void {
    this.#bytes -= numberBytes + heldOf(this.#extras[this.#start]);
    this.#extras[this.#start] = undefined;
    this.#start = (this.#start + 1) % this.#capacity;
    this.#count--;
  }

  /** Doubles the ring, never past `maxReportsPerNode`. */
  #grow(): void {
    const cap = this.#capacity;
    const next = Math.min(cap * 2, this.#limits.maxReportsPerNode);
    const data = new Float64Array(next * width);
    const extras = new Array<Kept>(next);
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
