import { dirname, resolve } from 'node:path';
import type { BootConfig } from './boot-config.ts';

/**
 * The data folder: where the database lives, and beside it themes, the favicon and backups
 * (Komari's `./data`). One place decides it, so a later `KOMARI_DATA_DIR` changes one line.
 */
export function dataDirOf(config: BootConfig): string {
  return dirname(resolve(config.db));
}
