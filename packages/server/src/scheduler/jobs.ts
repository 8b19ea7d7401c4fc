import type { FastifyBaseLogger } from 'fastify';

/** Periodic work as data: what runs, how often. Tests call `run(name)` instead of waiting. */
export interface Job {
  name: string;
  everyMs: number;
  run(): Promise<void> | void;
  /** work that must run once per cluster: its timer runs it only on the leader (cluster/) */
  leaderOnly?: boolean;
}

/**
 * The server's periodic jobs. A run never overlaps the previous run of the same job (a slow
 * database skips ticks rather than piling them up), and a failing run is logged, not fatal.
 */
export class Jobs {
  readonly #jobs = new Map<string, Job>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #running = new Map<string, Promise<void>>();
  readonly #log: FastifyBaseLogger;
  readonly #isLeader: () => boolean;
  #started = false;

  /** `isLeader`: whether this replica runs the leader-only jobs (always, alone) */
  constructor(log: FastifyBaseLogger, isLeader: () => boolean = () => true) {
    this.#log = log;
    this.#isLeader = isLeader;
  }

  add(...jobs: Job[]): this {
    for (const job of jobs) {
      if (this.#jobs.has(job.name)) throw new Error(`job ${job.name} is listed twice`);
      this.#jobs.set(job.name, job);
      if (this.#started) this.#schedule(job);
    }
    return this;
  }

  start(): void {
    this.#started = true;
    for (const job of this.#jobs.values()) this.#schedule(job);
  }

  /** Stops the timers and waits for runs in progress. */
  async stop(): Promise<void> {
    this.#started = false;
    for (const t of this.#timers.values()) clearInterval(t);
    this.#timers.clear();
    await Promise.allSettled(this.#running.values());
  }

  /** Runs a job now (or joins the run in progress) and resolves when it is done; tests call it, leader or not. */
  run(name: string): Promise<void> {
    const job = this.#jobs.get(name);
    if (!job) return Promise.reject(new Error(`no job named ${name}`));
    const inProgress = this.#running.get(name);
    if (inProgress) return inProgress;
    const p = (async () => {
      try {
        await job.run();
      } catch (err) {
        this.#log.error({ err, job: name }, 'job failed');
      } finally {
        this.#running.delete(name);
      }
    })();
    this.#running.set(name, p);
    return p;
  }

  #schedule(job: Job): void {
    const t = setInterval(() => {
      if (!job.leaderOnly || this.#isLeader()) void this.run(job.name);
    }, job.everyMs);
    t.unref();
    this.#timers.set(job.name, t);
  }
}
