import type { Cluster } from './cluster.ts';

/**
 * Tells when a replica this one depends on goes silent: no heartbeat (live-sync.ts) for
 * `timeoutMs`, as after a `kill -9` or a cut network. Only the replicas asked about are timed, one
 * timer each, re-armed by each of their heartbeats; `needed` says when one no longer matters.
 */
export class ReplicaWatch {
  readonly #cluster: Cluster;
  readonly #timeoutMs: number;
  readonly #needed: (replica: string) => boolean;
  readonly #gone: (replica: string) => void;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #off: (() => void) | undefined;

  constructor(cluster: Cluster, timeoutMs: number, needed: (replica: string) => boolean, gone: (replica: string) => void) {
    this.#cluster = cluster;
    this.#timeoutMs = timeoutMs;
    this.#needed = needed;
    this.#gone = gone;
  }

  start(): void {
    this.#off = this.#cluster.subscribe('heartbeat', (m) => {
      const from = (m as { from?: unknown } | null)?.from;
      if (typeof from === 'string' && this.#timers.has(from)) this.#arm(from);
    });
  }

  /** Starts timing a replica (from now, if not timed yet: it may have started after its last beat). */
  watch(replica: string): void {
    if (!this.#timers.has(replica)) this.#arm(replica);
  }

  stop(): void {
    this.#off?.();
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }

  #arm(replica: string): void {
    clearTimeout(this.#timers.get(replica));
    if (!this.#needed(replica)) {
      this.#timers.delete(replica);
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(replica);
      this.#gone(replica);
    }, this.#timeoutMs);
    timer.unref();
    this.#timers.set(replica, timer);
  }
}
