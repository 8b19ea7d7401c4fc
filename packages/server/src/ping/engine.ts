import type { RetentionTier } from '@komari-ts/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.ts';
import { defaultHistoryLimits, type HistoryLimits } from '../history/limits.ts';
import type { PingBucketRow, PingHistoryStore, PingSeriesFilter } from '../store/types.ts';
import { closeLadder, openView, type LadderOps } from '../util/bucket-ladder.ts';
import { alignDown, copyPingBucket, emptyPingBucket, foldPing, mergePing, seriesKey } from './bucket.ts';
import { restoreSeries, type PingSeries } from './restore.ts';
import { matches, PingWriteQueue } from './write-queue.ts';
import { NodeHandover } from '../util/node-handover.ts';
import { defaultServerLimits } from '../config/limits.ts';
import { pruneInBatches } from '../util/batched-prune.ts';
import { EngineSchedule } from '../util/engine-schedule.ts';

export interface PingHistoryDeps {
  store: PingHistoryStore;
  clock: Clock;
  /** the load-history tiers (`history_retention`), as they were at start */
  tiers: readonly RetentionTier[];
  log: FastifyBaseLogger;
  /** limits.history: the same intervals and bound as load history, a buffer of its own */
  limits?: Partial<HistoryLimits>;
  /** whether this replica runs retention (the cluster's leader; always, alone) */
  isLeader?: () => boolean;
  /** results held per node while its buckets are read back after a move (cluster limits) */
  adoptPendingReports?: number;
  /** rows per retention-prune transaction (limits.history.pruneBatchRows) */
  pruneBatchRows?: number;
}

/**
 * Ping history with the design of the load engine (history/engine.ts): results fold into the
 * open finest bucket of their (task, node) series; a closed finest bucket is merged into the
 * open bucket of every coarser tier; changed buckets go through a bounded queue and are written
 * in one transaction every flush; the open ones are read back at start; rows past their tier's
 * retention are pruned at start and hourly.
 */
export class PingHistory {
  readonly tiers: readonly RetentionTier[];
  readonly #deps: PingHistoryDeps;
  readonly #limits: HistoryLimits;
  readonly #queue: PingWriteQueue;
  readonly #series = new Map<string, PingSeries>();
  readonly #schedule: EngineSchedule;
  readonly #ladder: LadderOps<PingBucketRow>;
  readonly #handover: NodeHandover<[number, number, number]>;

  constructor(deps: PingHistoryDeps) {
    this.#deps = deps;
    this.tiers = deps.tiers.map((t) => ({ ...t }));
    this.#limits = { ...defaultHistoryLimits, ...deps.limits };
    this.#schedule = new EngineSchedule('ping history', deps.log, this.#limits);
    this.#queue = new PingWriteQueue(this.#limits.bufferBuckets);
    this.#ladder = {
      widths: this.tiers.map((t) => t.bucketSeconds),
      empty: (like, width, start) => emptyPingBucket(like.task, like.node, width, start),
      copy: copyPingBucket,
      merge: mergePing,
      changed: (b) => this.#queue.add(b),
    };
    this.#handover = new NodeHandover(this.#schedule, deps.log, deps.adoptPendingReports ?? 120, {
      flush: () => this.#flushNow(),
      drop: (node) => {
        for (const [key, s] of this.#series) if (s.node === node) this.#series.delete(key);
      },
      restore: async (node) => {
        const now = this.#deps.clock.now();
        for (const [key, s] of this.#series) if (s.node === node) this.#series.delete(key);
        for (const key of await this.#deps.store.series()) {
          if (key.node !== node) continue;
          const restored = await restoreSeries(this.#deps.store, this.tiers, key, now);
          if (!restored) continue;
          this.#series.set(seriesKey(key.task, key.node), restored.series);
          for (const b of restored.dirty) this.#queue.add(b);
        }
      },
      replay: (node, [task, value, at]) => this.record(task, node, value, at),
    });
  }

  /** Another replica holds the node now (cluster/live-sync.ts): util/node-handover.ts. */
  release(node: string): void {
    this.#handover.release(node);
  }

  /** Buckets waiting to be written: at most limits.history.bufferBuckets. */
  get unwritten(): number {
    return this.#queue.size;
  }

  /**
   * Folds one result (ms, negative = lost) received at `at`. Never refuses: a full buffer drops
   * the bucket changed longest ago (counted in the log).
   */
  record(task: number, node: string, value: number, at: number): void {
    if (this.#handover.intercept(node, [task, value, at])) return;
    const key = seriesKey(task, node);
    let s = this.#series.get(key);
    if (!s) this.#series.set(key, (s = { task, node, open: [], closedUntil: 0 }));
    const t = Math.max(at, s.closedUntil);
    closeLadder(s, t, this.#ladder);
    const width = this.tiers[0]!.bucketSeconds;
    const open = (s.open[0] ??= emptyPingBucket(task, node, width, alignDown(t, width)));
    foldPing(open, value, t);
    this.#queue.add(open);
  }

  flush(): Promise<void> {
    return this.#schedule.flush(() => this.#flushNow());
  }

  prune(): Promise<number> {
    const now = this.#deps.clock.now();
    const cutoffs = new Map(this.tiers.map((t) => [t.bucketSeconds, alignDown(now - t.keepHours * 3_600_000, t.bucketSeconds)]));
    // each batch its own exclusive, logged prune step: flushes run between them
    return pruneInBatches((max) => this.#deps.store.prune(cutoffs, max), this.#deps.pruneBatchRows ?? defaultServerLimits.history.pruneBatchRows, (step) => this.#schedule.prune(step));
  }


  /** Deletes the history of every matching series, in memory and stored. */
  forget(filter: PingSeriesFilter): Promise<void> {
    return this.#schedule.exclusive(async () => {
      for (const [key, s] of this.#series) if (matches(filter, s.task, s.node)) this.#series.delete(key);
      this.#queue.drop(filter);
      await this.#deps.store.deleteSeries(filter);
    });
  }

  /** Buckets of one tier of the matching series with from ≤ start ≤ to: stored rows, memory laid over. */
  async buckets(filter: PingSeriesFilter, width: number, from: number, to: number): Promise<PingBucketRow[]> {
    const rows = new Map<string, PingBucketRow>();
    const put = (b: PingBucketRow) => rows.set(`${seriesKey(b.task, b.node)}:${b.start}`, b);
    for (const r of await this.#deps.store.range(filter, width, from, to)) put(r);
    const k = this.tiers.findIndex((t) => t.bucketSeconds === width);
    for (const [key, s] of this.#series) {
      if (!matches(filter, s.task, s.node)) continue;
      const memory = this.#queue.of(key, width);
      const open = openView(s, k, this.#ladder);
      if (open) memory.push(open);
      for (const b of memory) if (b.start >= from && b.start <= to) put(b);
    }
    return [...rows.values()].sort((a, b) => a.start - b.start);
  }

  async start(): Promise<void> {
    const now = this.#deps.clock.now();
    for (const key of await this.#deps.store.series()) {
      const restored = await restoreSeries(this.#deps.store, this.tiers, key, now);
      if (!restored) continue;
      this.#series.set(seriesKey(key.task, key.node), restored.series);
      for (const b of restored.dirty) this.#queue.add(b);
    }
    // Retention runs once per cluster: on the leader.
    await this.#schedule.start(() => this.flush(), () => ((this.#deps.isLeader?.() ?? true) ? this.prune() : Promise.resolve(0)));
  }

  async stop(): Promise<void> {
    await this.#schedule.stop(() => this.#flushNow(this.#limits.stopStallMs), () => this.#queue.size);
  }

  async #flushNow(stallMs?: number): Promise<void> {
    const now = this.#deps.clock.now();
    for (const s of this.#series.values()) closeLadder(s, now, this.#ladder);
    this.#schedule.noteDropped(this.#queue.takeDropped(), this.#queue.capacity);
    await this.#queue.flush(copyPingBucket, (rows) => this.#deps.store.write(rows), { stallMs });
  }
}
