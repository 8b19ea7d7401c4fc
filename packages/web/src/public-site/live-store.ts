// Live figures of every node, kept outside React state so one socket frame (1,000 nodes) costs a
// Map update, not a tree re-render. Listeners are keyed by uuid and notified on animation frames,
// only for the nodes whose report or presence changed, so only those cards re-render.
import type { LiveEntry, LiveReport } from './live-types.ts';

export type LinkState = 'connecting' | 'live' | 'lost';

/** cards re-rendered per animation frame at most */
const perFrame = 12;

const offline: LiveEntry = { report: undefined, online: false };

export class LiveStore {
  readonly #entries = new Map<string, LiveEntry>();
  readonly #byNode = new Map<string, Set<() => void>>();
  readonly #any = new Set<() => void>();
  readonly #pending = new Set<string>();
  #frame = 0;
  #version = 0;
  #link: LinkState = 'connecting';
  #known: ReadonlySet<string> | undefined;
  /** called on every answer naming a node the node list lacks (one was added since it loaded) */
  onUnknown: (() => void) | undefined;

  get(uuid: string): LiveEntry {
    return this.#entries.get(uuid) ?? offline;
  }

  /** Bumped once per flushed frame: what the summary strip re-renders on. */
  version(): number {
    return this.#version;
  }

  link(): LinkState {
    return this.#link;
  }

  /** The uuids /api/nodes returned (hidden ones included), to notice nodes added since. */
  setKnown(uuids: ReadonlySet<string>): void {
    this.#known = uuids;
  }

  setLink(state: LinkState): void {
    if (state === this.#link) return;
    this.#link = state;
    this.#schedule();
  }

  /** Folds one /api/clients answer in; unchanged nodes (same `updated_at`, same presence) are skipped. */
  apply(online: readonly string[], data: Readonly<Record<string, LiveReport>>): void {
    const on = new Set(online);
    const visit = (uuid: string) => {
      const prev = this.#entries.get(uuid);
      const report = data[uuid] ?? prev?.report;
      const isOnline = on.has(uuid);
      // a server that stamps no `updated_at` gets every report treated as new
      const same = report?.updated_at !== undefined ? prev?.report?.updated_at === report.updated_at : prev?.report === report;
      if (prev && prev.online === isOnline && same) return;
      this.#entries.set(uuid, { report, online: isOnline });
      this.#pending.add(uuid);
    };
    for (const uuid of Object.keys(data)) visit(uuid);
    for (const uuid of on) if (!(uuid in data)) visit(uuid);
    // nodes that went offline without a report in this answer
    for (const [uuid, e] of this.#entries) if (e.online && !on.has(uuid)) visit(uuid);
    // checked on every answer, not only on changes: the list owner may defer its refresh
    const known = this.#known;
    if (known && (online.some((u) => !known.has(u)) || Object.keys(data).some((u) => !known.has(u)))) this.onUnknown?.();
    if (this.#pending.size) this.#schedule();
  }

  subscribe(uuid: string, listener: () => void): () => void {
    let set = this.#byNode.get(uuid);
    if (!set) this.#byNode.set(uuid, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#byNode.delete(uuid);
    };
  }

  subscribeAll(listener: () => void): () => void {
    this.#any.add(listener);
    return () => this.#any.delete(listener);
  }

  dispose(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  #schedule(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => this.#flush());
  }

  /**
   * Notifies the watched nodes among the changed ones, at most `perFrame` of them (React renders
   * them together right after), then the views over all nodes. The rest wait for the next frame,
   * so a screenful of changed cards is spread over a few frames instead of making one long one.
   */
  #flush(): void {
    this.#frame = 0;
    this.#version++;
    let notified = 0;
    for (const uuid of this.#pending) {
      const listeners = this.#byNode.get(uuid);
      if (listeners) {
        if (notified === perFrame) break;
        notified++;
        listeners.forEach((l) => l());
      }
      this.#pending.delete(uuid);
    }
    this.#any.forEach((l) => l());
    if (this.#pending.size) this.#schedule();
  }
}
