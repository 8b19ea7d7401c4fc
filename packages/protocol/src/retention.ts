import { z } from 'zod';

/**
 * History tiers and how long each is kept (spec/README.md decision 6). One config object: the
 * ingest pipeline, the pruner and `/api/public` all read it.
 */
export const retentionTierSchema = z.object({
  /** bucket width in seconds */
  bucketSeconds: z.number().int().positive(),
  /** how long buckets of this width are kept, in hours */
  keepHours: z.number().positive(),
});
export type RetentionTier = z.output<typeof retentionTierSchema>;

/**
 * Tiers go from fine to coarse. Each width is a multiple of the one before, so a closed bucket
 * folds into exactly one bucket of every coarser tier; each tier keeps at least as long as the
 * one before, so a coarse bucket outlives the fine buckets it was built from (the start-up
 * recovery of history/restore.ts relies on it, as Komari's store refuses a shrinking ladder).
 */
export const retentionSchema = z
  .array(retentionTierSchema)
  .min(1)
  .superRefine((tiers, ctx) => {
    for (let i = 1; i < tiers.length; i++) {
      const prev = tiers[i - 1]!;
      const cur = tiers[i]!;
      if (cur.bucketSeconds <= prev.bucketSeconds || cur.bucketSeconds % prev.bucketSeconds !== 0) {
        ctx.addIssue({ code: 'custom', path: [i, 'bucketSeconds'], message: 'must be a larger multiple of the previous tier' });
      }
      if (cur.keepHours < prev.keepHours) {
        ctx.addIssue({ code: 'custom', path: [i, 'keepHours'], message: 'must be at least that of the previous tier' });
      }
    }
  });

export const defaultRetention: readonly RetentionTier[] = [
  { bucketSeconds: 60, keepHours: 24 },
  { bucketSeconds: 300, keepHours: 7 * 24 },
  { bucketSeconds: 3600, keepHours: 90 * 24 },
  { bucketSeconds: 86400, keepHours: 5 * 365 * 24 },
];

/** The longest span any tier keeps, in whole hours (what `/api/public` reports). */
export function longestRetentionHours(tiers: readonly RetentionTier[]): number {
  return Math.floor(Math.max(0, ...tiers.map((t) => t.keepHours)));
}

/**
 * Komari's output-interval rule for load records (public-api.md §4.2): about 500 points per
 * window, floored to one of these widths (seconds), then raised to the backing tier's width.
 */
export const loadRecordTargetPoints = 500;
/** common:getRecords answers at most this many points when `maxCount` is 0 (rpc2.md §10.1). */
export const defaultRecordsMaxCount = 4000;
export const standardIntervalsSeconds: readonly number[] = [
  1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];
