/** A token bucket per key: `burst` at most, refilled at `perMinute`. */
export interface TokenBucketRule {
  burst: number;
  perMinute: number;
  /** keys tracked; past it the least recently used goes */
  maxKeys: number;
}

/**
 * Token buckets by key (a client address), bounded: the map keeps keys in order of last use, so
 * the one evicted when full is the one idle longest (an evicted key starts full again, which is
 * what it would be after a long idle anyway).
 */
export class TokenBuckets {
  readonly #rule: TokenBucketRule;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(rule: TokenBucketRule) {
    this.#rule = rule;
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Takes one token; false when the bucket is empty. */
  take(key: string, now: number): boolean {
    return this.spend(key, now, 1);
  }

  /**
   * Takes `cost` tokens for work already done (a metric query's stored buckets): false, and the
   * bucket left empty, when it held fewer.
   */
  spend(key: string, now: number, cost: number): boolean {
    const { burst, perMinute, maxKeys } = this.#rule;
    let b = this.#buckets.get(key);
    if (b) {
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) * perMinute) / 60_000);
      b.at = now;
      this.#buckets.delete(key);
    } else {
      b = { tokens: burst, at: now };
      while (this.#buckets.size >= maxKeys) this.#buckets.delete(this.#buckets.keys().next().value!);
    }
    this.#buckets.set(key, b);
    if (b.tokens < cost) {
      // Work past what was left is not forgiven: the key waits for a full token's refill.
      if (cost > 1) b.tokens = 0;
      return false;
    }
    b.tokens -= cost;
    return true;
  }
}
