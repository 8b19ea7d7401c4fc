import type { LoginGuardStore } from '../store/types.ts';

/** The reasons the CLI writes a marker for, and that a running server picks up. */
export type CliMarkerReason = 'unlock' | 'permit-login';

/**
 * A recovery command (`komari unlock`, `komari permit-login`) runs in another process; it leaves
 * a numbered marker in the database. The server reads the latest number only when it is about
 * to refuse something the marker could undo, so normal requests pay nothing.
 */
export class CliMarker {
  readonly #store: LoginGuardStore;
  readonly #reason: CliMarkerReason;
  #seen = 0;

  constructor(store: LoginGuardStore, reason: CliMarkerReason) {
    this.#store = store;
    this.#reason = reason;
  }

  /** Markers written before the server started are history: the state they fixed is loaded. */
  async start(): Promise<void> {
    this.#seen = await this.#store.latestUnlock(this.#reason);
  }

  /** True once per new marker written since the last call. */
  async fired(): Promise<boolean> {
    const latest = await this.#store.latestUnlock(this.#reason);
    if (latest <= this.#seen) return false;
    this.#seen = latest;
    return true;
  }
}
