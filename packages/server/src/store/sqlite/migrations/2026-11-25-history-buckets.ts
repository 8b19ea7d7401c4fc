import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  // History rollups (records.md §4, spec/README.md decision 6). Nodes are numbered in
  // history_nodes so each bucket row carries a small integer, not a 36-byte uuid; value columns
  // are REAL so sums beyond 2^53 still read back, and SQLite stores integral REALs as compact
  // integers. history_tiers remembers the widths written, so rows of a retired width are pruned.
  id: '2026-11-25-history-buckets',
  sql: `
    CREATE TABLE history_nodes (
      id INTEGER PRIMARY KEY,
      uuid TEXT NOT NULL UNIQUE
    );
    CREATE TABLE history_tiers (
      width INTEGER PRIMARY KEY
    );
    CREATE TABLE history_buckets (
      node INTEGER NOT NULL,
      width INTEGER NOT NULL,
      start INTEGER NOT NULL,
      count INTEGER NOT NULL,
      gpu_count INTEGER NOT NULL,
      cpu_sum REAL NOT NULL,
      cpu_max REAL NOT NULL,
      gpu_sum REAL NOT NULL,
      gpu_max REAL NOT NULL,
      ram_sum REAL NOT NULL,
      ram_max REAL NOT NULL,
      swap_sum REAL NOT NULL,
      swap_max REAL NOT NULL,
      load_sum REAL NOT NULL,
      load_max REAL NOT NULL,
      disk_sum REAL NOT NULL,
      disk_max REAL NOT NULL,
      net_in_sum REAL NOT NULL,
      net_in_max REAL NOT NULL,
      net_out_sum REAL NOT NULL,
      net_out_max REAL NOT NULL,
      process_sum REAL NOT NULL,
      process_max REAL NOT NULL,
      connections_sum REAL NOT NULL,
      connections_max REAL NOT NULL,
      connections_udp_sum REAL NOT NULL,
      connections_udp_max REAL NOT NULL,
      last_at INTEGER NOT NULL,
      net_total_up REAL NOT NULL,
      net_total_down REAL NOT NULL,
      ram_total REAL NOT NULL,
      swap_total REAL NOT NULL,
      disk_total REAL NOT NULL,
      traffic_up REAL NOT NULL,
      traffic_down REAL NOT NULL,
      PRIMARY KEY (node, width, start)
    ) WITHOUT ROWID;
  `,
};
