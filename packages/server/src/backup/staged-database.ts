import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { ImportReport } from '@komari-ts/protocol/import-report';
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';
import { detectKomariSchema } from '../import/komari/detect.ts';
import { importKomari } from '../import/komari/import-komari.ts';
import { migrations } from '../store/sqlite/migrations.ts';
import { openSqliteStore } from '../store/sqlite/open.ts';
import type { Store } from '../store/types.ts';
import { stagedDb } from './unpack.ts';

export type BackupKind = 'komari-ts' | 'komari';

export interface StagedDatabase {
  kind: BackupKind;
  /** what a Komari database brought over */
  report?: ImportReport;
}

const refuse = (message: string) => AppError.invalidParams(message);
export const unknownSchema = 'invalid backup file: database of an unknown schema';

function sqliteWords(err: unknown): string {
  const e = err as Error & { errstr?: string };
  return e.errstr ?? e.message;
}

/** Opens the staged file, runs SQLite's integrity check and says whose database it is. */
function classify(path: string): BackupKind {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
  } catch (err) {
    throw refuse(`invalid backup file: the database cannot be opened (${sqliteWords(err)})`);
  }
  try {
    let check: string;
    try {
      check = String(db.prepare('PRAGMA integrity_check(1)').get()?.integrity_check);
    } catch (err) {
      throw refuse(`invalid backup file: the database is corrupt (${sqliteWords(err)})`);
    }
    if (check !== 'ok') throw refuse(`invalid backup file: the database is corrupt (${check})`);
    const hasMigrations = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (hasMigrations) {
      // An older komari-ts schema is migrated forward; a migration we do not have means a newer one.
      const known = new Set(migrations.map((m) => m.id));
      const ids = db.prepare('SELECT id FROM schema_migrations').all().map((r) => String(r.id));
      if (ids.length > 0 && ids.every((id) => known.has(id))) return 'komari-ts';
      throw refuse(unknownSchema);
    }
    if (detectKomariSchema(db)) return 'komari';
    throw refuse(unknownSchema);
  } finally {
    db.close();
  }
}

/** Opens the staged file as a komari-ts store (running its migrations) and closes it again. */
async function migrateStaged(path: string): Promise<void> {
  let store: Store;
  try {
    store = openSqliteStore(path);
  } catch (err) {
    // The staging path is the server's business, not the uploader's.
    throw refuse(`invalid backup file: the database cannot be upgraded (${(err as Error).message.replaceAll(path, 'komari.db')})`);
  }
  await store.close();
}

/**
 * Makes the staged `komari.db` one the server can open as it is: a komari-ts database migrated
 * forward, or a Komari database converted into a fresh komari-ts database beside it (so a failing
 * import never touches the live data). Refuses a corrupt database and one of an unknown schema.
 */
export async function prepareStagedDatabase(staging: string, clock: Clock): Promise<StagedDatabase> {
  const path = stagedDb(staging);
  if (!existsSync(path)) throw refuse('invalid backup file: komari.db is missing');
  const kind = classify(path);
  if (kind === 'komari-ts') {
    await migrateStaged(path);
    return { kind };
  }
  const source = join(staging, 'komari-source.db');
  const metrics = join(staging, 'metrics.db');
  renameSync(path, source);
  const store = openSqliteStore(path);
  let report: ImportReport;
  try {
    report = await importKomari({ komariDb: source, metricsDb: existsSync(metrics) ? metrics : undefined }, store, { clock });
  } catch (err) {
    // The import names its files; here they are the server's staging paths, not the uploader's.
    const message = (err as Error).message.replaceAll(source, 'komari.db').replaceAll(staging, '.');
    throw err instanceof AppError ? new AppError(err.code, message, err.data) : refuse(`invalid backup file: the Komari data could not be imported (${message})`);
  } finally {
    await store.close();
  }
  rmSync(source, { force: true });
  rmSync(metrics, { force: true });
  return { kind, report };
}
