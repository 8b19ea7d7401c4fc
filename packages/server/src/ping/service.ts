import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';
import type { HistoryLimits } from '../history/limits.ts';
import type { PingTaskFields, PingTaskRow, Store } from '../store/types.ts';
import { PingHistory } from './engine.ts';
import { defaultProbeErrorLimits, type ProbeErrorLimits } from './limits.ts';
import type { ProbeErrorInput } from './probe-error-input.ts';
import { ProbeErrors } from './probe-errors.ts';
import { RecentPings } from './recent.ts';
import { PingScheduler, type Dispatch } from './scheduler.ts';

export interface PingServiceDeps {
  store: Store;
  clock: Clock;
  log: FastifyBaseLogger;
  /** the load-history tiers, which ping history shares (decision 6) */
  tiers: PingHistory['tiers'];
  dispatch: Dispatch;
  /** whether this replica runs retention (the cluster's leader; always, alone) */
  isLeader?: () => boolean;
  /** limits.history */
  limits?: Partial<HistoryLimits>;
  /** results per series the recent loss ratio of `/metrics` covers (limits.prometheus.pingLossWindow) */
  recentWindow?: number;
  /** rows per retention-prune transaction (limits.history.pruneBatchRows) */
  pruneBatchRows?: number;
  /** limits.probeErrors */
  probeErrors?: ProbeErrorLimits;
}

function notFound(ids: readonly number[]): AppError {
  return AppError.notFound(`record not found: ping task ${ids.join(', ')}`, ids);
}

/**
 * Ping tasks, their schedule and their history, for one app. The task list is held in memory
 * (results check it without a query) and reloaded from the store after every change, which also
 * reschedules: the store stays the one source of truth.
 */
export class PingService {
  readonly history: PingHistory;
  /** per-node ping summaries of common:getNodesLatestStatus, cached as Komari does */
  readonly summaryCache = new Map<string, { until: number; value: Record<string, unknown> }>();
  /** the last results of each series, in memory, for `/metrics` */
  readonly recent: RecentPings;
  /** why the last probe of a task on a node could not run, until a result without a reason */
  readonly errors: ProbeErrors;
  readonly #deps: PingServiceDeps;
  readonly #scheduler: PingScheduler;
  #tasks: readonly PingTaskRow[] = [];
  #byId = new Map<number, PingTaskRow>();
  #stopped = false;

  constructor(deps: PingServiceDeps) {
    this.#deps = deps;
    this.history = new PingHistory({
      store: deps.store.ping.history,
      clock: deps.clock,
      tiers: deps.tiers,
      log: deps.log,
      limits: deps.limits,
      isLeader: deps.isLeader,
      pruneBatchRows: deps.pruneBatchRows,
    });
    this.#scheduler = new PingScheduler(deps.dispatch);
    this.recent = new RecentPings(deps.recentWindow ?? 100);
    this.errors = new ProbeErrors(deps.probeErrors ?? defaultProbeErrorLimits);
  }

  /** Every task, ordered by weight then id. */
  tasks(): readonly PingTaskRow[] {
    return this.#tasks;
  }

  task(id: number): PingTaskRow | undefined {
    return this.#byId.get(id);
  }

  get timerCount(): number {
    return this.#scheduler.timerCount;
  }

  async start(): Promise<void> {
    await this.reload();
    await this.history.start();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#scheduler.stop();
    await this.history.stop();
  }

  /**
   * One result from a node, stamped with server time. A task id that matches no task stores
   * nothing and returns false: the task was likely deleted while the probe ran, and the agent
   * could do nothing about an error. A lost result with a reason keeps the reason for the pair
   * (when the node runs the task); any other result clears it, since the probe ran.
   */
  record(taskId: number, uuid: string, value: number, error?: ProbeErrorInput): boolean {
    const task = this.#byId.get(taskId);
    if (!task) return false;
    const now = this.#deps.clock.now();
    this.history.record(taskId, uuid, value, now);
    this.recent.record(taskId, uuid, value);
    if (error && value < 0 && task.clients.includes(uuid)) this.errors.set(taskId, uuid, error.code, error.message, now);
    else this.errors.clear(taskId, uuid);
    return true;
  }

  async add(fields: PingTaskFields): Promise<number> {
    const id = await this.#deps.store.ping.tasks.create(fields);
    await this.reload();
    return id;
  }

  async edit(tasks: ReadonlyArray<PingTaskFields & { id: number }>): Promise<void> {
    const missing = await this.#deps.store.ping.tasks.update(tasks);
    if (missing.length > 0) throw notFound(missing);
    await this.reload();
  }

  /** Deletes tasks and then their history; unknown ids fail the call before anything changes. */
  async remove(ids: readonly number[]): Promise<void> {
    const missing = ids.filter((id) => !this.#byId.has(id));
    if (missing.length > 0) throw notFound(missing);
    // Results stop being accepted first, so none lands between the two deletes.
    for (const id of ids) this.#byId.delete(id);
    try {
      const absent = await this.#deps.store.ping.tasks.remove(ids);
      if (absent.length > 0) throw notFound(absent);
    } finally {
      await this.reload();
    }
    for (const id of new Set(ids)) {
      this.recent.forgetTask(id);
      this.errors.forgetTask(id);
      await this.history.forget({ task: id });
    }
  }

  async order(weights: ReadonlyMap<number, number>): Promise<void> {
    const missing = await this.#deps.store.ping.tasks.setWeights(weights);
    if (missing.length > 0) throw notFound(missing);
    await this.reload();
  }

  /** A new node joins every default-on task (admin-api.md §2.2); existing nodes are not affected. */
  async addNodeToDefaultTasks(uuid: string): Promise<void> {
    if ((await this.#deps.store.ping.tasks.addToDefaultOn(uuid)) > 0) await this.reload();
  }

  /** A deleted node leaves every task's clients, and its ping history goes. */
  async forgetNode(uuid: string): Promise<void> {
    if ((await this.#deps.store.ping.tasks.removeClient(uuid)) > 0) await this.reload();
    this.summaryCache.delete(uuid);
    this.recent.forgetNode(uuid);
    this.errors.forgetNode(uuid);
    await this.history.forget({ node: uuid });
  }

  /** Re-reads the tasks from the store (after a change here, or on another replica). */
  async reload(): Promise<void> {
    const tasks = await this.#deps.store.ping.tasks.list();
    this.#tasks = tasks;
    this.#byId = new Map(tasks.map((t) => [t.id, t]));
    this.summaryCache.clear();
    // a task deleted, or a node taken off it, here or on another replica: its reasons go
    if (this.errors.size > 0) {
      const clients = new Map(tasks.map((t) => [t.id, new Set(t.clients)]));
      this.errors.retain((task, node) => clients.get(task)?.has(node) ?? false);
    }
    // A change that finishes after the server closed must not start timers again.
    if (!this.#stopped) this.#scheduler.schedule(tasks);
  }
}
