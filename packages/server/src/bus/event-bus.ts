import type { FastifyBaseLogger } from 'fastify';
import type { BusEventName, BusEvents } from './events.ts';

type Handler<K extends BusEventName> = (event: BusEvents[K]) => void;

/**
 * The in-process bus. Handlers run synchronously in publish order and must not block: one that
 * has slow work queues it. A handler that throws is logged and the others still run, so a bug
 * in alerting never fails an agent's report.
 */
export class EventBus {
  readonly #handlers = new Map<BusEventName, Set<Handler<never>>>();
  readonly #log: FastifyBaseLogger;

  constructor(log: FastifyBaseLogger) {
    this.#log = log;
  }

  publish<K extends BusEventName>(name: K, event: BusEvents[K]): void {
    const set = this.#handlers.get(name);
    if (!set) return;
    for (const fn of set) {
      try {
        (fn as Handler<K>)(event);
      } catch (err) {
        this.#log.error({ err, event: name }, 'a bus handler failed');
      }
    }
  }

  /** Returns the unsubscribe function. */
  subscribe<K extends BusEventName>(name: K, fn: Handler<K>): () => void {
    let set = this.#handlers.get(name);
    if (!set) this.#handlers.set(name, (set = new Set()));
    set.add(fn as Handler<never>);
    return () => set.delete(fn as Handler<never>);
  }
}
