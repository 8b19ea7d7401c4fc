import type { Cluster } from './cluster.ts';
import type { LeaderLock } from './leader.ts';
import type { ClusterLimits } from './limits.ts';
import type { NatsLink } from './nats-link.ts';

/** A replica joined through NATS, leading when it holds the PostgreSQL lock. */
export class NatsCluster implements Cluster {
  readonly replicaId: string;
  readonly joined = true;
  readonly #link: NatsLink;
  readonly #lock: LeaderLock;
  readonly #listeners = new Set<(leader: boolean) => void>();
  readonly #timer: NodeJS.Timeout;
  #leader = false;
  #closed = false;

  constructor(replicaId: string, link: NatsLink, lock: LeaderLock, limits: ClusterLimits) {
    this.replicaId = replicaId;
    this.#link = link;
    this.#lock = lock;
    this.#timer = setInterval(() => void this.checkLeadership(), limits.leaderTryEveryMs);
    this.#timer.unref();
  }

  /** messages from the bus that were not JSON (logged by the live sync at most once a beat) */
  get badMessages(): number {
    return this.#link.badMessages;
  }

  /** messages NATS refused (too large, closed) */
  get publishFailures(): number {
    return this.#link.publishFailures;
  }

  isLeader(): boolean {
    return this.#leader;
  }

  onLeadership(fn: (leader: boolean) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Tries for the lock now (tests call it instead of waiting a tick); resolves to whether this replica leads. */
  async checkLeadership(): Promise<boolean> {
    if (this.#closed) return false;
    const held = await this.#lock.try();
    if (this.#closed || held === this.#leader) return this.#leader;
    this.#leader = held;
    for (const fn of this.#listeners) fn(held);
    return held;
  }

  publish(topic: string, data: unknown): void {
    this.#link.publish(topic, data);
  }

  subscribe(topic: string, fn: (data: unknown) => void): () => void {
    return this.#link.subscribe(topic, fn);
  }

  request(topic: string, data: unknown, timeoutMs: number): Promise<unknown> {
    return this.#link.request(topic, data, timeoutMs);
  }

  answer(topic: string, fn: (data: unknown) => unknown): () => void {
    return this.#link.answer(topic, fn);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#leader = false;
    await this.#lock.release();
    await this.#link.close();
  }
}
