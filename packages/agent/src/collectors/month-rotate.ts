/**
 * --month-rotate N: network totals count from day N of the month, at local midnight.
 *
 * The official agent keeps traffic samples on disk (`netstatic`). We keep only an in-memory
 * baseline. At start-up: if the host booted after the last reset, the kernel's counters hold
 * exactly this period's traffic and count in full; otherwise traffic counts from the agent's
 * start, so after an agent restart mid-period the totals restart from 0 (the server keeps its
 * own traffic history from the reports). At each reset the totals go back to 0; the tick that
 * crosses the reset counts toward the new period.
 */

/** Day N of the given month at 00:00 local time; a month without day N resets on the 1st of the next. */
function resetInMonth(year: number, month: number, day: number): Date {
  const daysInMonth = new Date(year, month + 1, 0).getDate();
  return day <= daysInMonth ? new Date(year, month, day) : new Date(year, month + 1, 1);
}

/** The latest reset instant at or before `now` (official `utils.GetLastResetDate`). */
export function lastResetDate(day: number, now: Date): Date {
  const thisMonth = resetInMonth(now.getFullYear(), now.getMonth(), day);
  if (now.getTime() >= thisMonth.getTime()) return thisMonth;
  return resetInMonth(now.getFullYear(), now.getMonth() - 1, day);
}

export const validResetDay = (day: number) => Number.isInteger(day) && day >= 1 && day <= 31;

/** Bytes received and sent since the current period began. */
export class MonthlyTraffic {
  readonly #day: number;
  #periodStart: number;
  rx = 0;
  tx = 0;

  constructor(day: number, nowMs: number) {
    if (!validResetDay(day)) throw new Error(`month rotate day must be 1–31, got ${day}`);
    this.#day = day;
    this.#periodStart = lastResetDate(day, new Date(nowMs)).getTime();
  }

  /** Whether the kernel counters of a host booted at `bootMs` all belong to this period. */
  countsSinceBoot(bootMs: number): boolean {
    return bootMs >= this.#periodStart;
  }

  /** Adds one tick's bytes, starting a new period first when a reset passed (or the clock was set back past one). */
  add(nowMs: number, rx: number, tx: number): void {
    const start = lastResetDate(this.#day, new Date(nowMs)).getTime();
    if (start !== this.#periodStart) {
      this.#periodStart = start;
      this.rx = 0;
      this.tx = 0;
    }
    this.rx += rx;
    this.tx += tx;
  }
}
