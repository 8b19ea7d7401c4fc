import type { FastifyBaseLogger } from 'fastify';
import type { HistoryLimits } from '../history/limits.ts';

export type ScheduleTimings = Pick<HistoryLimits, 'flushEveryMs' | 'pruneEveryMs' | 'retryMaxDelayMs' | 'stopStallMs'>;

/** Resolves once `p` settles or `ms` pass, whichever is first. */
async function settledWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.then(() => undefined, () => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * What the load and the ping history engines share on their write side: flushes, prunes and
 * deletes run one at a time (a delete cannot race a write of the same rows), a flush and a prune
 * at start and then on timers (errors logged, never thrown into a timer), and a last flush at
 * stop. A failing flush keeps its rows queued; the timer tries again after flushEveryMs, then
 * twice as long each time up to retryMaxDelayMs (a database that is down is not hammered, and no
 * flush piles up behind another). While flushes keep failing the error is logged once, and once
 * more when one works again (whoever ran it), not every try.
 */
export class EngineSchedule {
  readonly #name: string;
  readonly #log: FastifyBaseLogger;
  readonly #timings: ScheduleTimings;
  #chain: Promise<unknown> = Promise.resolve();
  #flushTimer: NodeJS.Timeout | undefined;
  #pruneTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** the jobs ("flush", "prune") whose last run failed and was logged */
  readonly #failing = new Set<string>();
  #droppedTotal = 0;

  /** `name` words the log lines: "<name> flush failed". */
  constructor(name: string, log: FastifyBaseLogger, timings: ScheduleTimings) {
    this.#name = name;
    this.#log = log;
    this.#timings = timings;
  }

  /** Runs `fn` after every flush, prune or delete queued before it. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Runs a flush (exclusive), logging its first failure and its recovery; throws its error. */
  flush(fn: () => Promise<void>): Promise<void> {
    return this.exclusive(() => this.#tracked('flush', fn));
  }

  /** Runs a prune (exclusive), logged as a flush is. */
  prune<T>(fn: () => Promise<T>): Promise<T> {
    return this.exclusive(() => this.#tracked('prune', fn));
  }

  /** A flush and a prune now, then on timers; `flush` and `prune` are the engine's (tracked) ones. */
  async start(flush: () => Promise<void>, prune: () => Promise<unknown>): Promise<void> {
    // A full disk or a lost database at start must not stop the server: the rows stay queued.
    const ok = await flush().then(() => true, () => false);
    await prune().catch(() => undefined);
    this.#scheduleFlush(flush, ok ? this.#timings.flushEveryMs : Math.min(this.#timings.flushEveryMs * 2, this.#timings.retryMaxDelayMs));
    this.#pruneTimer = setInterval(() => void prune().catch(() => undefined), this.#timings.pruneEveryMs);
    this.#pruneTimer.unref();
  }

  /** buckets the full buffer dropped since start (`/metrics`) */
  get droppedTotal(): number {
    return this.#droppedTotal;
  }

  /** Logs buckets the full buffer dropped (`dropped` since the last call), with the total since start. */
  noteDropped(dropped: number, capacity: number): void {
    if (dropped === 0) return;
    this.#droppedTotal += dropped;
    this.#log.warn(
      { dropped, droppedTotal: this.#droppedTotal, bufferBuckets: capacity },
      `${this.#name} buffer full (${capacity} buckets unwritten): dropped the ${dropped} changed longest ago, ${this.#droppedTotal} since start`,
    );
  }

  #scheduleFlush(flush: () => Promise<void>, delay: number): void {
    if (this.#stopped) return;
    this.#flushTimer = setTimeout(() => {
      void flush().then(
        () => this.#scheduleFlush(flush, this.#timings.flushEveryMs),
        () => this.#scheduleFlush(flush, Math.min(delay * 2, this.#timings.retryMaxDelayMs)),
      );
    }, delay);
    this.#flushTimer.unref();
  }

  async #tracked<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      const out = await fn();
      if (this.#failing.delete(what)) this.#log.info(`${this.#name} ${what} works again`);
      return out;
    } catch (err) {
      if (!this.#failing.has(what)) {
        this.#failing.add(what);
        this.#log.error({ err }, `${this.#name} ${what} failed; retrying with back-off, logged again once it works`);
      }
      throw err;
    }
  }

  /**
   * Stops the timers and runs the last flush (SIGTERM), not through the chain: a flush still
   * waiting on a database that does not answer is waited for stopStallMs at most (the last flush
   * writes the same buckets). When the last flush fails, how many buckets it could not write is
   * logged and thrown.
   */
  async stop(lastFlush: () => Promise<void>, unwritten: () => number): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#flushTimer);
    clearInterval(this.#pruneTimer);
    await settledWithin(this.#chain, this.#timings.stopStallMs);
    try {
      await lastFlush();
    } catch (err) {
      const n = unwritten();
      this.#log.error({ err, unwritten: n }, `${this.#name}: ${n} buckets could not be written before the stop and are lost`);
      throw new Error(`${this.#name}: ${n} buckets not written`, { cause: err });
    }
  }
}
