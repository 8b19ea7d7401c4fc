import { loadavg } from 'node:os';

/** The p-th percentile (0-100) of already sorted values, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, mean };
}

export function ms(v: number): string {
  if (!Number.isFinite(v)) return '-';
  return v < 10 ? `${v.toFixed(2)} ms` : `${v.toFixed(0)} ms`;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Prints rows as an aligned two-or-more column table. */
export function table(rows: ReadonlyArray<readonly (string | number)[]>): void {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, String(c).length)));
  for (const r of rows) console.log(`  ${r.map((c, i) => String(c).padEnd(widths[i]!)).join('  ')}`.trimEnd());
}

/** The machine's state, printed at the head of every benchmark so a figure carries its conditions. */
export function conditions(): string {
  const [l1, l5, l15] = loadavg().map((v) => v.toFixed(2));
  return `${new Date().toISOString()}  node ${process.version}  load average ${l1} ${l5} ${l15}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
