import { statSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import type { DatabaseFiles } from '../types.ts';

/** The journal files SQLite keeps beside a database in WAL mode. */
const companions = ['', '-wal', '-shm'];

/**
 * The SQLite file and its WAL on disk. An in-memory database has no file: it measures 0 bytes.
 * VACUUM runs on the store's one connection: node:sqlite is synchronous and every transaction is
 * opened and committed within one call (transaction.ts), so none is open when it starts.
 */
export function sqliteFiles(db: DatabaseSync, path: string): DatabaseFiles {
  return {
    async size() {
      if (path === ':memory:') return 0;
      let total = 0;
      for (const suffix of companions) total += statSync(path + suffix, { throwIfNoEntry: false })?.size ?? 0;
      return total;
    },
    async vacuum() {
      // Komari's order: the WAL into the file and truncated, the file rebuilt, then the WAL VACUUM
      // wrote into the file too, so the size measured after is what the rebuild left.
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      db.exec('VACUUM');
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    },
    async snapshotTo(target) {
      // VACUUM INTO reads one transaction's view of the database into a fresh file.
      db.exec(`VACUUM INTO '${target.replace(/'/g, "''")}'`);
    },
  };
}
