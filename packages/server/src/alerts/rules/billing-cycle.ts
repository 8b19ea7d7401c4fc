/**
 * Komari's billing-cycle table (notifications.md §6.2): a cycle length in days that is close to
 * a whole number of months or years moves by calendar months; any other by days.
 */
const monthRanges: ReadonlyArray<[min: number, max: number, months: number]> = [
  [27, 32, 1],
  [87, 95, 3],
  [175, 185, 6],
  [360, 370, 12],
  [720, 750, 24],
  [1080, 1150, 36],
  [1800, 1850, 60],
];

/** `ms` (local calendar) moved by `cycles` billing cycles of `days`; negative cycles go back. */
export function addCycles(ms: number, days: number, cycles: number): number {
  const months = monthRanges.find(([min, max]) => days >= min && days <= max)?.[2];
  const d = new Date(ms);
  // Date normalises overflow as Go does: Jan 31 + 1 month → Mar 3 (or 2).
  if (months !== undefined) d.setMonth(d.getMonth() + months * cycles);
  else d.setDate(d.getDate() + days * cycles);
  return d.getTime();
}

/**
 * The start of the billing cycle `now` falls in, counted back from the node's expiry by its
 * cycle; without billing fields, the first of the local calendar month.
 */
export function cycleStartOf(now: number, expiredAt: number | null, cycleDays: number): number {
  if (expiredAt !== null && cycleDays > 0 && expiredAt < now + 100 * 365 * 86_400_000) {
    let n = 0;
    // Walk whole cycles (bounded: a century of daily cycles is ~36,500 steps, never more).
    if (expiredAt > now) {
      while (addCycles(expiredAt, cycleDays, -(n + 1)) > now && n < 40_000) n++;
      return addCycles(expiredAt, cycleDays, -(n + 1));
    }
    while (addCycles(expiredAt, cycleDays, n + 1) <= now && n < 40_000) n++;
    return addCycles(expiredAt, cycleDays, n);
  }
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
}

/** The end of the cycle that starts at `start`. */
export function cycleEndOf(start: number, expiredAt: number | null, cycleDays: number): number {
  if (expiredAt !== null && cycleDays > 0) return addCycles(start, cycleDays, 1);
  const d = new Date(start);
  return new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
}
