import type { FastifyBaseLogger } from 'fastify';
import type { EngineSchedule } from './engine-schedule.ts';

/** What an engine does for a handover: write everything, drop a node's buckets, read them back. */
export interface HandoverOps<Sample> {
  flush(): Promise<void>;
  /** forgets the node's open buckets in memory (they were just written) */
  drop(node: string): void;
  /** reads the node's open buckets back from the database, replacing any in memory */
  restore(node: string): Promise<void>;
  /** folds a sample that waited for the restore */
  replay(node: string, sample: Sample): void;
}

/**
 * A node's samples moving between replicas (cluster/live-sync.ts), for the load and the ping
 * history engines alike. When another replica takes a node over, this one writes what it has and
 * forgets it (`release`); when the node's samples come back here, its open buckets are read from
 * the database first (with the other replica's samples in them) rather than overwritten by this
 * replica's older copy. Samples arriving during the read wait, up to `maxHeld` per node.
 */
export class NodeHandover<Sample> {
  readonly #schedule: EngineSchedule;
  readonly #log: FastifyBaseLogger;
  readonly #maxHeld: number;
  readonly #ops: HandoverOps<Sample>;
  readonly #released = new Set<string>();
  readonly #adopting = new Map<string, Sample[]>();
  /** a release's flush is on its way: later releases join it */
  #releasing = false;

  constructor(schedule: EngineSchedule, log: FastifyBaseLogger, maxHeld: number, ops: HandoverOps<Sample>) {
    this.#schedule = schedule;
    this.#log = log;
    this.#maxHeld = maxHeld;
    this.#ops = ops;
  }

  /** Takes the sample when the node is moving (held, or its read-back started); false: fold it now. */
  intercept(node: string, sample: Sample): boolean {
    const held = this.#adopting.get(node);
    if (held) {
      if (held.length < this.#maxHeld) held.push(sample);
      return true;
    }
    if (!this.#released.has(node)) return false;
    this.#adopt(node, sample);
    return true;
  }

  release(node: string): void {
    if (this.#released.has(node) || this.#adopting.has(node)) return;
    this.#released.add(node);
    if (this.#releasing) return;
    this.#releasing = true;
    void this.#schedule
      .exclusive(async () => {
        await this.#ops.flush();
        for (const id of this.#released) this.#ops.drop(id);
      })
      .catch((err: unknown) => this.#log.error({ err }, 'history: writing a node handed to another replica failed'))
      .finally(() => (this.#releasing = false));
  }

  #adopt(node: string, first: Sample): void {
    const held = [first];
    this.#adopting.set(node, held);
    this.#released.delete(node);
    void this.#schedule
      .exclusive(() => this.#ops.restore(node))
      .catch((err: unknown) => this.#log.error({ err }, 'history: reading back a node that moved here failed; it starts afresh'))
      .finally(() => {
        this.#adopting.delete(node);
        for (const s of held) this.#ops.replay(node, s);
      });
  }
}
