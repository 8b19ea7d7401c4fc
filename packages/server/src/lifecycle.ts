import type { AppContext } from './app-context.ts';

/**
 * Files of the data folder exchanged while the server is stopped (backup/apply.ts). `apply`
 * puts the new files in place and the old ones aside; `rollback` undoes it; `commit` deletes
 * what was put aside.
 */
export interface DataSwap {
  apply(): void;
  rollback(): void;
  commit(): void;
}

export type RestartOutcome = { ok: true; ctx: AppContext } | { ok: false; error: Error; ctx: AppContext };

/** One restore at a time, across the apps a running server builds one after another. */
export class RestoreLock {
  #held = false;

  get held(): boolean {
    return this.#held;
  }

  /** false when already held */
  acquire(): boolean {
    if (this.#held) return false;
    this.#held = true;
    return true;
  }

  release(): void {
    this.#held = false;
  }
}

/**
 * What outlives one app: the restore lock, and how to stop the app, swap the data folder's
 * files and build it again on the same address (main.ts). An app built without a running server
 * (`restart` absent) can only stage a restore for the next start.
 */
export interface AppLifecycle {
  restoreLock: RestoreLock;
  restart?(swap: DataSwap): Promise<RestartOutcome>;
}
