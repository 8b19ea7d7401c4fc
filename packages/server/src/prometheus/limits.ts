/** What `/metrics` keeps in memory and how fresh its slower figures are (config/limits.ts `prometheus`). */
export interface PrometheusLimits {
  /** results per (ping task, node) the loss ratio is taken over; one byte each */
  pingLossWindow: number;
  /** a database size is measured again after this long (on PostgreSQL it is a query, not a stat) */
  databaseSizeMaxAgeMs: number;
  /** the event-loop lag figures cover the last complete window of this length */
  eventLoopWindowMs: number;
  /** how often the event loop is sampled (perf_hooks monitorEventLoopDelay) */
  eventLoopResolutionMs: number;
}

export const defaultPrometheusLimits: PrometheusLimits = {
  pingLossWindow: 100,
  databaseSizeMaxAgeMs: 60_000,
  eventLoopWindowMs: 60_000,
  eventLoopResolutionMs: 20,
};
