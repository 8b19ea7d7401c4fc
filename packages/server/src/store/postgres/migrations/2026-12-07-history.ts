import type { PgMigration } from '../migrations.ts';

export const migration: PgMigration = {
  // SQLite's history rollups (its 2026-11-25-history-buckets) in PostgreSQL's dialect: REAL is
  // DOUBLE PRECISION (both 8-byte floats, so values read back bit for bit), INTEGER is BIGINT.
  // The primary key leads with the node, as SQLite's, so range/latest are one index seek; prune
  // reaches every node through history_nodes. Buckets cascade from their node, so a write racing
  // a node's deletion cannot leave rows no node owns.
  id: '2026-12-07-history',
  sql: `
    CREATE TABLE history_nodes (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      uuid TEXT NOT NULL UNIQUE
    );
    CREATE TABLE history_tiers (
      width BIGINT PRIMARY KEY
    );
    CREATE TABLE history_buckets (
      node BIGINT NOT NULL REFERENCES history_nodes(id) ON DELETE CASCADE,
      width BIGINT NOT NULL,
      start BIGINT NOT NULL,
      count BIGINT NOT NULL,
      gpu_count BIGINT NOT NULL,
      cpu_sum DOUBLE PRECISION NOT NULL,
      cpu_max DOUBLE PRECISION NOT NULL,
      gpu_sum DOUBLE PRECISION NOT NULL,
      gpu_max DOUBLE PRECISION NOT NULL,
      ram_sum DOUBLE PRECISION NOT NULL,
      ram_max DOUBLE PRECISION NOT NULL,
      swap_sum DOUBLE PRECISION NOT NULL,
      swap_max DOUBLE PRECISION NOT NULL,
      load_sum DOUBLE PRECISION NOT NULL,
      load_max DOUBLE PRECISION NOT NULL,
      disk_sum DOUBLE PRECISION NOT NULL,
      disk_max DOUBLE PRECISION NOT NULL,
      net_in_sum DOUBLE PRECISION NOT NULL,
      net_in_max DOUBLE PRECISION NOT NULL,
      net_out_sum DOUBLE PRECISION NOT NULL,
      net_out_max DOUBLE PRECISION NOT NULL,
      process_sum DOUBLE PRECISION NOT NULL,
      process_max DOUBLE PRECISION NOT NULL,
      connections_sum DOUBLE PRECISION NOT NULL,
      connections_max DOUBLE PRECISION NOT NULL,
      connections_udp_sum DOUBLE PRECISION NOT NULL,
      connections_udp_max DOUBLE PRECISION NOT NULL,
      last_at BIGINT NOT NULL,
      net_total_up DOUBLE PRECISION NOT NULL,
      net_total_down DOUBLE PRECISION NOT NULL,
      ram_total DOUBLE PRECISION NOT NULL,
      swap_total DOUBLE PRECISION NOT NULL,
      disk_total DOUBLE PRECISION NOT NULL,
      traffic_up DOUBLE PRECISION NOT NULL,
      traffic_down DOUBLE PRECISION NOT NULL,
      PRIMARY KEY (node, width, start)
    );
  `,
};
