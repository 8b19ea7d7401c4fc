import { StoreFileError } from './errors.ts';
import { isPostgresUrl } from './postgres/connection.ts';
import { openSqliteStore } from './sqlite/open.ts';
import type { Store } from './types.ts';

/**
 * The store `KOMARI_DB` names: a SQLite file, or (the scheme decides) a PostgreSQL database.
 * The PostgreSQL engine is being built repository by repository (store/postgres/, held to
 * SQLite's behaviour by test/store-conformance/); until it has them all, a PostgreSQL URL is
 * refused with a message instead of being taken for a file name. The URL is never repeated: it
 * may carry a password.
 */
export function openStore(db: string): Store {
  if (isPostgresUrl(db)) {
    throw new StoreFileError('KOMARI_DB names a PostgreSQL database, which this version of komari-ts cannot run on yet; set KOMARI_DB to a SQLite file');
  }
  return openSqliteStore(db);
}
