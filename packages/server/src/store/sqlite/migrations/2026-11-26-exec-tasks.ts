import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  // Remote exec (admin-api.md §5): Komari's table names. Result rows are purged after 30 days
  // by creation time, tasks are kept; `seq` and the result `id` keep creation order.
  id: '2026-11-26-exec-tasks',
  sql: `
    CREATE TABLE tasks (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      task_id TEXT NOT NULL UNIQUE,
      clients TEXT NOT NULL DEFAULT '[]',
      command TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE task_results (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      task_id TEXT NOT NULL,
      client TEXT NOT NULL,
      result TEXT NOT NULL DEFAULT '',
      exit_code INTEGER,
      finished_at INTEGER,
      created_at INTEGER NOT NULL,
      UNIQUE (task_id, client)
    );
    CREATE INDEX task_results_created ON task_results(created_at);
  `,
};
