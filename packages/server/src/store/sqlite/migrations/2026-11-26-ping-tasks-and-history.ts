import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  // Ping tasks (admin-api.md §4; Komari's table, `all_clients` = default_on) and ping history
  // (decision 6): one row per (series, width, bucket) with sent/lost counts so loss is exact.
  // Series are numbered in ping_series so a bucket row carries a small integer; ping_tiers
  // remembers the widths written, so rows of a retired width are pruned.
  id: '2026-11-26-ping-tasks-and-history',
  sql: `
    CREATE TABLE ping_tasks (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      weight INTEGER NOT NULL DEFAULT 0,
      name TEXT NOT NULL,
      clients TEXT NOT NULL DEFAULT '[]',
      all_clients INTEGER NOT NULL DEFAULT 0,
      type TEXT NOT NULL DEFAULT 'icmp',
      target TEXT NOT NULL,
      "interval" INTEGER NOT NULL DEFAULT 60
    );
    CREATE INDEX ping_tasks_weight ON ping_tasks(weight, id);
    CREATE TABLE ping_series (
      id INTEGER PRIMARY KEY,
      task INTEGER NOT NULL,
      node TEXT NOT NULL,
      UNIQUE (task, node)
    );
    CREATE INDEX ping_series_node ON ping_series(node);
    CREATE TABLE ping_tiers (
      width INTEGER PRIMARY KEY
    );
    CREATE TABLE ping_buckets (
      series INTEGER NOT NULL,
      width INTEGER NOT NULL,
      start INTEGER NOT NULL,
      sent INTEGER NOT NULL,
      lost INTEGER NOT NULL,
      sum REAL NOT NULL,
      min INTEGER NOT NULL,
      max INTEGER NOT NULL,
      last INTEGER NOT NULL,
      last_at INTEGER NOT NULL,
      PRIMARY KEY (series, width, start)
    ) WITHOUT ROWID;
  `,
};
