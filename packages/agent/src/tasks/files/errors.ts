/**
 * Error texts as the official Go agent words them, because the server maps them to codes by their
 * words (komari-1.5.md §2.2: "permission denied", "no such file", "not found", "unsupported file
 * operation", "web control is disabled"). Node's `ENOENT: no such file or directory, lstat '/x'`
 * becomes Go's `lstat /x: no such file or directory`.
 */
const describe: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'file exists',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ENOTEMPTY: 'directory not empty',
  EXDEV: 'invalid cross-device link',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EBUSY: 'device or resource busy',
  EINVAL: 'invalid argument',
  EMFILE: 'too many open files',
};

/** A failure whose text goes to the admin as is. */
export class FileOpError extends Error {}

export const OUTSIDE_ROOT = 'permission denied: outside the file root';
export const WEB_CONTROL_DISABLED = 'web control is disabled';

export function errorMessage(err: unknown): string {
  if (err instanceof FileOpError) return err.message;
  const e = err as NodeJS.ErrnoException;
  const text = e?.code ? describe[e.code] : undefined;
  if (text) return e.syscall && e.path ? `${e.syscall} ${e.path}: ${text}` : text;
  return err instanceof Error ? err.message : String(err);
}

export function isCode(err: unknown, ...codes: string[]): boolean {
  return codes.includes((err as NodeJS.ErrnoException)?.code ?? '');
}
