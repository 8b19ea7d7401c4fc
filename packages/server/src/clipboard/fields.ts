import type { ServerLimits } from '../config/limits.ts';
import { AppError } from '../errors.ts';
import { formatTime } from '../util/time.ts';
import type { ClipboardEntry, ClipboardFields } from './store/types.ts';

/**
 * Komari reads a clipboard id as a string and converts it with strconv.Atoi: a JSON number (RPC),
 * or a path segment that is not a decimal integer, is "Invalid ID" (admin-api.md §0.3, §9).
 */
export function parseId(value: unknown): number {
  const id = typeof value === 'string' && /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id)) throw AppError.invalidParams('Invalid ID');
  return id;
}

/** The entry as Komari serialises it, in its column order. */
export function clipboardWire(e: ClipboardEntry) {
  return {
    id: e.id,
    text: e.text,
    name: e.name,
    weight: e.weight,
    remark: e.remark,
    created_at: formatTime(e.createdAt),
    updated_at: formatTime(e.updatedAt),
  };
}

/**
 * The bounds of the fields given (Komari has none): an entry is a command to run, so its text
 * cannot be blank; the name and remark may be.
 */
export function checkFields(f: Partial<ClipboardFields>, limits: ServerLimits['clipboard']): void {
  if (f.text !== undefined && f.text.trim() === '') throw AppError.invalidParams('text is required');
  if (f.text !== undefined && Buffer.byteLength(f.text) > limits.maxTextBytes) {
    throw AppError.invalidParams(`text must be at most ${limits.maxTextBytes} bytes`);
  }
  if (f.name !== undefined && [...f.name].length > limits.maxNameChars) {
    throw AppError.invalidParams(`name must be at most ${limits.maxNameChars} characters`);
  }
  if (f.remark !== undefined && Buffer.byteLength(f.remark) > limits.maxRemarkBytes) {
    throw AppError.invalidParams(`remark must be at most ${limits.maxRemarkBytes} bytes`);
  }
}

/** Keys an update may carry that are not the admin's to set; dropped as Komari drops them. */
const ignoredOnUpdate = new Set(['id', 'created_at', 'updated_at']);
const editable = new Set<string>(['text', 'name', 'weight', 'remark']);

/**
 * The fields of an update. Komari writes any key as a column and fails with 500 on one that is
 * not; here such a key is a 400 naming it, and nothing is written.
 */
export function patchOf(params: Record<string, unknown>): Partial<ClipboardFields> {
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (ignoredOnUpdate.has(k) || v === undefined) continue;
    if (!editable.has(k)) throw AppError.invalidParams(`Unknown field: ${k}`);
    patch[k] = v;
  }
  return patch as Partial<ClipboardFields>;
}
