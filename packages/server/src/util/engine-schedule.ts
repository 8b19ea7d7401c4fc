import type { FastifyBaseLogger } from 'fastify';

export interface ScheduleTimings {
  flushEveryMs: number;
  pruneEveryMs: number;
}

/**
 * What the load and the ping history engines share on their write side: flushes, prunes and
 * deletes run one at a time (a delete cannot race a write of the same rows), a flush and a prune
 * at start and then on timers (errors logged, never thrown into a timer), and a last flush at
 * stop, so nothing accepted before SIGTERM is lost.
 */
export class EngineSchedule {
  readonly #name: string;
  readonly #log: FastifyBaseLogger;
  readonly #timings: ScheduleTimings;
  #chain: Promise<unknown> = Promise.resolve();
  #timers: NodeJS.Timeout[] = [];

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
    const logged = (what: string, fn: () => Promise<unknown>) => () =>
      fn().then(
        () => undefined,
        (err: unknown) => this.#log.error({ err }, `${this.#name} ${what} failed`),
      );
    const flushLogged = logged('flush', flush);
    const pruneLogged = logged('prune', prune);
    await flush();
    await pruneLogged();
    this.#timers = [setInterval(() => void flushLogged(), this.#timings.flushEveryMs), setInterval(() => void pruneLogged(), this.#timings.pruneEveryMs)];
    for (const t of this.#timers) t.unref();
  }

  async stop(flush: () => Promise<void>): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    await flush();
  }
}
