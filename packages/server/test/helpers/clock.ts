import type { Clock } from '../../src/clock.ts';

/** A clock the test sets and moves; the server under test reads "now" from it. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start: number | string = Date.UTC(2026, 0, 1)) {
    this.#now = typeof start === 'string' ? Date.parse(start) : start;
  }

  now(): number {
    return this.#now;
  }

  set(ms: number): void {
    this.#now = ms;
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}
