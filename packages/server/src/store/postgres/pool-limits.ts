/**
 * How long the server waits on PostgreSQL while it runs. When the database goes down, a request
 * that needs it fails within these with 503 "database is unavailable" instead of hanging, and
 * the pool opens new connections by itself once the database is back.
 */
export interface PgPoolLimits {
  /**
   * a new connection must be open within this (pg-pool's `connectionTimeoutMillis`), which is
   * also the longest a query waits for a free connection: a host that drops packets
   * instead of refusing them fails here
   */
  connectTimeoutMs: number;
  /**
   * a query with no answer for this long fails (pg's `query_timeout`): a connection whose server
   * vanished without a reset; the connection is then dropped, not reused
   */
  queryTimeoutMs: number;
  /** the same for migrations at start and an admin's VACUUM, long by nature */
  maintenanceQueryTimeoutMs: number;
  /** at stop, how long closing the pool waits for queries still running on a stalled connection */
  closeWaitMs: number;
}

export const defaultPgPoolLimits: PgPoolLimits = {
  connectTimeoutMs: 5_000,
  // the longest normal query is an hourly prune of a large fleet's history: seconds
  queryTimeoutMs: 30_000,
  maintenanceQueryTimeoutMs: 3_600_000,
  // see history's stopStallMs: a stop stays within 10 s
  closeWaitMs: 2_000,
};
