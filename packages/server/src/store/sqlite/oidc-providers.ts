import type { DatabaseSync } from 'node:sqlite';
import type { OidcProviderRow, OidcProviderStore } from '../types.ts';

function toRow(r: Record<string, unknown>): OidcProviderRow {
  return { name: String(r.name), addition: String(r.addition) };
}

export function sqliteOidcProviders(db: DatabaseSync): OidcProviderStore {
  return {
    async get(name) {
      const r = db.prepare('SELECT name, addition FROM oidc_providers WHERE name = ?').get(name);
      return r ? toRow(r) : undefined;
    },
    async set(row) {
      db.prepare(
        'INSERT INTO oidc_providers (name, addition) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET addition = excluded.addition',
      ).run(row.name, row.addition);
    },
    async list() {
      return db.prepare('SELECT name, addition FROM oidc_providers ORDER BY name').all().map(toRow);
    },
  };
}
