/** One of our tiers as an import target: its width and the oldest bucket start it still keeps. */
export interface TargetTier {
  widthMs: number;
  /** buckets starting before this are past the tier's retention (what prune would delete) */
  keepFrom: number;
}

export interface SourceBucketOps<T> {
  copy(b: T): T;
  /** adds a bucket of the same span into another (sums add, max of max, last by time) */
  merge(into: T, from: T): void;
  /** samples behind a bucket: of two sources for one span, the one with more is more complete */
  samples(b: T): number;
}

/** Why a source bucket went into no tier. */
export type NotTaken = 'past retention' | 'no tier fits its resolution' | 'out of order';

interface OpenSpan<T> {
  start: number;
  /** the span's buckets so far, one per source resolution (ms) */
  bySource: Map<number, T>;
}

/**
 * Fills our tiers from a series' source buckets of mixed resolutions (Komari's 1 m / 5 m / 1 h /
 * 1 d rollups, legacy 1 m and 15 m records, raw ping results), fed oldest first. A source bucket
 * goes into every tier whose width is a multiple of its resolution and whose retention covers it.
 * Komari keeps several resolutions of the same span (its 1 m and 5 m tiers overlap for 10 hours),
 * so a tier's bucket takes exactly one source: the resolution with the most samples in that span
 * (the finer one on a tie). That skips a fine tier cut short by Komari's retention, and a coarse
 * bucket Komari had not sealed yet, and never counts a sample twice.
 */
export class TierBuilder<T extends { start: number; width: number }> {
  readonly #tiers: readonly TargetTier[];
  readonly #ops: SourceBucketOps<T>;
  readonly #emit: (row: T) => void;
  readonly #open: (OpenSpan<T> | undefined)[];
  #last = -Infinity;

  constructor(tiers: readonly TargetTier[], ops: SourceBucketOps<T>, emit: (row: T) => void) {
    this.#tiers = tiers;
    this.#ops = ops;
    this.#emit = emit;
    this.#open = tiers.map(() => undefined);
  }

  /** Adds a source bucket of `resolutionMs` starting at `b.start`; undefined when a tier took it. */
  add(resolutionMs: number, b: T): NotTaken | undefined {
    if (b.start < this.#last) return 'out of order';
    this.#last = b.start;
    let fits = false;
    let taken = false;
    this.#tiers.forEach((tier, i) => {
      if (resolutionMs > tier.widthMs || tier.widthMs % resolutionMs !== 0) return;
      fits = true;
      const start = Math.floor(b.start / tier.widthMs) * tier.widthMs;
      if (start < tier.keepFrom) return;
      taken = true;
      let span = this.#open[i];
      if (span && span.start !== start) {
        this.#close(i);
        span = undefined;
      }
      if (!span) this.#open[i] = span = { start, bySource: new Map() };
      const into = span.bySource.get(resolutionMs);
      if (into) this.#ops.merge(into, b);
      else span.bySource.set(resolutionMs, { ...this.#ops.copy(b), width: tier.widthMs / 1000, start });
    });
    if (taken) return undefined;
    return fits ? 'past retention' : 'no tier fits its resolution';
  }

  /** Emits every open span; the builder is done. */
  finish(): void {
    for (let i = 0; i < this.#open.length; i++) this.#close(i);
  }

  #close(i: number): void {
    const span = this.#open[i];
    if (!span) return;
    this.#open[i] = undefined;
    let best: { res: number; b: T } | undefined;
    for (const [res, b] of span.bySource) {
      const n = this.#ops.samples(b);
      const m = best ? this.#ops.samples(best.b) : -1;
      if (n > m || (n === m && best && res < best.res)) best = { res, b };
    }
    if (best && this.#ops.samples(best.b) > 0) this.#emit(best.b);
  }
}
