import { isPostgresUrl } from './postgres/connection.ts';
import { openPostgresStore, type OpenPostgresOptions } from './postgres/open.ts';
import { openSqliteStore } from './sqlite/open.ts';
import type { Store } from './types.ts';

/**
 * The store `KOMARI_DB` names: a PostgreSQL database for a `postgres://` or `postgresql://`
 * URL, a SQLite file otherwise. `pg` applies to PostgreSQL only (its schema, how long to wait
 * for it at start).
 */
export async function openStore(db: string, pg: OpenPostgresOptions = {}): Promise<Store> {
  if (isPostgresUrl(db)) return openPostgresStore(db, pg);
  return openSqliteStore(db);
}
