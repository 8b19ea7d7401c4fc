import type { Clock } from '../clock.ts';
import { defaultServerLimits, type LimitRule } from '../config/limits.ts';
import { addressGroup } from '../util/address-group.ts';

/**
 * Counts failures per key in a sliding window; bounded so a flood of keys cannot grow it. When
 * full, a new key takes the place of the oldest key that is not locked: a flood of junk keys
 * cannot flush a lock. When every tracked key is locked the new key is not tracked (`fail`
 * returns false); callers keep a global budget so such failures are still counted somewhere.
 */
export class FailureLimiter {
  readonly #rule: LimitRule;
  readonly #clock: Clock;
  readonly #failures = new Map<string, number[]>();
  readonly #maxKeys: number;

  constructor(rule: LimitRule, clock: Clock, maxKeys = defaultServerLimits.login.maxKeys) {
    this.#rule = rule;
    this.#clock = clock;
    this.#maxKeys = maxKeys;
  }

  #recent(key: string): number[] {
    const since = this.#clock.now() - this.#rule.windowMs;
    const list = (this.#failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, list);
    return list;
  }

  /** Milliseconds until the key may try again; 0 when it may try now. */
  retryAfterMs(key: string): number {
    const list = this.#recent(key);
    if (list.length < this.#rule.maxFailures) return 0;
    return list[list.length - this.#rule.maxFailures]! + this.#rule.windowMs - this.#clock.now();
  }

  /** Counts one failure; false when the key could not be tracked (every tracked key is locked). */
  fail(key: string): boolean {
    const list = this.#recent(key);
    if (!this.#failures.has(key) && this.#failures.size >= this.#maxKeys && !this.#evictOneUnlocked()) return false;
    list.push(this.#clock.now());
    this.#failures.set(key, list);
    return true;
  }

  reset(key: string): void {
    this.#failures.delete(key);
  }

  /** Forgets every key (`komari unlock`). */
  resetAll(): void {
    this.#failures.clear();
  }

  /** Drops the oldest key that is not locked (keys whose window ran out go on the way). */
  #evictOneUnlocked(): boolean {
    for (const key of this.#failures.keys()) {
      if (this.retryAfterMs(key) > 0) continue;
      this.#failures.delete(key);
      return true;
    }
    return false;
  }
}

/**
 * A FailureLimiter keyed by the client's address group (IPv6 by /64, util/address-group.ts): the
 * throttles of routes a guest reaches (auto-discovery keys, OAuth starts and callbacks).
 */
export class AddressLimiter {
  readonly #limiter: FailureLimiter;

  constructor(rule: LimitRule, clock: Clock) {
    this.#limiter = new FailureLimiter(rule, clock);
  }

  /** Whole seconds until `ip` may try again; 0 when it may now. */
  retryAfterSec(ip: string): number {
    return Math.ceil(this.#limiter.retryAfterMs(addressGroup(ip)) / 1000);
  }

  fail(ip: string): void {
    this.#limiter.fail(addressGroup(ip));
  }

  reset(ip: string): void {
    this.#limiter.reset(addressGroup(ip));
  }
}
