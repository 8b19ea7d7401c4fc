import { dirname, resolve } from 'node:path';
import { isPostgresUrl } from '../store/postgres/connection.ts';
import type { BootConfig } from './boot-config.ts';

/**
 * The data folder: themes, the favicon, backups and uploads (Komari's `./data`), and for SQLite
 * the database's own folder unless KOMARI_DATA_DIR says otherwise. A PostgreSQL URL has no
 * folder, so it gets KOMARI_DATA_DIR or `./data`.
 */
export function dataDirOf(config: Pick<BootConfig, 'db' | 'dataDir'>): string {
  if (config.dataDir) return resolve(config.dataDir);
  if (isPostgresUrl(config.db)) return resolve('data');
  return dirname(resolve(config.db));
}
