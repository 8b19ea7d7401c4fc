import { type FileHandle, lstat, open, readlink, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { FileOpError, isCode, OUTSIDE_ROOT } from './errors.ts';
import { fileLimits } from './limits.ts';

/**
 * Where file operations may reach. Without `--file-root`: any absolute path, as in Komari.
 * With it (komari-ts): only that folder. A path is resolved against the root, then every symbolic
 * link on the way is followed (realpath on the deepest part that exists, dangling links read by
 * hand), so `..`, an absolute path elsewhere, or a link inside the root that points out are all
 * refused before anything is touched. What an operation acts on is the real parent plus the last
 * name, so delete/rename of a link act on the link, never on what it points to.
 */
export class FileScope {
  readonly #configured: string;
  #root: Promise<string> | undefined;

  /** `fileRoot`: absolute (config.ts resolves it), or '' for the whole filesystem */
  constructor(fileRoot: string) {
    this.#configured = fileRoot;
  }

  get confined(): boolean {
    return this.#configured !== '';
  }

  /** The real path of the root ('/' when not confined); an error when the folder is unusable. */
  root(): Promise<string> {
    if (!this.confined) return Promise.resolve(sep);
    this.#root ??= realpath(this.#configured).catch((err: unknown) => {
      this.#root = undefined; // it may appear later
      throw new FileOpError(`file root ${this.#configured} is unavailable: ${(err as Error).message}`);
    });
    return this.#root;
  }

  /** The path an operation acts on, for the `path`-like argument `input`. */
  async resolve(input: string): Promise<string> {
    if (input.includes('\0')) throw new FileOpError('invalid path');
    if (!this.confined) return unconfined(input);
    const root = await this.root();
    const full = resolve(root, input === '' ? '.' : input);
    if (!within(root, full)) throw new FileOpError(OUTSIDE_ROOT);
    if (full === root) return root;
    const parent = await realOf(dirname(full));
    if (!within(root, parent)) throw new FileOpError(OUTSIDE_ROOT);
    const target = join(parent, basename(full));
    if (!within(root, await realOf(target))) throw new FileOpError(OUTSIDE_ROOT);
    return target;
  }

  /**
   * Opens a path `resolve` returned, and checks what was opened: between the check and the open a
   * folder on the way (or the file) may have been swapped for a link out of the root, and the
   * open would follow it. The descriptor's own path (`/proc/self/fd`, else a fresh realpath whose
   * inode must be the descriptor's) must be inside the root, or it is closed and refused.
   */
  async open(path: string, flags: string | number, mode?: number): Promise<FileHandle> {
    const handle = await open(path, flags, mode);
    if (!this.confined) return handle;
    try {
      if (!within(await this.root(), await openedPath(handle, path))) throw new FileOpError(OUTSIDE_ROOT);
      return handle;
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Whether a real path is one the scope shows (used to decide whether to follow a listed link). */
  async allows(realPath: string): Promise<boolean> {
    return !this.confined || within(await this.root(), realPath);
  }

  /** A filesystem root or the file root: never deleted or moved. */
  async isProtected(path: string): Promise<string | undefined> {
    if (path === sep || dirname(path) === path) return 'refusing to delete a filesystem root';
    if (this.confined && path === (await this.root())) return 'permission denied: refusing to change the file root itself';
    return undefined;
  }
}

/** The real path of the file `handle` has open; '' when it cannot be told for sure. */
async function openedPath(handle: FileHandle, path: string): Promise<string> {
  const viaProc = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
  if (viaProc !== undefined && isAbsolute(viaProc)) return viaProc;
  const [real, opened] = await Promise.all([realpath(path), handle.stat()]);
  const now = await stat(real);
  return now.dev === opened.dev && now.ino === opened.ino ? real : '';
}

/** Komari: '' is '/', '~' is the home folder, anything else must be absolute. */
function unconfined(input: string): string {
  if (input === '') return sep;
  if (input === '~' || input.startsWith('~/')) return resolve(homedir(), input.slice(2));
  if (!isAbsolute(input)) throw new FileOpError(`path must be absolute: ${input.slice(0, 200)}`);
  return resolve(input);
}

function within(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * The real path of `path` whether or not it exists: realpath of the deepest existing part plus the
 * rest. A dangling link is followed by hand, so a link to a not-yet-existing file outside is seen.
 */
async function realOf(path: string, hops = 0): Promise<string> {
  try {
    return await realpath(path);
  } catch (err) {
    if (!isCode(err, 'ENOENT', 'ENOTDIR')) throw err;
  }
  const parent = dirname(path);
  if (parent === path) return path;
  const realParent = await realOf(parent, hops);
  const here = join(realParent, basename(path));
  let link: string | undefined;
  try {
    if ((await lstat(here)).isSymbolicLink()) link = await readlink(here);
  } catch (err) {
    if (!isCode(err, 'ENOENT', 'ENOTDIR')) throw err;
  }
  if (link === undefined) return here;
  if (hops >= fileLimits.symlinkHops) throw new FileOpError(`${path}: too many levels of symbolic links`);
  return realOf(resolve(realParent, link), hops + 1);
}
