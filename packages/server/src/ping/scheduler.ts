import type { AgentCommand, Delivery } from '../agents/dispatch.ts';
import type { PingTaskRow } from '../store/types.ts';

/** Sends one command to one node the way it can take it (agents/dispatch.ts dispatchCommand). */
export type Dispatch = (uuid: string, cmd: AgentCommand) => Delivery;

/**
 * The command for one task in both wire forms: the v1 frame's keys in Komari's order
 * (agent-protocol.md §6.7) and the `agent.ping` params of §7.4.
 */
export function pingCommand(t: PingTaskRow): AgentCommand {
  return {
    v1: { ping_task_id: t.id, message: 'ping', ping_type: t.type, ping_target: t.target },
    v2: { method: 'agent.ping', params: { ping_task_id: t.id, ping_type: t.type, ping_target: t.target } },
    newline: true,
  };
}

/**
 * Komari's ping schedule (agent-protocol.md §5): tasks grouped by interval, one timer per distinct
 * interval, first firing one interval after it is created; each firing sends the task to every
 * node in its `clients`. A node that is offline simply misses it; a POST-only v2 node gets a
 * queued event that expires in 3 s (agents/event-queue.ts). A reschedule keeps the timer of an
 * interval that still has tasks (its group is swapped): replicas reschedule on every change made
 * elsewhere, and restarting the timers each time would let a stream of edits starve every ping.
 */
export class PingScheduler {
  readonly #dispatch: Dispatch;
  readonly #timers = new Map<number, NodeJS.Timeout>();
  readonly #groups = new Map<number, PingTaskRow[]>();

  constructor(dispatch: Dispatch) {
    this.#dispatch = dispatch;
  }

  /** The schedule of `tasks` from now on. Intervals below 1 s are never scheduled. */
  schedule(tasks: readonly PingTaskRow[]): void {
    this.#groups.clear();
    for (const t of tasks) {
      if (!(t.interval >= 1) || t.clients.length === 0) continue;
      const group = this.#groups.get(t.interval);
      if (group) group.push(t);
      else this.#groups.set(t.interval, [t]);
    }
    for (const [interval, timer] of this.#timers) {
      if (this.#groups.has(interval)) continue;
      clearInterval(timer);
      this.#timers.delete(interval);
    }
    for (const interval of this.#groups.keys()) {
      if (this.#timers.has(interval)) continue;
      const timer = setInterval(() => this.#fire(this.#groups.get(interval) ?? []), interval * 1000);
      // The server's close hook clears it; unref keeps a stray one from holding the process.
      timer.unref();
      this.#timers.set(interval, timer);
    }
  }

  /** How many timers run (one per distinct interval). */
  get timerCount(): number {
    return this.#timers.size;
  }

  stop(): void {
    for (const t of this.#timers.values()) clearInterval(t);
    this.#timers.clear();
    this.#groups.clear();
  }

  #fire(group: readonly PingTaskRow[]): void {
    for (const task of group) {
      const cmd = pingCommand(task);
      for (const uuid of task.clients) this.#dispatch(uuid, cmd);
    }
  }
}
