import type { AppContext } from '../../packages/server/src/app-context.ts';
import { ingestReport, parseReport } from '../../packages/server/src/agents/ingest.ts';
import { SimHost } from './report-gen.ts';

/** The bench's clock: the server reads "now" from it, the fleet moves it one second at a time. */
export interface BenchClock {
  ms: number;
  now(): number;
}

/** Ping tasks the fleet answers: every node runs each, one result per `interval` seconds. */
export interface FleetPingTask {
  id: number;
  interval: number;
}

/** Node i breaches (CPU, load, RAM, disk, network, ping) in minute m: 5 % of nodes, 4 minutes hot, 4 cool. */
export function isHot(i: number, minute: number): boolean {
  return i % 40 < 2 && Math.floor(minute / 4) % 2 === 0;
}

/** Node i sends nothing in minute m: 0.2 % of nodes, 8 minutes of every 16 (past the 3-minute grace). */
export function isSilent(i: number, minute: number): boolean {
  return i % 500 === 7 && minute % 16 >= 2 && minute % 16 < 10;
}

/**
 * N simulated hosts whose reports go through the server's real ingest path (parseReport, then
 * ingestReport: bounds, stamp, history fold, live view, presence), one simulated second at a
 * time on the bench clock; their ping results go through `ping.record`. Each simulated second
 * also does what the server's timers do every second (the presence sweep) and every two (the
 * history and ping flushes), so a simulated minute costs what a real one does.
 */
export class SimFleet {
  readonly #ctx: AppContext;
  readonly #clock: BenchClock;
  readonly #uuids: readonly string[];
  readonly #hosts: SimHost[];
  readonly #tasks: readonly FleetPingTask[];
  readonly #start: number;

  constructor(ctx: AppContext, clock: BenchClock, uuids: readonly string[], tasks: readonly FleetPingTask[]) {
    this.#ctx = ctx;
    this.#clock = clock;
    this.#uuids = uuids;
    this.#hosts = uuids.map((_, i) => new SimHost(i));
    this.#tasks = tasks;
    this.#start = clock.ms;
  }

  /** Whole minutes since the fleet started. */
  get minute(): number {
    return Math.floor((this.#clock.ms - this.#start) / 60_000);
  }

  /** One simulated minute; each node reports every `every` seconds on its own slot. Returns reports ingested. */
  async minuteOf(every: number): Promise<number> {
    let n = 0;
    for (let s = 0; s < 60; s++) n += await this.second(every);
    return n;
  }

  async second(every: number): Promise<number> {
    const ctx = this.#ctx;
    this.#clock.ms += 1000;
    const sec = Math.round((this.#clock.ms - this.#start) / 1000);
    const m = this.minute;
    let n = 0;
    for (let i = 0; i < this.#hosts.length; i++) {
      if (isSilent(i, m)) continue;
      const uuid = this.#uuids[i]!;
      if ((sec + i) % every === 0) {
        ingestReport(ctx, uuid, parseReport(this.#report(i, every, m)), { presence: true });
        n++;
      }
      for (const t of this.#tasks) if ((sec + i) % t.interval === 0) ctx.ping.record(t.id, uuid, pingValue(i, sec, t, isHot(i, m)));
    }
    ctx.live.sweep();
    if (sec % 2 === 0) await Promise.all([ctx.history.flush(), ctx.ping.history.flush()]);
    return n;
  }

  /** The host's next report; a hot host's is rewritten to breach every load rule of the bench. */
  #report(i: number, every: number, minute: number): Record<string, unknown> {
    const r = this.#hosts[i]!.next(every, '') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!isHot(i, minute)) return r;
    r.cpu = { usage: 97 };
    r.load = { load1: 12, load5: 10, load15: 8 };
    r.ram = { total: r.ram.total, used: Math.round(r.ram.total * 0.97) };
    r.disk = { total: r.disk.total, used: Math.round(r.disk.total * 0.95) };
    r.network = { ...r.network, up: 40e6, down: 90e6 };
    return r;
  }
}

/** ms, or -1 for a lost probe: a hot node loses a third and answers in 350 ms; others lose ~1 %. */
function pingValue(i: number, sec: number, t: FleetPingTask, hot: boolean): number {
  const k = Math.floor(sec / t.interval) + i;
  if (hot) return k % 3 === 0 ? -1 : 350;
  return k % 97 === 0 ? -1 : 20 + (i % 80);
}
