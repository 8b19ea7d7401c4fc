import type { Report, RetentionTier } from '@komari-ts/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.ts';
import type { SettingsService } from '../services/settings-service.ts';
import type { HistoryRow, Store } from '../store/types.ts';
import { closeLadder, openView, type LadderOps } from '../util/bucket-ladder.ts';
import { alignDown, copyBucket, emptyBucket, fold, merge } from './bucket.ts';
import { defaultHistoryLimits, type HistoryLimits } from './limits.ts';
import type { HistoryRecorder } from './recorder.ts';
import { restoreNode, type NodeHistory } from './restore.ts';
import { trafficDelta } from './traffic.ts';
import { WriteQueue } from './write-queue.ts';
import { defaultServerLimits } from '../config/limits.ts';
import { pruneInBatches } from '../util/batched-prune.ts';
import { EngineSchedule } from '../util/engine-schedule.ts';
import { NodeHandover } from '../util/node-handover.ts';

export interface HistoryDeps {
  store: Store;
  clock: Clock;
  settings: SettingsService;
  log: FastifyBaseLogger;
  /** flush and prune intervals, the buffer's bound (limits.history; tests shrink them) */
  limits?: Partial<HistoryLimits>;
  /** whether this replica runs retention (the cluster's leader; always, alone) */
  isLeader?: () => boolean;
  /** reports held per node while its buckets are read back after a move (cluster limits) */
  adoptPendingReports?: number;
  /** rows per retention-prune transaction (limits.history.pruneBatchRows) */
  pruneBatchRows?: number;
}

/**
 * The rollup engine. Samples fold into the open finest bucket of their node (written every
 * flush); when it closes it is merged into the open bucket of every coarser tier, which is
 * written too. Closed buckets leave memory once written; a bucket whose end has passed is closed
 * by the next sample or the next flush tick, so silent nodes close too. A flush writes in
 * transactions of a thousand rows, letting the event loop run between them.
 */
export class HistoryEngine implements HistoryRecorder {
  readonly tiers: readonly RetentionTier[];
  readonly #deps: HistoryDeps;
  readonly #limits: HistoryLimits;
  readonly #queue: WriteQueue;
  readonly #nodes = new Map<string, NodeHistory>();
  readonly #handover: NodeHandover<[Report, number]>;
  readonly #schedule: EngineSchedule;
  readonly #ladder: LadderOps<HistoryRow>;

  constructor(deps: HistoryDeps) {
    this.#deps = deps;
    // Widths cannot change under open buckets: a new setting takes effect at the next start.
    this.tiers = deps.settings.get('history_retention').map((t) => ({ ...t }));
    this.#limits = { ...defaultHistoryLimits, ...deps.limits };
    this.#schedule = new EngineSchedule('history', deps.log, this.#limits);
    this.#queue = new WriteQueue(this.#limits.bufferBuckets);
    this.#ladder = {
      widths: this.tiers.map((t) => t.bucketSeconds),
      empty: (like, width, start) => emptyBucket(like.node, width, start),
      copy: copyBucket,
      merge,
      changed: (b) => this.#queue.add(b),
    };
    this.#handover = new NodeHandover(this.#schedule, deps.log, deps.adoptPendingReports ?? 120, {
      flush: () => this.#flushNow(),
      drop: (uuid) => this.#nodes.delete(uuid),
      restore: async (uuid) => {
        const restored = await restoreNode(this.#deps.store.history, this.tiers, uuid, this.#deps.clock.now());
        this.#nodes.delete(uuid);
        if (!restored) return;
        this.#nodes.set(uuid, restored.node);
        for (const b of restored.dirty) this.#queue.add(b);
      },
      replay: (uuid, [report, at]) => this.record(uuid, report, at),
    });
  }

  lastFlush: { durationMs: number; at: number } | undefined;

  get unwritten(): number {
    return this.#queue.size;
  }

  get droppedTotal(): number {
    return this.#schedule.droppedTotal;
  }

  record(uuid: string, report: Report, at: number): void {
    if (this.#handover.intercept(uuid, [report, at])) return;
    let node = this.#nodes.get(uuid);
    if (!node) {
      node = { uuid, open: [], closedUntil: 0, baseline: {} };
      this.#nodes.set(uuid, node);
    }
    // `at` grows per node, but a flush may have closed a bucket at a system time that later went
    // back (NTP): such a sample moves to the next bucket rather than overwrite a closed one.
    const t = Math.max(at, node.closedUntil);
    closeLadder(node, t, this.#ladder);
    const traffic = trafficDelta(node.baseline, report);
    const width = this.tiers[0]!.bucketSeconds;
    const open = (node.open[0] ??= emptyBucket(uuid, width, alignDown(t, width)));
    fold(open, report, t, traffic);
    this.#queue.add(open);
  }

  /** Another replica holds the node now (cluster/live-sync.ts): util/node-handover.ts. */
  release(uuid: string): void {
    this.#handover.release(uuid);
  }

  flush(): Promise<void> {
    return this.#schedule.flush(() => this.#flushNow());
  }

  prune(): Promise<number> {
    const now = this.#deps.clock.now();
    const cutoffs = new Map(this.tiers.map((t) => [t.bucketSeconds, alignDown(now - t.keepHours * 3_600_000, t.bucketSeconds)]));
    // each batch its own exclusive, logged prune step: flushes run between them
    return pruneInBatches((max) => this.#deps.store.history.prune(cutoffs, max), this.#deps.pruneBatchRows ?? defaultServerLimits.history.pruneBatchRows, (step) => this.#schedule.prune(step));
  }


  forget(uuid: string): Promise<void> {
    return this.#schedule.exclusive(async () => {
      this.#nodes.delete(uuid);
      this.#queue.dropNode(uuid);
      await this.#deps.store.history.deleteNode(uuid);
    });
  }

  clear(): Promise<void> {
    return this.#schedule.exclusive(async () => {
      // The traffic baselines stay: the next sample's traffic is still a delta from the last one.
      for (const node of this.#nodes.values()) node.open = [];
      this.#queue.dropWhere(() => true);
      await this.#deps.store.history.deleteAll();
    });
  }

  async buckets(uuid: string, width: number, from: number, to: number): Promise<HistoryRow[]> {
    const rows = new Map<number, HistoryRow>();
    for (const r of await this.#deps.store.history.range(uuid, width, from, to)) rows.set(r.start, r);
    for (const b of this.#memoryOf(uuid, width, from, to)) rows.set(b.start, b);
    return [...rows.values()].sort((a, b) => a.start - b.start);
  }

  memoryBuckets(width: number, from: number, to: number): HistoryRow[] {
    return [...this.#nodes.keys()].flatMap((uuid) => this.#memoryOf(uuid, width, from, to));
  }

  #memoryOf(uuid: string, width: number, from: number, to: number): HistoryRow[] {
    const memory = this.#queue.of(uuid, width);
    const node = this.#nodes.get(uuid);
    const open = node && openView(node, this.tiers.findIndex((t) => t.bucketSeconds === width), this.#ladder);
    if (open) memory.push(open);
    return memory.filter((b) => b.start >= from && b.start <= to);
  }

  async start(): Promise<void> {
    const now = this.#deps.clock.now();
    for (const { uuid } of await this.#deps.store.nodes.list()) {
      const restored = await restoreNode(this.#deps.store.history, this.tiers, uuid, now);
      if (!restored) continue;
      this.#nodes.set(uuid, restored.node);
      for (const b of restored.dirty) this.#queue.add(b);
    }
    // Retention runs once per cluster: on the leader.
    await this.#schedule.start(() => this.flush(), () => ((this.#deps.isLeader?.() ?? true) ? this.prune() : Promise.resolve(0)));
  }

  async stop(): Promise<void> {
    // Open partial buckets are in the queue already (every fold queues its bucket): start()
    // reads them back, so nothing accepted before SIGTERM is lost while the database takes it.
    await this.#schedule.stop(() => this.#flushNow(this.#limits.stopStallMs), () => this.#queue.size);
  }

  async #flushNow(stallMs?: number): Promise<void> {
    const now = this.#deps.clock.now();
    for (const node of this.#nodes.values()) closeLadder(node, now, this.#ladder);
    this.#schedule.noteDropped(this.#queue.takeDropped(), this.#queue.capacity);
    const started = performance.now();
    await this.#queue.flush(copyBucket, (rows) => this.#deps.store.history.write(rows), { stallMs });
    this.lastFlush = { durationMs: performance.now() - started, at: this.#deps.clock.now() };
  }
}
