import type { Report } from '@komari-ts/protocol';
import type { ServerLimits } from '../config/limits.ts';
import { atOf, maxNumberBytes, plan, RecordReader, repeatsMessage, width, write, type Planned } from './report-codec.ts';
import { StampedReport } from './stamped-report.ts';

/** V8's cost of a small object and of a string header, roughly: the extras' share of the budget is an estimate */
const objectBytes = 64;
const stringHeaderBytes = 16;
/** the first buffer: a few reports; #room() sizes it to what the window holds */
const firstBufferBytes = 512;

export type RecentWindowLimits = Pick<ServerLimits['recent'], 'maxReportsPerNode' | 'maxBytesPerNode'>;

/** What a report carries beyond its numbers and message (cpu name, gpu, method), and what it holds. */
interface Extras {
  cpu: Report['cpu'];
  gpu?: Report['gpu'];
  method?: string;
  held: number;
}

function numbersOf(s: StampedReport, d: Float64Array): Float64Array {
  const r = s.report;
  d[0] = s.at;
  d[1] = r.cpu.usage;
  d[2] = r.ram.total;
  d[3] = r.ram.used;
  d[4] = r.swap.total;
  d[5] = r.swap.used;
  d[6] = r.load.load1;
  d[7] = r.load.load5;
  d[8] = r.load.load15;
  d[9] = r.disk.total;
  d[10] = r.disk.used;
  d[11] = r.network.up;
  d[12] = r.network.down;
  d[13] = r.network.totalUp;
  d[14] = r.network.totalDown;
  d[15] = r.connections.tcp;
  d[16] = r.connections.udp;
  d[17] = r.uptime;
  d[18] = r.process;
  return d;
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

/** The extras of a report, or undefined for a plain one (usage is its only cpu figure, no GPU, no method). */
function extrasOf(r: Report): Extras | undefined {
  const { cpu, gpu, method } = r;
  if (gpu === undefined && method === undefined && cpu.name === undefined && cpu.cores === undefined && cpu.arch === undefined) return undefined;
  return { cpu, gpu, method, held: 2 * objectBytes + textBytes(cpu.name) + textBytes(cpu.arch) + textBytes(method) + gpuBytes(gpu) };
}

function reportOf(uuid: string, v: Float64Array, message: string, extras: Extras | undefined): StampedReport {
  const report: Report = {
    cpu: extras ? { ...extras.cpu, usage: v[1]! } : { usage: v[1]! },
    ram: { total: v[2]!, used: v[3]! },
    swap: { total: v[4]!, used: v[5]! },
    load: { load1: v[6]!, load5: v[7]!, load15: v[8]! },
    disk: { total: v[9]!, used: v[10]! },
    network: { up: v[11]!, down: v[12]!, totalUp: v[13]!, totalDown: v[14]! },
    connections: { tcp: v[15]!, udp: v[16]! },
    uptime: v[17]!,
    process: v[18]!,
    message,
  };
  if (extras?.gpu) report.gpu = extras.gpu;
  if (extras?.method !== undefined) report.method = extras.method;
  return new StampedReport(uuid, report, v[0]!);
}

// Scratch space shared by every window (one report is packed or read at a time, synchronously):
// per window it would be ~400 bytes a node more.
const scratch = new Float64Array(width);
const planned: Planned = { tags: new Uint8Array(width), textBytes: 0, textTag: 0, bytes: 0 };
const reader = new RecordReader();

/**
 * One node's reports of the last minute, in one byte buffer: each report a record of its numbers
 * as differences from the report before (report-codec.ts) and its message, ~55 bytes for an
 * official agent's report instead of 19 doubles and a string (~190 bytes), and instead of a tree
 * of objects (~1.2 KB). `#ends` holds the numbers of the report before the oldest record and of
 * the newest, so the oldest can be dropped and a new one appended without reading the others. Reports with cpu
 * details, GPU figures or a method keep those as objects beside the buffer. Whatever the agent
 * sends, the window holds at most `maxReportsPerNode` reports and `maxBytesPerNode` bytes (the
 * records' bytes and the extras as V8 holds them); the oldest go first.
 */
export class RecentWindow {
  readonly #limits: RecentWindowLimits;
  #buf = new Uint8Array(firstBufferBytes);
  #view = new DataView(this.#buf.buffer);
  /** the records live in #buf[#head, #end) */
  #head = 0;
  #end = 0;
  #count = 0;
  #bytes = 0;
  /** the numbers of the report before the oldest record [0, width), and of the newest [width, 2·width) */
  readonly #ends = new Float64Array(2 * width);
  #baseMessage = '';
  #lastMessage = '';
  /** the extras of the records that have them, oldest first */
  #extras: Extras[] = [];
  /** the newest report's extras (kept when the window itself has dropped every report) */
  #lastExtras: Extras | undefined;
  /** whether the newest report was kept whole (not cut to its numbers), so newest() gives it back */
  #lastWhole = false;

  constructor(limits: RecentWindowLimits) {
    this.#limits = limits;
  }

  /** Keeps a report; false when it could not keep it whole (newest() does not give it back then). */
  push(s: StampedReport): boolean {
    const { maxReportsPerNode, maxBytesPerNode } = this.#limits;
    if (maxReportsPerNode < 1 || maxNumberBytes > maxBytesPerNode) return (this.#lastWhole = false);
    const v = numbersOf(s, scratch);
    let message = s.report.message;
    let extras = extrasOf(s.report);
    let p = plan(v, this.#ends, width, message, this.#lastMessage, extras !== undefined, planned);
    // texts too big for the whole budget: the report is kept as its numbers
    const whole = p.bytes + (extras?.held ?? 0) <= maxBytesPerNode;
    if (!whole) {
      [message, extras] = ['', undefined];
      p = plan(v, this.#ends, width, message, this.#lastMessage, false, planned);
    }
    const bytes = p.bytes + (extras?.held ?? 0);
    while (this.#count >= maxReportsPerNode || this.#bytes + bytes > maxBytesPerNode) this.#dropOldest();
    this.#room(p.bytes);
    write(this.#buf, this.#view, this.#end, p, v, this.#ends, width, message);
    this.#end += p.bytes;
    this.#ends.set(v, width);
    this.#lastMessage = message;
    if (extras) this.#extras.push(extras);
    this.#lastExtras = extras;
    this.#lastWhole = whole;
    this.#count++;
    this.#bytes += bytes;
    return whole;
  }

  /**
   * The newest report pushed, rebuilt from its numbers (kept even once the window has dropped it),
   * when it was kept whole: the live view's latest report without holding its object tree.
   */
  newest(uuid: string): StampedReport | undefined {
    if (!this.#lastWhole) return undefined;
    return reportOf(uuid, this.#ends.subarray(width), this.#lastMessage, this.#lastExtras);
  }

  /** Drops reports received before `since` (ms). */
  trim(since: number): void {
    while (this.#count > 0 && this.#oldestAt() < since) this.#dropOldest();
  }

  get size(): number {
    return this.#count;
  }

  /** What the kept reports hold: their records' bytes and their extras as V8 holds them (`maxBytesPerNode` bounds it). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Oldest first, as fresh StampedReports. */
  reports(uuid: string): StampedReport[] {
    const out: StampedReport[] = [];
    const r = reader;
    r.reset(this.#ends, 0, this.#baseMessage);
    let extra = 0;
    for (let off = this.#head; off < this.#end; ) {
      off = r.step(this.#buf, this.#view, off);
      out.push(reportOf(uuid, r.values, r.message, r.extras ? this.#extras[extra++] : undefined));
    }
    return out;
  }

  /** the receive time of the oldest report */
  #oldestAt(): number {
    return atOf(this.#buf, this.#view, this.#head, this.#ends[0]!);
  }

  #dropOldest(): void {
    const r = reader;
    r.reset(this.#ends, 0, this.#baseMessage);
    const next = r.step(this.#buf, this.#view, this.#head, false);
    this.#ends.set(r.values, 0);
    if (r.message === '' && r.textTag >= 2) {
      // the dropped message is kept only for a next record that repeats it
      this.#baseMessage = next === this.#end ? this.#lastMessage : repeatsMessage(this.#buf, next) ? r.text(this.#buf) : '';
    } else this.#baseMessage = r.message;
    let bytes = next - this.#head;
    if (r.extras) bytes += this.#extras.shift()!.held;
    this.#bytes -= bytes;
    this.#head = next;
    this.#count--;
    if (this.#count === 0) this.#head = this.#end = 0;
  }

  /**
   * Room for `need` bytes at the end. The records are moved to the front when that makes room (a
   * few KiB copied every few reports); the buffer grows by half at least, and is cut back to an
   * eighth more than the records need when they fill less than two thirds of it (after the first
   * minute, or once large messages are gone).
   */
  #room(need: number): void {
    const cap = this.#buf.length;
    if (this.#end + need <= cap) return;
    const live = this.#end - this.#head;
    const fit = Math.ceil(((live + need) * 1.125) / 64) * 64;
    if (live + need <= cap && (live + need) * 1.5 > cap) {
      this.#buf.copyWithin(0, this.#head, this.#end);
    } else {
      const buf = new Uint8Array(live + need > cap ? Math.max(fit, Math.ceil(cap * 1.5)) : fit);
      buf.set(this.#buf.subarray(this.#head, this.#end));
      this.#buf = buf;
      this.#view = new DataView(buf.buffer);
    }
    this.#head = 0;
    this.#end = live;
  }
}
