import type { Clock } from '../clock.ts';
import type { StateExtra } from './providers/types.ts';

/** What is remembered for one issued state until its callback. */
export interface PendingState {
  provider: string;
  /** the account that asked to bind (GET /api/oauth2/bind); "" for a login */
  bindUuid: string;
  extra: StateExtra;
  expiresAt: number;
}

export interface StateStoreLimits {
  stateTtlMs: number;
  maxPendingStates: number;
}

/**
 * Issued OAuth states, in memory: each is accepted once and only until it expires, and at most
 * `maxPendingStates` wait at a time (the oldest is dropped first), so a flood of `/api/oauth`
 * requests cannot grow it.
 */
export class OAuthStateStore {
  readonly #pending = new Map<string, PendingState>();
  readonly #clock: Clock;
  readonly #limits: StateStoreLimits;

  constructor(clock: Clock, limits: StateStoreLimits) {
    this.#clock = clock;
    this.#limits = limits;
  }

  issue(state: string, entry: Omit<PendingState, 'expiresAt'>): void {
    this.#sweep();
    while (this.#pending.size >= this.#limits.maxPendingStates) {
      const oldest = this.#pending.keys().next().value;
      if (oldest === undefined) break;
      this.#pending.delete(oldest);
    }
    this.#pending.set(state, { ...entry, expiresAt: this.#clock.now() + this.#limits.stateTtlMs });
  }

  /** The pending entry, removed whether or not it is still valid; undefined when unknown or expired. */
  take(state: string): PendingState | undefined {
    const entry = this.#pending.get(state);
    if (!entry) return undefined;
    this.#pending.delete(state);
    return entry.expiresAt > this.#clock.now() ? entry : undefined;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Entries are inserted in expiry order, so expired ones sit at the front. */
  #sweep(): void {
    const now = this.#clock.now();
    for (const [state, entry] of this.#pending) {
      if (entry.expiresAt > now) break;
      this.#pending.delete(state);
    }
  }
}
