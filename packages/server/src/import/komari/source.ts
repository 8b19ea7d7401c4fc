import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unpackBackup, type UnpackLimits } from '../../backup/unpack.ts';
import { AppError } from '../../errors.ts';

/** Where a Komari import reads from: the main database and, when there is one, the metric store beside it. */
export interface KomariSource {
  komariDb: string;
  metricsDb?: string;
}

/**
 * A Komari data folder (`./data`, holding komari.db and maybe metrics.db), or a komari.db file
 * given directly (its folder is searched for metrics.db). A Komari backup zip goes through
 * `withKomariSource`.
 */
export function resolveKomariSource(path: string): KomariSource {
  if (!existsSync(path)) throw AppError.invalidParams(`${path} does not exist`);
  const stat = statSync(path);
  const dir = stat.isDirectory() ? path : dirname(path);
  const komariDb = stat.isDirectory() ? join(path, 'komari.db') : path;
  if (!existsSync(komariDb)) throw AppError.invalidParams(`${path} holds no komari.db: give a Komari data folder`);
  const metricsDb = join(dir, 'metrics.db');
  return existsSync(metricsDb) ? { komariDb, metricsDb } : { komariDb };
}

/**
 * Runs `fn` on a Komari data folder, a komari.db, or a Komari backup zip: the zip is checked and
 * unpacked as a restore would (zip-slip, entry count, expanded size, the marker) into a folder
 * under `workDir`, removed afterwards whatever happens.
 */
export async function withKomariSource<T>(path: string, workDir: string, limits: UnpackLimits, fn: (source: KomariSource) => Promise<T>): Promise<T> {
  if (!/\.zip$/i.test(path) || !existsSync(path) || statSync(path).isDirectory()) return fn(resolveKomariSource(path));
  const unpacked = mkdtempSync(join(workDir, '.import-'));
  try {
    await unpackBackup(path, join(unpacked, 'data'), limits);
    return await fn(resolveKomariSource(join(unpacked, 'data')));
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
  }
}
