const micro = 1_000n;
const ms = 1_000_000n;
const second = 1_000_000_000n;
const minute = 60n * second;
const hour = 60n * minute;

/** `v / unit` with the remainder as a decimal fraction, trailing zeros dropped (Go's fmtFrac). */
function fraction(v: bigint, unit: bigint): string {
  const whole = v / unit;
  const rest = v % unit;
  if (rest === 0n) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}

/**
 * A duration in nanoseconds written as Go's `time.Duration.String()` writes it, which is what
 * Komari puts in the terminal audit line: `0s`, `850ns`, `1.5µs`, `12.3ms`, `4.05s`, `1m2.5s`,
 * `1h0m3s`.
 */
export function goDuration(ns: bigint): string {
  if (ns < 0n) return `-${goDuration(-ns)}`;
  if (ns === 0n) return '0s';
  if (ns < micro) return `${ns}ns`;
  if (ns < ms) return `${fraction(ns, micro)}µs`;
  if (ns < second) return `${fraction(ns, ms)}ms`;
  const seconds = `${fraction(ns % minute, second)}s`;
  const h = ns / hour;
  const m = (ns % hour) / minute;
  if (h > 0n) return `${h}h${m}m${seconds}`;
  if (m > 0n) return `${m}m${seconds}`;
  return seconds;
}
