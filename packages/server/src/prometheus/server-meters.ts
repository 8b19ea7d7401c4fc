import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';
import type { EventBus } from '../bus/event-bus.ts';
import type { Clock } from '../clock.ts';
import type { DatabaseFiles } from '../store/types.ts';
import type { PrometheusLimits } from './limits.ts';

/** Event-loop delay over one window, seconds. */
export interface LagFigures {
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

export interface ServerMetersDeps {
  bus: EventBus;
  files: DatabaseFiles;
  clock: Clock;
  limits: PrometheusLimits;
}

function figuresOf(h: ELDHistogram): LagFigures {
  // an empty histogram reads NaN mean and huge min; a window with no sample is no lag
  if (h.count === 0) return { mean: 0, p50: 0, p99: 0, max: 0 };
  const s = (ns: number) => ns / 1e9;
  return { mean: s(h.mean), p50: s(h.percentile(50)), p99: s(h.percentile(99)), max: s(h.max) };
}

/**
 * The figures about the server itself that `/metrics` cannot read off another part: reports
 * ingested on this replica, the event-loop delay, the database size (measured at most every
 * databaseSizeMaxAgeMs: on PostgreSQL it is a query, and a scrape must not be one).
 */
export class ServerMeters {
  reportsIngested = 0;
  readonly #deps: ServerMetersDeps;
  readonly #loop: ELDHistogram;
  #windowStart = performance.now();
  #lastWindow: LagFigures | undefined;
  readonly #unsubscribe: () => void;
  #dbSize: { bytes: number | undefined; at: number } | undefined;
  #measuring: Promise<void> | undefined;

  constructor(deps: ServerMetersDeps) {
    this.#deps = deps;
    this.#unsubscribe = deps.bus.subscribe('report.ingested', () => this.reportsIngested++);
    this.#loop = monitorEventLoopDelay({ resolution: deps.limits.eventLoopResolutionMs });
    this.#loop.enable();
  }

  /**
   * The last complete window's figures (the current one's before the first completes), so every
   * scraper reads the same figures whatever its interval.
   */
  eventLoopLag(): LagFigures {
    const now = performance.now();
    if (now - this.#windowStart >= this.#deps.limits.eventLoopWindowMs) {
      this.#lastWindow = figuresOf(this.#loop);
      this.#loop.reset();
      this.#windowStart = now;
    }
    return this.#lastWindow ?? figuresOf(this.#loop);
  }

  /**
   * The database's bytes (Store.files.size). A stale figure is served while a new one is measured;
   * only the first scrape waits. Undefined while the database cannot be measured.
   */
  async databaseSize(): Promise<number | undefined> {
    const cached = this.#dbSize;
    const fresh = cached && this.#deps.clock.now() - cached.at < this.#deps.limits.databaseSizeMaxAgeMs;
    if (!fresh) {
      this.#measuring ??= this.#measure().finally(() => (this.#measuring = undefined));
      if (!cached) await this.#measuring;
    }
    return this.#dbSize?.bytes;
  }

  async #measure(): Promise<void> {
    try {
      this.#dbSize = { bytes: await this.#deps.files.size(), at: this.#deps.clock.now() };
    } catch {
      // A database that is down has no size to show (the family is left out), and is asked again
      // only after databaseSizeMaxAgeMs: no scrape waits on its timeouts in the meantime.
      this.#dbSize = { bytes: undefined, at: this.#deps.clock.now() };
    }
  }

  stop(): void {
    this.#unsubscribe();
    this.#loop.disable();
  }
}
