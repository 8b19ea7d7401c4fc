import type { PgMigration } from '../migrations.ts';

export const migration: PgMigration = {
  // Values are JSON text, as SQLite's table and Komari's `configs` keep them.
  id: '2026-12-07-settings',
  sql: `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
};
