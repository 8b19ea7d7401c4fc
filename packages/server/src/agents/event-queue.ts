import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { ServerLimits } from '../config/limits.ts';
import { formatTime } from '../util/time.ts';

/** A command queued for a v2 agent that has no socket (agent-protocol.md §7.5). */
export interface AgentEvent {
  id: string;
  method: string;
  params: Record<string, unknown>;
  created_at: string;
  expires_at: string;
}

interface Queued {
  event: AgentEvent;
  expiresAt: number;
}

/**
 * Per-node in-memory queues of commands for POST-only v2 agents. Delivery is at-least-once:
 * an event stays queued until the agent acks its id or it expires.
 */
export class AgentEventQueue {
  readonly #clock: Clock;
  readonly #limits: ServerLimits['agents'];
  readonly #queues = new Map<string, Queued[]>();
  readonly #waiters = new Map<string, Set<() => void>>();

  constructor(clock: Clock, limits: ServerLimits['agents']) {
    this.#clock = clock;
    this.#limits = limits;
  }

  enqueue(uuid: string, method: string, params: Record<string, unknown>): AgentEvent {
    const now = this.#clock.now();
    const ttl = method === 'agent.ping' ? this.#limits.pingEventTtlMs : this.#limits.eventTtlMs;
    const event: AgentEvent = {
      id: randomBytes(8).toString('hex'),
      method,
      params,
      created_at: formatTime(now),
      expires_at: formatTime(now + ttl),
    };
    let q = this.#live(uuid);
    // A newer ping for the same task replaces the pending one.
    if (method === 'agent.ping') q = q.filter((x) => x.event.method !== 'agent.ping' || x.event.params.ping_task_id !== params.ping_task_id);
    q.push({ event, expiresAt: now + ttl });
    if (q.length > this.#limits.eventQueueCapacity) q.splice(0, q.length - this.#limits.eventQueueCapacity);
    this.#queues.set(uuid, q);
    for (const wake of this.#waiters.get(uuid) ?? []) wake();
    return event;
  }

  #live(uuid: string): Queued[] {
    const now = this.#clock.now();
    const q = (this.#queues.get(uuid) ?? []).filter((x) => x.expiresAt > now);
    if (q.length === 0) this.#queues.delete(uuid);
    else this.#queues.set(uuid, q);
    return q;
  }

  /** Removes acknowledged ids (numbers are accepted as their decimal string). */
  ack(uuid: string, ids: ReadonlyArray<string | number>): void {
    if (ids.length === 0) return;
    const acked = new Set(ids.map(String));
    const q = this.#live(uuid).filter((x) => !acked.has(x.event.id));
    if (q.length === 0) this.#queues.delete(uuid);
    else this.#queues.set(uuid, q);
  }

  /** Up to `max` oldest pending events, left queued until acked. */
  peek(uuid: string, max: number): AgentEvent[] {
    return this.#live(uuid).slice(0, max).map((x) => x.event);
  }

  /** Everything pending, removed from the queue (pushed on a fresh v2 socket). */
  drain(uuid: string): AgentEvent[] {
    const q = this.#live(uuid);
    this.#queues.delete(uuid);
    return q.map((x) => x.event);
  }

  /** Resolves when an event is enqueued for the node or `ms` pass (the 25 s long-poll). */
  waitFor(uuid: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      let set = this.#waiters.get(uuid);
      if (!set) this.#waiters.set(uuid, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.#waiters.delete(uuid);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done);
      set.add(done);
    });
  }

  forget(uuid: string): void {
    this.#queues.delete(uuid);
  }
}
