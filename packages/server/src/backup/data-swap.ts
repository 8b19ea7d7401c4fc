import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DataSwap } from '../lifecycle.ts';

/** The files a backup replaces, beside the database (its journal files go with it). */
const beside = ['favicon.ico', 'font.ttf', 'theme'];

interface Move {
  from: string;
  to: string;
}

/**
 * Exchanges the data folder's restorable files for the staged ones by renames within the data
 * folder (one file system, so each is atomic): the database and its journal files, the favicon,
 * the font and the themes. What was there goes to `aside` until `commit` deletes it; `rollback`
 * puts it back. Backups, uploads and anything else in the folder are left alone.
 */
export function dataSwap(dataDir: string, dbPath: string, staging: string, aside: string): DataSwap {
  const current = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, ...beside.map((f) => join(dataDir, f))];
  const staged: Move[] = [{ from: join(staging, 'komari.db'), to: dbPath }, ...beside.map((f) => ({ from: join(staging, f), to: join(dataDir, f) }))];
  const movedAside: Move[] = [];
  const movedIn: Move[] = [];

  return {
    apply() {
      mkdirSync(aside, { recursive: true });
      for (const path of current) {
        if (!existsSync(path)) continue;
        const move = { from: path, to: join(aside, basename(path)) };
        renameSync(move.from, move.to);
        movedAside.push(move);
      }
      for (const move of staged) {
        if (!existsSync(move.from)) continue;
        renameSync(move.from, move.to);
        movedIn.push(move);
      }
    },
    rollback() {
      for (const move of movedIn.splice(0).reverse()) rmSync(move.to, { recursive: true, force: true });
      // Journal files the failed open left beside the restored database are not the old one's.
      for (const suffix of ['-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
      for (const move of movedAside.splice(0).reverse()) renameSync(move.to, move.from);
      rmSync(aside, { recursive: true, force: true });
      rmSync(staging, { recursive: true, force: true });
    },
    commit() {
      rmSync(aside, { recursive: true, force: true });
      rmSync(staging, { recursive: true, force: true });
    },
  };
}
