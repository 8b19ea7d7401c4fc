/**
 * How long the server keeps trying to reach PostgreSQL at start before it gives up, and the
 * back-off between tries: a database that starts a little after the server (one compose file,
 * one reboot) is waited for; one that never comes is reported, and the process exits non-zero.
 */
export interface PgStartLimits {
  /** total time spent retrying, in ms; 0: one try only */
  giveUpAfterMs: number;
  /** the first wait between tries, in ms; doubled each time up to maxDelayMs */
  firstDelayMs: number;
  maxDelayMs: number;
}

export const defaultPgStartLimits: PgStartLimits = {
  giveUpAfterMs: 60_000,
  firstDelayMs: 2_000,
  maxDelayMs: 15_000,
};
