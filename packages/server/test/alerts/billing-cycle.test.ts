import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addCycles, cycleEndOf, cycleStartOf } from '../../src/alerts/rules/billing-cycle.ts';

const local = (y: number, m: number, d: number) => new Date(y, m - 1, d, 12, 0).getTime();
const day = (ms: number) => new Date(ms).toDateString();

describe('billing cycles (Komari’s table)', () => {
  it('cycle lengths near whole months move by calendar months, others by days', () => {
    assert.equal(day(addCycles(local(2026, 1, 15), 30, 1)), day(local(2026, 2, 15)));
    assert.equal(day(addCycles(local(2026, 1, 15), 92, 1)), day(local(2026, 4, 15)));
    assert.equal(day(addCycles(local(2026, 1, 15), 365, 1)), day(local(2027, 1, 15)));
    assert.equal(day(addCycles(local(2026, 1, 15), 10, 1)), day(local(2026, 1, 25)));
    // Jan 31 + 1 month overflows as Go's does
    assert.equal(day(addCycles(local(2026, 1, 31), 30, 1)), day(local(2026, 3, 3)));
  });

  it('the cycle a moment falls in is counted back (or forward) from the expiry', () => {
    // monthly, expiring 20 Mar: on 5 Jan the cycle is 20 Dec – 20 Jan
    const exp = local(2026, 3, 20);
    const start = cycleStartOf(local(2026, 1, 5), exp, 30);
    assert.equal(day(start), day(local(2025, 12, 20)));
    assert.equal(day(cycleEndOf(start, exp, 30)), day(local(2026, 1, 20)));
    // expired in the past: counted forward
    assert.equal(day(cycleStartOf(local(2026, 5, 25), exp, 30)), day(local(2026, 5, 20)));
    // no billing fields: the calendar month
    assert.equal(day(cycleStartOf(local(2026, 5, 25), null, 0)), new Date(2026, 4, 1).toDateString());
  });
});
