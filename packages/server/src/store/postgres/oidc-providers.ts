import type pg from 'pg';
import type { OidcProviderRow, OidcProviderStore } from '../types.ts';

/** OAuth provider configurations in `oidc_providers` (as store/sqlite/oidc-providers.ts). */
export function pgOidcProviders(pool: pg.Pool): OidcProviderStore {
  return {
    async get(name) {
      const r = (await pool.query<OidcProviderRow>('SELECT name, addition FROM oidc_providers WHERE name = $1', [name])).rows[0];
      return r ? { name: r.name, addition: r.addition } : undefined;
    },
    async set(row) {
      await pool.query(
        'INSERT INTO oidc_providers (name, addition) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET addition = excluded.addition',
        [row.name, row.addition],
      );
    },
    async list() {
      // COLLATE "C": byte order, as SQLite's BINARY, whatever the database's locale.
      const rows = (await pool.query<OidcProviderRow>('SELECT name, addition FROM oidc_providers ORDER BY name COLLATE "C"')).rows;
      return rows.map((r) => ({ name: r.name, addition: r.addition }));
    },
  };
}
