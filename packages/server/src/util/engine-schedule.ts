import type { FastifyBaseLogger } from 'fastify';

export interface ScheduleTimings {
  flushEveryMs: number;
  pruneEveryMs: number;
}

/**
 * What the load and the ping history engines share on their write side: flushes, prunes and
 * deletes run one at a time (a delete cannot race a write of the same rows), a flush and a prune
 * at start and then on timers (errors logged, never thrown into a timer), and a last flush at
 * stop, so nothing accepted before SIGTERM is lost. A failing flush keeps its rows queued and is
 * retried on the next tick; while it keeps failing (a full disk) its error is logged once, and
 * once more when it works again, not every tick.
 */
export class EngineSchedule {
  readonly #name: string;
  readonly #log: FastifyBaseLogger;
  readonly #timings: ScheduleTimings;
  #chain: Promise<unknown> = Promise.resolve();
  #timers: NodeJS.Timeout[] = [];
  /** the jobs ("flush", "prune") whose last run failed and was logged */
  readonly #failing = new Set<string>();

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

  async start(flush: () => Promise<void>, prune: () => Promise<unknown>): Promise<void> {
    const flushLogged = () => this.#logged('flush', flush);
    const pruneLogged = () => this.#logged('prune', prune);
    // A full disk at start must not stop the server: the rows stay queued for the next tick.
    await flushLogged();
    await pruneLogged();
    this.#timers = [setInterval(() => void flushLogged(), this.#timings.flushEveryMs), setInterval(() => void pruneLogged(), this.#timings.pruneEveryMs)];
    for (const t of this.#timers) t.unref();
  }

  async #logged(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
      if (this.#failing.delete(what)) this.#log.info(`${this.#name} ${what} works again`);
    } catch (err) {
      if (this.#failing.has(what)) return;
      this.#failing.add(what);
      this.#log.error({ err }, `${this.#name} ${what} failed; retrying every tick, logged again once it works`);
    }
  }

  async stop(flush: () => Promise<void>): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    await flush();
  }
}
