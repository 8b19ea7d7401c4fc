// A tiny line of the last few minutes under a live figure: plain SVG, no axes, so dozens of
// updates a minute cost nothing.
import { palette } from './use-theme-colors.ts';

export interface SparkLine {
  values: readonly number[];
  color?: string;
}

/** `max` fixes the top (100 for percentages); the lines' own maximum otherwise. */
export function Sparkline({ lines, max }: { lines: readonly SparkLine[]; max?: number }) {
  const n = Math.max(0, ...lines.map((l) => l.values.length));
  if (n < 2) return <svg className="sparkline" aria-hidden="true" />;
  const top = max ?? Math.max(1e-9, ...lines.flatMap((l) => l.values));
  const path = (values: readonly number[]) =>
    values.map((v, i) => `${((i + n - values.length) / (n - 1)) * 100},${30 - (Math.min(v, top) / top) * 28}`).join(' ');
  return (
    <svg className="sparkline" viewBox="0 0 100 30" preserveAspectRatio="none" aria-hidden="true">
      {lines.map((l, i) => (
        <polyline key={i} points={path(l.values)} fill="none" stroke={l.color ?? palette[i]} strokeWidth="1.5" vectorEffect="non-scaling-stroke" />
      ))}
    </svg>
  );
}
