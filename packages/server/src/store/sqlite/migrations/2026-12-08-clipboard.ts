import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  // Komari's table and column names (admin-api.md §9), so a Komari import maps row to row.
  id: '2026-12-08-clipboard',
  sql: `
    CREATE TABLE clipboards (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      text TEXT NOT NULL DEFAULT '',
      name TEXT NOT NULL DEFAULT '',
      weight INTEGER NOT NULL DEFAULT 0,
      remark TEXT NOT NULL DEFAULT '',
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
  `,
};
