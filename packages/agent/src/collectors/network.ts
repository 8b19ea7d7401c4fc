import { MonthlyTraffic, validResetDay } from './month-rotate.ts';
import type { NicFilter } from './nic-filter.ts';
import type { Clock } from './options.ts';
import type { ProcReader } from './read.ts';

/** Bytes per second since the previous call, and cumulative bytes (agent-protocol.md §3). */
export interface NetworkFigures {
  up: number;
  down: number;
  totalUp: number;
  totalDown: number;
}

export interface NicBytes {
  name: string;
  rx: number;
  tx: number;
}

/**
 * The byte counters of the counted interfaces in /proc/net/dev (`  eth0: rxBytes … txBytes …`:
 * received bytes are field 1, sent bytes field 9). Lines of other interfaces are not split.
 */
export function parseNetDev(text: string, counted: NicFilter): NicBytes[] {
  const out: NicBytes[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim();
    if (!counted(name)) continue;
    const f = line.slice(colon + 1).trim().split(/\s+/);
    const rx = Number(f[0]);
    const tx = Number(f[8]);
    if (Number.isFinite(rx) && Number.isFinite(tx)) out.push({ name, rx, tx });
  }
  return out;
}

/** One tick's bytes: moved on interfaces already known, counters of new ones, and the sum of all. */
interface TickBytes {
  rx: number;
  tx: number;
  newRx: number;
  newTx: number;
  totalRx: number;
  totalTx: number;
}

interface Seen {
  rx: number;
  tx: number;
  tick: number;
}

export interface NetworkSetup {
  procRoot: string;
  filter: NicFilter;
  /** --month-rotate day; 0 (or out of 1–31) = totals since boot */
  monthRotate: number;
  clock: Clock;
  /** host uptime in seconds, to tell whether the host booted in the current month period */
  uptime: () => number;
}

/**
 * Speed and totals over the counted NICs. Each interface's counters are remembered between calls,
 * so an interface that vanishes, reappears or is reset (counters going down) never yields a
 * negative rate: its new counter value is taken as the bytes moved since it came back. The first
 * sample is taken at construction, so the first report already has a rate.
 */
export class NetworkTraffic {
  readonly #reader: ProcReader;
  readonly #path: string;
  readonly #filter: NicFilter;
  readonly #clock: Clock;
  readonly #monthly: MonthlyTraffic | undefined;
  readonly #seen = new Map<string, Seen>();
  #tick = 0;
  #lastAt: number | undefined;
  /** whether counters found on the first read count toward the month (host booted this period) */
  #firstReadCounts = false;

  constructor(reader: ProcReader, s: NetworkSetup) {
    this.#reader = reader;
    this.#path = `${s.procRoot}/net/dev`;
    this.#filter = s.filter;
    this.#clock = s.clock;
    if (validResetDay(s.monthRotate)) {
      const now = s.clock.now();
      this.#monthly = new MonthlyTraffic(s.monthRotate, now);
      try {
        this.#firstReadCounts = this.#monthly.countsSinceBoot(now - s.uptime() * 1000);
      } catch {
        // uptime unreadable: count from the agent's start
      }
    }
    try {
      this.sample();
    } catch {
      // the next sample() reports the error
    }
  }

  sample(): NetworkFigures {
    const now = this.#clock.now();
    const nics = parseNetDev(this.#reader.text(this.#path), this.#filter);
    const tick = ++this.#tick;
    const d: TickBytes = { rx: 0, tx: 0, newRx: 0, newTx: 0, totalRx: 0, totalTx: 0 };
    for (const n of nics) {
      d.totalRx += n.rx;
      d.totalTx += n.tx;
      const prev = this.#seen.get(n.name);
      if (prev) {
        d.rx += n.rx >= prev.rx ? n.rx - prev.rx : n.rx;
        d.tx += n.tx >= prev.tx ? n.tx - prev.tx : n.tx;
        prev.rx = n.rx;
        prev.tx = n.tx;
        prev.tick = tick;
      } else {
        this.#seen.set(n.name, { rx: n.rx, tx: n.tx, tick });
        d.newRx += n.rx;
        d.newTx += n.tx;
      }
    }
    if (this.#seen.size > nics.length) for (const [k, v] of this.#seen) if (v.tick !== tick) this.#seen.delete(k);
    const seconds = this.#lastAt === undefined ? 0 : (now - this.#lastAt) / 1000;
    this.#lastAt = now;
    const rate = (bytes: number) => (seconds > 0 ? Math.round(bytes / seconds) : 0);
    const [totalDown, totalUp] = this.#totals(now, tick, d);
    return { up: rate(d.tx), down: rate(d.rx), totalUp, totalDown };
  }

  /** [received, sent]: since boot, or since the month's reset day with --month-rotate. */
  #totals(now: number, tick: number, d: TickBytes): [number, number] {
    if (!this.#monthly) return [d.totalRx, d.totalTx];
    // An interface first seen after the first read appeared since: all its bytes are new.
    const countNew = tick > 1 || this.#firstReadCounts;
    this.#monthly.add(now, d.rx + (countNew ? d.newRx : 0), d.tx + (countNew ? d.newTx : 0));
    return [this.#monthly.rx, this.#monthly.tx];
  }
}
