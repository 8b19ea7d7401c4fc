import { FileOpError } from './errors.ts';

/**
 * The `args` of an `agent.file` call, read the way the Go agent reads them (a missing or mistyped
 * value is the zero value) except where a zero would be dangerous: ids and modes are checked.
 */
export type Args = Record<string, unknown>;

export function str(args: Args, key: string): string {
  const v = args[key];
  return typeof v === 'string' ? v.trim() : '';
}

export function bool(args: Args, key: string): boolean {
  return args[key] === true;
}

/** A whole number (JSON numbers only); absent or not a safe integer → `fallback`. */
export function int(args: Args, key: string, fallback = 0): number {
  const v = args[key];
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : fallback;
}

export function has(args: Args, key: string): boolean {
  return Object.hasOwn(args, key) && args[key] !== null && args[key] !== undefined;
}

/** `upload_id` names a file beside the target: nothing that could name another folder. */
export function uploadId(args: Args): string {
  const id = str(args, 'upload_id');
  if (id === '') throw new FileOpError('upload_id is required');
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw new FileOpError('invalid upload_id');
  return id;
}

/** An octal mode like "755", "0644" or "0o750" (at most 07777). */
export function parseMode(value: string): number {
  const v = value.trim();
  if (v === '') throw new FileOpError('mode is required');
  const digits = v.startsWith('0o') ? v.slice(2) : v;
  if (!/^[0-7]{1,5}$/.test(digits) || Number.parseInt(digits, 8) > 0o7777) throw new FileOpError(`invalid octal mode: ${v.slice(0, 32)}`);
  return Number.parseInt(digits, 8);
}

export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
