import { chmod, chown, cp, lstat, mkdir, opendir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { type Args, has, int, octal, parseMode, str } from './args.ts';
import { FileOpError, isCode } from './errors.ts';
import { accounts, describeFile, type FileInfo } from './info.ts';
import { fileLimits } from './limits.ts';
import type { FileScope } from './scope.ts';
import { replaceAtomically } from './atomic.ts';

/** The metadata operations of the file manager (komari-1.5.md §2.3), results as the Go agent's. */

export async function listRoots(scope: FileScope): Promise<FileInfo[]> {
  return [await describeFile(await scope.root(), scope)];
}

/** Directories first, then by name ignoring case; entries that vanish meanwhile are left out. */
export async function list(scope: FileScope, args: Args): Promise<FileInfo[]> {
  const dir = await scope.resolve(str(args, 'path'));
  const files: FileInfo[] = [];
  const handle = await opendir(dir);
  for await (const entry of handle) {
    if (files.length >= fileLimits.listEntries) {
      await handle.close().catch(() => {});
      throw new FileOpError(`directory has more than ${fileLimits.listEntries} entries`);
    }
    try {
      files.push(await describeFile(join(dir, entry.name), scope));
    } catch {
      // gone, or unreadable: Go skips it too
    }
  }
  files.sort((a, b) => {
    if (a.is_dir !== b.is_dir) return a.is_dir ? -1 : 1;
    const x = a.name.toLowerCase();
    const y = b.name.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return files;
}

export async function statPath(scope: FileScope, args: Args): Promise<FileInfo> {
  return describeFile(await scope.resolve(str(args, 'path')), scope);
}

export async function makeDir(scope: FileScope, args: Args): Promise<{ created: true }> {
  const path = await scope.resolve(str(args, 'path'));
  const mode = str(args, 'mode') === '' ? 0o755 : parseMode(str(args, 'mode'));
  await mkdir(path, { recursive: true, mode });
  return { created: true };
}

export async function remove(scope: FileScope, args: Args): Promise<{ deleted: true }> {
  const path = await scope.resolve(str(args, 'path'));
  const refused = await scope.isProtected(path);
  if (refused) throw new FileOpError(refused);
  await lstat(path);
  await rm(path, { recursive: true, force: false });
  return { deleted: true };
}

/** `child` lies strictly below `parent`. */
function contains(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel);
}

async function pair(scope: FileScope, args: Args): Promise<[string, string]> {
  const source = str(args, 'source');
  const destination = str(args, 'destination');
  if (source === '' || destination === '') throw new FileOpError('source and destination are required');
  return [await scope.resolve(source), await scope.resolve(destination)];
}

/** rename(2); across filesystems, copy then remove (as the Go agent). */
export async function move(scope: FileScope, args: Args): Promise<{ moved: true }> {
  const [source, destination] = await pair(scope, args);
  if (source === destination) return { moved: true };
  if (await scope.isProtected(source)) throw new FileOpError('permission denied: refusing to move a root');
  if (contains(source, destination)) throw new FileOpError('cannot move a path into itself');
  await mkdir(dirname(destination), { recursive: true, mode: 0o755 });
  try {
    await rename(source, destination);
  } catch (err) {
    if (!isCode(err, 'EXDEV')) throw err;
    await copyTree(source, destination);
    await rm(source, { recursive: true, force: false });
  }
  return { moved: true };
}

export async function copy(scope: FileScope, args: Args): Promise<{ copied: true }> {
  const [source, destination] = await pair(scope, args);
  if (source === destination) throw new FileOpError('source and destination are the same');
  const info = await lstat(source);
  if (info.isDirectory() && contains(source, destination)) throw new FileOpError('cannot copy a directory into itself');
  await mkdir(dirname(destination), { recursive: true, mode: 0o755 });
  await copyTree(source, destination);
  return { copied: true };
}

/**
 * Recursive, streamed by the kernel (copy_file_range), links copied as links (never followed, so a
 * link inside the root cannot pull a file in from outside), modes and times kept.
 */
function copyTree(source: string, destination: string): Promise<void> {
  return cp(source, destination, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, force: true, dereference: false });
}

export async function changeMode(scope: FileScope, args: Args): Promise<{ mode: string }> {
  const path = await scope.resolve(str(args, 'path'));
  const mode = parseMode(str(args, 'mode'));
  await chmod(path, mode);
  return { mode: octal(mode) };
}

/** uid/gid as numbers, or owner/group as names (or numbers in text); −1 leaves one unchanged. */
export async function changeOwner(scope: FileScope, args: Args): Promise<{ uid: number; gid: number }> {
  const path = await scope.resolve(str(args, 'path'));
  let uid = has(args, 'uid') ? int(args, 'uid', Number.NaN) : -1;
  let gid = has(args, 'gid') ? int(args, 'gid', Number.NaN) : -1;
  const owner = str(args, 'owner');
  const group = str(args, 'group');
  if (owner !== '') uid = accounts.idOf(owner, 'user') ?? fail(`unknown user ${owner.slice(0, 64)}`);
  if (group !== '') gid = accounts.idOf(group, 'group') ?? fail(`unknown group ${group.slice(0, 64)}`);
  for (const [name, v] of [['uid', uid], ['gid', gid]] as const) {
    if (!Number.isInteger(v) || v < -1 || v > 0xffff_fffe) throw new FileOpError(`invalid ${name}`);
  }
  if (uid === -1 && gid === -1) throw new FileOpError('uid, gid, owner or group is required');
  await chown(path, uid, gid);
  return { uid, gid };
}

function fail(message: string): never {
  throw new FileOpError(message);
}

/** An empty file (the server's zero-byte upload); an existing file is emptied in one step. */
export async function create(scope: FileScope, args: Args): Promise<{ created: true; size: 0 }> {
  const path = await scope.resolve(str(args, 'path'));
  if (await scope.isProtected(path)) throw new FileOpError('upload path must be a file');
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new FileOpError('cannot replace a directory with a file');
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  await replaceAtomically(path, Buffer.alloc(0));
  return { created: true, size: 0 };
}
