import type { ProbeErrorCode } from '@komari-ts/protocol/probe-error';
import type { ProbeErrorLimits } from './limits.ts';

/** Why the last probe of one task on one node could not run. */
export interface ProbeErrorEntry {
  code: ProbeErrorCode;
  /** the agent's short detail, already bounded; may name the target, so admins only */
  message?: string;
  /** when this code was first reported in a row, and when last (ms, server clock) */
  since: number;
  at: number;
}

/**
 * The last probe error per (task, node), in memory only: what the admin and the node page show
 * instead of a bare 100 % loss. Bounded per node and in total; a reason past a bound is not kept
 * (`dropped` counts them) rather than evicting another, so a flood from one node cannot wipe the
 * others'. A result without a reason clears its pair: the probe ran again.
 */
export class ProbeErrors {
  readonly #limits: Pick<ProbeErrorLimits, 'maxPerNode' | 'maxTotal'>;
  readonly #byNode = new Map<string, Map<number, ProbeErrorEntry>>();
  #total = 0;
  /** reasons not kept because a bound was reached */
  dropped = 0;

  constructor(limits: Pick<ProbeErrorLimits, 'maxPerNode' | 'maxTotal'>) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#total;
  }

  /** Keeps a reason for the pair; false when a bound refused a new pair (an existing one is always updated). */
  set(task: number, node: string, code: ProbeErrorCode, message: string | undefined, now: number): boolean {
    let tasks = this.#byNode.get(node);
    const old = tasks?.get(task);
    if (!old && (this.#total >= this.#limits.maxTotal || (tasks?.size ?? 0) >= this.#limits.maxPerNode)) {
      this.dropped++;
      return false;
    }
    if (!tasks) this.#byNode.set(node, (tasks = new Map()));
    if (!old) this.#total++;
    const since = old && old.code === code ? old.since : now;
    tasks.set(task, message ? { code, message, since, at: now } : { code, since, at: now });
    return true;
  }

  /** Called for every result without a reason, so it is one map lookup when the node has none. */
  clear(task: number, node: string): void {
    const tasks = this.#byNode.get(node);
    if (!tasks?.delete(task)) return;
    this.#total--;
    if (tasks.size === 0) this.#byNode.delete(node);
  }

  get(task: number, node: string): ProbeErrorEntry | undefined {
    return this.#byNode.get(node)?.get(task);
  }

  /** Every kept reason grouped by task, in one pass (the admin's task list). */
  byTask(): Map<number, Array<{ node: string; entry: ProbeErrorEntry }>> {
    const out = new Map<number, Array<{ node: string; entry: ProbeErrorEntry }>>();
    for (const [node, tasks] of this.#byNode) {
      for (const [task, entry] of tasks) {
        let list = out.get(task);
        if (!list) out.set(task, (list = []));
        list.push({ node, entry });
      }
    }
    return out;
  }

  forgetNode(node: string): void {
    const tasks = this.#byNode.get(node);
    if (!tasks) return;
    this.#total -= tasks.size;
    this.#byNode.delete(node);
  }

  forgetTask(task: number): void {
    this.retain((t) => t !== task);
  }

  /** Drops every pair `keep` says no to (a task deleted, a node taken off a task). */
  retain(keep: (task: number, node: string) => boolean): void {
    for (const [node, tasks] of this.#byNode) {
      for (const task of tasks.keys()) if (!keep(task, node)) this.clear(task, node);
    }
  }
}
