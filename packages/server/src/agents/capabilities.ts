import type { EventBus } from '../bus/event-bus.ts';
import type { ServerLimits } from '../config/limits.ts';

type Limits = Pick<ServerLimits['agents'], 'maxCapabilities' | 'maxCapabilityBytes'>;

/**
 * The `capabilities` an agent last advertised (in `agent.pull`, or at the top level of
 * `agent.report` params), in memory per node; shown to admins only. Komari 1.5 ignores the list;
 * komari-ts records it so an admin sees what a node's agent can do (komari-1.5.md §1.5).
 * Names komari-ts does not know are kept: newer agents add them.
 */
export class AgentCapabilities {
  readonly #byNode = new Map<string, string[]>();
  readonly #limits: Limits;

  constructor(limits: Limits, bus: EventBus) {
    this.#limits = limits;
    bus.subscribe('node.deleted', ({ uuid }) => this.#byNode.delete(uuid));
  }

  /**
   * Replaces the node's list. A hostile list is cut rather than refused, so an agent that sends
   * too much still gets its events: null entries and names longer than the byte bound are
   * dropped (a cut name would be a different name), duplicates are kept once, and only the first
   * `maxCapabilities` are kept.
   */
  record(uuid: string, list: ReadonlyArray<string | null>): void {
    const kept = new Set<string>();
    for (const name of list) {
      if (kept.size >= this.#limits.maxCapabilities) break;
      if (name === null || Buffer.byteLength(name, 'utf8') > this.#limits.maxCapabilityBytes) continue;
      kept.add(name);
    }
    this.#byNode.set(uuid, [...kept]);
  }

  /** The node's last list; null when its agent never sent one. */
  of(uuid: string): string[] | null {
    const list = this.#byNode.get(uuid);
    return list ? [...list] : null;
  }
}
