import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../errors.ts';

/** Where a Komari import reads from: the main database and, when there is one, the metric store beside it. */
export interface KomariSource {
  komariDb: string;
  metricsDb?: string;
}

/**
 * A Komari data folder (`./data`, holding komari.db and maybe metrics.db), or a komari.db file
 * given directly (its folder is searched for metrics.db). A Komari backup zip is extracted and
 * validated by backup/ before it gets here.
 */
export function resolveKomariSource(path: string): KomariSource {
  if (!existsSync(path)) throw AppError.invalidParams(`${path} does not exist`);
  const stat = statSync(path);
  const dir = stat.isDirectory() ? path : dirname(path);
  const komariDb = stat.isDirectory() ? join(path, 'komari.db') : path;
  if (!stat.isDirectory() && /\.zip$/i.test(path)) throw AppError.invalidParams(`${basename(path)}: importing a zip is not supported here; unzip it and give the folder`);
  if (!existsSync(komariDb)) throw AppError.invalidParams(`${path} holds no komari.db: give a Komari data folder`);
  const metricsDb = join(dir, 'metrics.db');
  return existsSync(metricsDb) ? { komariDb, metricsDb } : { komariDb };
}
