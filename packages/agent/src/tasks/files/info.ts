import { type BigIntStats, readFileSync } from 'node:fs';
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import { basename, sep } from 'node:path';
import { octal } from './args.ts';
import type { FileScope } from './scope.ts';

/** One file as the official agent describes it (komari-1.5.md §2.2), field for field. */
export interface FileInfo {
  name: string;
  path: string;
  is_dir: boolean;
  is_symlink: boolean;
  size: number;
  /** Go's FileMode.String(): `drwxr-xr-x`, `-rw-r--r--`, `Lrwxrwxrwx`, … */
  mode: string;
  /** the permission bits, `%04o` */
  mode_octal: string;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  /** RFC 3339 in UTC with up to nanoseconds, as Go writes a time.Time */
  modified_at: string;
  target?: string;
}

/** Go's type letters, in Go's order ("dalTLDpSugct?"), for the ones Linux can show. */
function goMode(s: BigIntStats): string {
  const m = Number(s.mode);
  let letters = '';
  if (s.isDirectory()) letters += 'd';
  if (s.isSymbolicLink()) letters += 'L';
  if (s.isBlockDevice() || s.isCharacterDevice()) letters += 'D';
  if (s.isFIFO()) letters += 'p';
  if (s.isSocket()) letters += 'S';
  if (m & 0o4000) letters += 'u';
  if (m & 0o2000) letters += 'g';
  if (s.isCharacterDevice()) letters += 'c';
  if (m & 0o1000) letters += 't';
  const rwx = 'rwxrwxrwx';
  let perm = '';
  for (let i = 0; i < 9; i++) perm += m & (1 << (8 - i)) ? rwx[i] : '-';
  return (letters || '-') + perm;
}

/** Go's RFC3339Nano: fraction to nanoseconds, trailing zeros dropped, none when whole. */
export function goTime(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const frac = ns % 1_000_000_000n;
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  const digits = frac === 0n ? '' : `.${frac.toString().padStart(9, '0').replace(/0+$/, '')}`;
  return `${base}${digits}Z`;
}

/** `modified_at` back to nanoseconds; undefined when it does not parse (then it is not compared, as in Go). */
export function parseGoTime(text: string): bigint | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/**
 * uid/gid → names from /etc/passwd and /etc/group (what Go's os/user does without cgo), read at
 * most once a minute; an id without a name shows as the number.
 */
class Accounts {
  #read = 0;
  #users = new Map<number, string>();
  #groups = new Map<number, string>();

  #refresh(): void {
    if (Date.now() - this.#read < 60_000) return;
    this.#read = Date.now();
    this.#users = table('/etc/passwd');
    this.#groups = table('/etc/group');
  }

  user(uid: number): string {
    this.#refresh();
    return this.#users.get(uid) ?? String(uid);
  }

  group(gid: number): string {
    this.#refresh();
    return this.#groups.get(gid) ?? String(gid);
  }

  /** A name (or a number) to its id; undefined when unknown. */
  idOf(name: string, kind: 'user' | 'group'): number | undefined {
    if (/^\d+$/.test(name)) return Number(name);
    this.#refresh();
    for (const [id, n] of kind === 'user' ? this.#users : this.#groups) if (n === name) return id;
    return undefined;
  }
}

/** `name:x:id:…` lines; the files are small, but a huge one is read only up to 1 MiB. */
function table(file: string): Map<number, string> {
  const out = new Map<number, string>();
  let text: string;
  try {
    text = readFileSync(file, 'utf8').slice(0, 1024 * 1024);
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name && id && /^\d+$/.test(id) && !out.has(Number(id))) out.set(Number(id), name);
  }
  return out;
}

export const accounts = new Accounts();

/**
 * The FileInfo of `path` (not followed). A link shows its target's type, size, mode, owner and
 * time when the target exists and, under --file-root, lies inside the root, as Go's describeFile.
 */
export async function describeFile(path: string, scope: FileScope): Promise<FileInfo> {
  const own = await lstat(path, { bigint: true });
  const symlink = own.isSymbolicLink();
  let shown = own;
  let target: string | undefined;
  if (symlink) {
    target = await readlink(path).catch(() => undefined);
    try {
      if (await scope.allows(await realpath(path))) shown = await stat(path, { bigint: true });
    } catch {
      // dangling or unreadable: the link itself
    }
  }
  const uid = Number(shown.uid);
  const gid = Number(shown.gid);
  return {
    name: path === sep ? sep : basename(path),
    path,
    is_dir: shown.isDirectory(),
    is_symlink: symlink,
    size: Number(shown.size),
    mode: goMode(shown),
    mode_octal: octal(Number(shown.mode) & 0o777),
    uid,
    gid,
    owner: accounts.user(uid),
    group: accounts.group(gid),
    modified_at: goTime(shown.mtimeNs),
    ...(target !== undefined ? { target } : {}),
  };
}
