import { AppError } from '../errors.ts';

/**
 * A path the admin names on an agent. The agent resolves it (the admin may address its whole
 * filesystem, so nothing is "outside"); refused here is what can only be a mistake or an attack
 * on the agent's own checks: relative paths, `..` segments, NUL bytes, and very long strings.
 * Windows agents use `/C/…` paths too (komari-1.5.md §2.2), so every path starts with `/`.
 */
export function checkPath(value: string, maxChars: number, name = 'path'): string {
  if (value.length > maxChars) throw AppError.invalidParams(`invalid request: ${name} is longer than ${maxChars} characters`);
  if (value.includes('\0')) throw AppError.invalidParams(`invalid request: ${name} contains a NUL byte`);
  if (!value.startsWith('/')) throw AppError.invalidParams(`invalid request: ${name} must be absolute (start with /)`);
  if (value.split(/[\\/]/).includes('..')) throw AppError.invalidParams(`invalid request: ${name} must not contain '..' segments`);
  return value;
}

/** `mkdir`/`chmod` modes: an octal string as `ls -l` would give it (`755`, `0755`, `1777`). */
export function checkMode(value: string): string {
  if (!/^[0-7]{3,4}$/.test(value)) throw AppError.invalidParams('invalid request: mode must be an octal string such as 0755');
  return value;
}

/** The last segment of a path, for Content-Disposition. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  return parts.at(-1) ?? 'download';
}
