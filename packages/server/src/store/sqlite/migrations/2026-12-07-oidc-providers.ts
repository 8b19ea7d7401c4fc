import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  // OAuth provider configurations (admin-api.md §3.5): Komari's table, `addition` a JSON string.
  id: '2026-12-07-oidc-providers',
  sql: `
    CREATE TABLE oidc_providers (
      name TEXT PRIMARY KEY,
      addition TEXT NOT NULL DEFAULT '{}'
    );
  `,
};
