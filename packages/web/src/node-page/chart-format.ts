// Axis and legend text for the time charts: local times in the page language, binary byte steps.
import { formatBytes, formatSpeed } from '../lib/format.ts';

const day = 86_400;

/**
 * x-axis tick labels: clock times for short windows, dates at midnight for long ones. The span is
 * asked at each label, as a live chart's window moves after the chart is built.
 */
export function timeTicks(lang: string, spanSeconds: () => number): (s: number) => string {
  const clock = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const date = new Intl.DateTimeFormat(lang, { month: 'numeric', day: 'numeric' });
  return (s) => {
    const d = new Date(s * 1000);
    const midnight = d.getHours() === 0 && d.getMinutes() === 0;
    return spanSeconds() > 2 * day && midnight ? date.format(d) : clock.format(d);
  };
}

/** The full time of the hovered point, shown in the legend. */
export function fullTime(lang: string): (s: number) => string {
  const f = new Intl.DateTimeFormat(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (s) => f.format(new Date(s * 1000));
}

/** Tick steps in powers of two × 1024ⁿ so byte axes read 512 MiB, 1 GiB, not 1.9 GiB. */
export const binaryIncrs: number[] = (() => {
  const out: number[] = [];
  for (let k = 0; k < 6; k++) for (const m of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]) out.push(m * 1024 ** k);
  return out;
})();

export const axisFormats = {
  percent: (v: number) => `${+v.toFixed(1)}%`,
  bytes: (v: number) => formatBytes(v),
  speed: (v: number) => formatSpeed(v),
  count: (v: number) => `${+v.toFixed(2)}`,
  ms: (v: number) => `${+v.toFixed(1)} ms`,
} as const;

export type AxisKind = keyof typeof axisFormats;

/** "42.5% · 3.4 GiB": a share of a total, with the amount it stands for. */
export function shareOf(total: number): (v: number) => string {
  return (v) => `${+v.toFixed(1)}% · ${formatBytes((v / 100) * total)}`;
}
