import type { Clock } from '../clock.ts';
import type { StateExtra } from './providers/types.ts';

/** What is remembered for one issued state until its callback. */
export interface PendingState {
  provider: string;
  /** the account that asked to bind (GET /api/oauth2/bind); "" for a login */
  bindUuid: string;
  extra: StateExtra;
  /** the address group (IPv6 by /64) the state was issued to */
  group: string;
  expiresAt: number;
}

export interface StateStoreLimits {
  stateTtlMs: number;
  maxPendingStates: number;
}

/**
 * Issued OAuth states, in memory: each is accepted once and only until it expires, and at most
 * `maxPendingStates` wait at a time, so a flood of `/api/oauth` requests cannot grow it. When full,
 * the oldest state of the address holding the most goes first: a flood from one address drops its
 * own states, never the one an admin is using at the provider.
 */
export class OAuthStateStore {
  readonly #pending = new Map<string, PendingState>();
  /** pending states per address group, oldest first */
  readonly #byGroup = new Map<string, string[]>();
  readonly #clock: Clock;
  readonly #limits: StateStoreLimits;

  constructor(clock: Clock, limits: StateStoreLimits) {
    this.#clock = clock;
    this.#limits = limits;
  }

  issue(state: string, entry: Omit<PendingState, 'expiresAt'>): void {
    this.#sweep();
    while (this.#pending.size >= this.#limits.maxPendingStates && this.#dropFromLargestGroup());
    this.#pending.set(state, { ...entry, expiresAt: this.#clock.now() + this.#limits.stateTtlMs });
    const states = this.#byGroup.get(entry.group);
    if (states) states.push(state);
    else this.#byGroup.set(entry.group, [state]);
  }

  /** The pending entry, removed whether or not it is still valid; undefined when unknown or expired. */
  take(state: string): PendingState | undefined {
    const entry = this.#pending.get(state);
    if (!entry) return undefined;
    this.#remove(state, entry);
    return entry.expiresAt > this.#clock.now() ? entry : undefined;
  }

  get size(): number {
    return this.#pending.size;
  }

  #remove(state: string, entry: PendingState): void {
    this.#pending.delete(state);
    const states = this.#byGroup.get(entry.group) ?? [];
    const at = states.indexOf(state);
    if (at >= 0) states.splice(at, 1);
    if (states.length === 0) this.#byGroup.delete(entry.group);
  }

  #dropFromLargestGroup(): boolean {
    let largest: string[] | undefined;
    for (const states of this.#byGroup.values()) if (!largest || states.length > largest.length) largest = states;
    const oldest = largest?.[0];
    const entry = oldest === undefined ? undefined : this.#pending.get(oldest);
    if (oldest === undefined || !entry) return false;
    this.#remove(oldest, entry);
    return true;
  }

  /** Entries are inserted in expiry order, so expired ones sit at the front. */
  #sweep(): void {
    const now = this.#clock.now();
    for (const [state, entry] of this.#pending) {
      if (entry.expiresAt > now) break;
      this.#remove(state, entry);
    }
  }
}
