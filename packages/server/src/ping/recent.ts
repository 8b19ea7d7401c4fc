/** What `/metrics` shows of one (task, node) series. */
export interface RecentPing {
  /** the last answered result, ms; undefined until one is answered */
  latencyMs: number | undefined;
  /** lost among the last `window` results (or fewer, right after start), 0..1 */
  lossRatio: number;
  /** results received since start, and how many of them were lost */
  results: number;
  lost: number;
}

interface Series {
  /** 1 where the result at that slot was lost; a ring of `window` slots */
  ring: Uint8Array;
  next: number;
  filled: number;
  lostInRing: number;
  latencyMs: number | undefined;
  results: number;
  lost: number;
}

/**
 * The last results of each ping series, in memory, so a scrape reads them without a query: a
 * byte per result kept (`window` of them per series), a series per task and node it lists.
 */
export class RecentPings {
  readonly #window: number;
  readonly #byTask = new Map<number, Map<string, Series>>();

  constructor(window: number) {
    this.#window = Math.max(1, Math.floor(window));
  }

  /** One result (ms; negative = lost). */
  record(task: number, node: string, value: number): void {
    let nodes = this.#byTask.get(task);
    if (!nodes) this.#byTask.set(task, (nodes = new Map()));
    let s = nodes.get(node);
    if (!s) nodes.set(node, (s = { ring: new Uint8Array(this.#window), next: 0, filled: 0, lostInRing: 0, latencyMs: undefined, results: 0, lost: 0 }));
    const lost = value < 0 ? 1 : 0;
    if (s.filled === this.#window) s.lostInRing -= s.ring[s.next]!;
    else s.filled++;
    s.ring[s.next] = lost;
    s.lostInRing += lost;
    s.next = (s.next + 1) % this.#window;
    s.results++;
    s.lost += lost;
    if (!lost) s.latencyMs = value;
  }

  get(task: number, node: string): RecentPing | undefined {
    const s = this.#byTask.get(task)?.get(node);
    if (!s) return undefined;
    return { latencyMs: s.latencyMs, lossRatio: s.lostInRing / s.filled, results: s.results, lost: s.lost };
  }

  forgetTask(task: number): void {
    this.#byTask.delete(task);
  }

  forgetNode(node: string): void {
    for (const nodes of this.#byTask.values()) nodes.delete(node);
  }
}
