import { probeErrorMessageMax } from '@komari-ts/protocol/probe-error';

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

/**
 * Why probes could not run (`probe_error` on ping results), kept in memory per (task, node)
 * until a result without one arrives (config/limits.ts `probeErrors`).
 */
export interface ProbeErrorLimits {
  /** characters of a reason's detail kept; longer is cut (control characters become spaces) */
  maxMessageLength: number;
  /** tasks one node may hold a reason for; past it a new one is not kept (counted in `dropped`) */
  maxPerNode: number;
  /** reasons held over every node; past it a new one is not kept (counted in `dropped`) */
  maxTotal: number;
}

export const defaultProbeErrorLimits: ProbeErrorLimits = {
  maxMessageLength: probeErrorMessageMax,
  maxPerNode: 64,
  // ~300 bytes each with a full detail: 3 MB at most
  maxTotal: 10_000,
};
