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
export const retentionSchema = z.array(retentionTierSchema).min(1);
export type RetentionTier = z.output<typeof retentionTierSchema>;

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
