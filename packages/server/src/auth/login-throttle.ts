import type { Clock } from '../clock.ts';
import type { LimitRule } from '../config/limits.ts';

/** Limits for password and 2FA failures, per client IP and per username (decision 4). */
export const defaultLoginLimits = {
  perIp: { maxFailures: 10, windowMs: 10 * 60_000 },
  perAccount: { maxFailures: 20, windowMs: 10 * 60_000 },
} as const satisfies Record<string, LimitRule>;

/** Counts failures per key in a sliding window; bounded so a flood of keys cannot grow it. */
export class FailureLimiter {
  readonly #rule: LimitRule;
  readonly #clock: Clock;
  readonly #failures = new Map<string, number[]>();
  readonly #maxKeys: number;

  constructor(rule: LimitRule, clock: Clock, maxKeys = 10_000) {
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

  fail(key: string): void {
    const list = this.#recent(key);
    list.push(this.#clock.now());
    if (!this.#failures.has(key) && this.#failures.size >= this.#maxKeys) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
    this.#failures.set(key, list);
  }

  reset(key: string): void {
    this.#failures.delete(key);
  }
}
