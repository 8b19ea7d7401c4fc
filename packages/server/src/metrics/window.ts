import { standardIntervalsSeconds, type RetentionTier } from '@komari-ts/protocol';
import { z } from 'zod';
import { AppError } from '../errors.ts';

const hourMs = 3_600_000;
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** The params every metric read shares (rpc2.md §10.2.2, §10.2.3). */
export const windowParams = {
  start: z.string().optional(),
  start_time: z.string().optional(),
  end: z.string().optional(),
  end_time: z.string().optional(),
  hours: z.number().finite().optional(),
  max_points: z.number().int().optional(),
};

export interface MetricWindow {
  start: number;
  end: number;
}

function timeOf(name: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const ms = Date.parse(v);
  if (!rfc3339.test(v) || !Number.isFinite(ms)) throw AppError.invalidParams(`invalid ${name}: must be an RFC 3339 time with a zone`);
  return ms;
}

/** `end` = now, `start` = end − hours (≤ 0 → 4); end must be after start. */
export function windowOf(p: { start?: string; start_time?: string; end?: string; end_time?: string; hours?: number }, now: number): MetricWindow {
  const end = timeOf('end', p.end || p.end_time) ?? now;
  const hours = p.hours && p.hours > 0 ? p.hours : 4;
  const start = timeOf('start', p.start || p.start_time) ?? end - hours * hourMs;
  if (!(end > start)) throw AppError.invalidParams('end must be after start');
  return { start, end };
}

/**
 * Komari's rollup interval: ceil(range / max points) rounded up to the standard list, then fitted
 * to the finest tier whose retention covers the start (at least its width, a multiple of it).
 */
export function rollupInterval(tiers: readonly RetentionTier[], w: MetricWindow, maxPoints: number, now: number): { seconds: number; tier: RetentionTier } {
  const wanted = Math.max(1, Math.ceil((w.end - w.start) / 1000 / maxPoints));
  const std = standardIntervalsSeconds.find((s) => s >= wanted) ?? Math.ceil(wanted / 86400) * 86400;
  const after = Math.max(now, w.end) + 1;
  const tier = tiers.find((t) => after - t.keepHours * hourMs <= w.start) ?? tiers.at(-1)!;
  const width = tier.bucketSeconds;
  return { seconds: Math.ceil(Math.max(std, width) / width) * width, tier };
}
