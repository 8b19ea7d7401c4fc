import { lstatSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../app-context.ts';
import { dataDirOf } from '../config/data-dir.ts';

/**
 * Komari restores a `data/backup.zip` found at start (admin-api.md §11.3); so do we, through the
 * same validation and live swap as an upload. The file is first moved into `backup/`, so a
 * restore that fails is not tried again at every start: a refused archive stays there as
 * `refused-<time>.zip`, next to the reason in the log.
 */
export async function restoreDroppedBackup(app: AppContext): Promise<void> {
  const dataDir = dataDirOf(app.config);
  const dropped = join(dataDir, 'backup.zip');
  const found = lstatSync(dropped, { throwIfNoEntry: false });
  if (!found) return;
  const stamp = new Date(app.clock.now()).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  mkdirSync(join(dataDir, 'backup'), { recursive: true });
  const held = join(dataDir, 'backup', `dropped-${stamp}.zip`);
  renameSync(dropped, held);
  if (!found.isFile()) {
    // A link is not followed (to a file elsewhere, or a FIFO whose open would wait for a writer
    // forever, with the restore lock held); neither is a folder or a device read.
    const refused = join(dataDir, 'backup', `refused-${stamp}.zip`);
    renameSync(held, refused);
    app.log.error(`data/backup.zip was not restored: it is not a regular file (a link, a folder or a device); it is kept as ${refused}`);
    return;
  }
  app.log.info('data/backup.zip found: restoring it');
  try {
    const accepted = await app.restore.accept(held, 'backup.zip', { ip: '', actor: '' });
    await accepted.apply();
    rmSync(held, { force: true });
  } catch (err) {
    const refused = join(dataDir, 'backup', `refused-${stamp}.zip`);
    renameSync(held, refused);
    app.log.error(`data/backup.zip was not restored: ${(err as Error).message}; it is kept as ${refused}`);
  }
}
