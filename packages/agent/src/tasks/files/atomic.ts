import { randomBytes } from '../../wire/random.ts';
import { chmod, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `content` to a temp file beside `path` and renames it over `path`: a reader sees the old
 * file or the new one, never half of it. The new file keeps the old one's permission bits (0644
 * when new), as the Go agent's atomicWrite. `path` itself is replaced, a link there included.
 */
export async function replaceAtomically(path: string, content: Buffer): Promise<void> {
  const temp = join(dirname(path), `.komari-edit-${basename(path).slice(0, 64)}-${randomBytes(6).toString('hex')}`);
  const mode = await stat(path).then((s) => s.mode & 0o7777, () => 0o644);
  let done = false;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temp, mode);
    await rename(temp, path);
    done = true;
  } finally {
    if (!done) await rm(temp, { force: true });
  }
}
