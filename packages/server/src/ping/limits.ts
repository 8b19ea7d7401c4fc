/** Ping limits and read rules as data (design.md: no literals in code). */
export const pingLimits = {
  /** Komari's ping queries aim at about this many points per window (public-api.md §4.3) */
  recordTargetPoints: 4000,
  /** common:getNodesLatestStatus summarises the last hour (rpc2.md §10.1) */
  summaryWindowMs: 3_600_000,
  /** and caches a node's summary this long, as Komari does */
  summaryCacheMs: 60_000,
  maxNameLength: 255,
  maxTargetLength: 255,
  /** a week: the scheduler's timers stay far below setInterval's 2^31 ms ceiling */
  maxIntervalSeconds: 604_800,
  types: ['icmp', 'tcp', 'http'] as const,
} as const;

export type PingType = (typeof pingLimits.types)[number];
