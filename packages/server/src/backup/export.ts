import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { AppContext } from '../app-context.ts';
import { randomToken } from '../auth/random-token.ts';
import { backupName, markerName, markerText } from './archive-name.ts';

/** Files of the data folder a backup carries beside the database, if present (admin-api.md §11.1). */
const extraFiles = ['favicon.ico', 'font.ttf'];
const extraFolders = ['theme'];

export interface BackupArchive {
  name: string;
  path: string;
  size: number;
}

/** Every file under `dir`, as paths relative to `base` with forward slashes; folders end in `/`. */
function walk(base: string, rel: string, out: Array<{ rel: string; dir: boolean }>): void {
  out.push({ rel: `${rel}/`, dir: true });
  for (const entry of readdirSync(join(base, rel), { withFileTypes: true })) {
    const child = `${rel}/${entry.name}`;
    // Symbolic links are never followed: a backup holds what is in the data folder, nothing else.
    if (entry.isDirectory()) walk(base, child, out);
    else if (entry.isFile()) out.push({ rel: child, dir: false });
  }
}

/**
 * Writes a backup archive in Komari's layout into `data/backup/`: a consistent snapshot of the
 * database (accepted reports flushed first), the favicon, font and themes, and the marker as the
 * last entry. A download (no `name` given) is named as Komari names it, and older downloads
 * beyond `limits.backup.keepDownloads` are deleted; a named archive (a restore's safety copy) is
 * kept.
 */
export async function writeBackup(app: AppContext, dataDir: string, named?: string): Promise<BackupArchive> {
  const now = app.clock.now();
  const dir = join(dataDir, 'backup');
  mkdirSync(dir, { recursive: true });
  const name = named ?? backupName(now);
  const snapshot = join(dir, `.snapshot-${randomToken(8)}.db`);
  const part = join(dir, `${name}.part`);
  try {
    await app.history.flush();
    await app.ping.history.flush();
    await app.store.files.snapshotTo(snapshot);
    const zip = new ZipFile();
    zip.addFile(snapshot, 'komari.db');
    for (const f of extraFiles) if (existsSync(join(dataDir, f)) && statSync(join(dataDir, f)).isFile()) zip.addFile(join(dataDir, f), f);
    for (const folder of extraFolders) {
      if (!existsSync(join(dataDir, folder))) continue;
      const entries: Array<{ rel: string; dir: boolean }> = [];
      walk(dataDir, folder, entries);
      for (const e of entries) {
        if (e.dir) zip.addEmptyDirectory(e.rel);
        else zip.addFile(join(dataDir, e.rel), e.rel);
      }
    }
    zip.addBuffer(Buffer.from(markerText(now)), markerName);
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(part));
    renameSync(part, join(dir, name));
  } finally {
    rmSync(snapshot, { force: true });
    rmSync(part, { force: true });
  }
  if (named === undefined) pruneDownloads(dir, app.limits.backup.keepDownloads);
  return { name, path: join(dir, name), size: statSync(join(dir, name)).size };
}

/**
 * Deletes all but the newest `keep` safety copies (`pre-restore-<time>.zip`, `-<n>` for a second
 * one within the same second), never `justWritten`.
 */
export function prunePreRestore(dir: string, keep: number, justWritten: string): void {
  const order = (f: string) => {
    const m = /^pre-restore-(\d{8}-\d{6})(?:-(\d{1,6}))?\.zip$/.exec(f);
    return m ? `${m[1]}-${m[2]?.padStart(6, '0') ?? '000001'}` : undefined;
  };
  const copies = readdirSync(dir)
    .filter((f) => order(f) !== undefined && f !== justWritten)
    .sort((a, b) => order(a)!.localeCompare(order(b)!));
  for (const old of copies.slice(0, Math.max(0, copies.length - Math.max(0, keep - 1)))) rmSync(join(dir, old), { force: true });
}

function pruneDownloads(dir: string, keep: number): void {
  const archives = readdirSync(dir).filter((f) => /^backup-\d{8}-\d{6}\.\d{6}\.zip$/.test(f)).sort();
  for (const old of archives.slice(0, Math.max(0, archives.length - keep))) rmSync(join(dir, old), { force: true });
}
