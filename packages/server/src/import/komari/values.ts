import type { SQLOutputValue } from 'node:sqlite';

/**
 * Readers for values out of a Komari database. Komari's tables are GORM's and SQLite types
 * loosely: a column may hold text, a number or a blob whatever its declared type (Komari's Go
 * driver writes JSON columns as blobs), and a damaged or hand-edited database holds anything. Each
 * reader returns the value as the type asked for, or undefined when the stored value is not one.
 */

export type Row = Record<string, SQLOutputValue>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text: a string, or a blob of valid UTF-8 (how Komari's driver stores JSON columns). */
export function text(v: SQLOutputValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) {
    try {
      return utf8.decode(v);
    } catch {
      return undefined;
    }
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'bigint') return String(v);
  return undefined;
}

/** Text where SQL NULL means "" (Komari's nullable varchar columns read as the empty string). */
export function textOrEmpty(v: SQLOutputValue | undefined): string | undefined {
  return v === null || v === undefined ? '' : text(v);
}

/** A finite number (integers as stored, decimal strings as SQLite would have coerced them). */
export function num(v: SQLOutputValue | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
  if (typeof v === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A safe integer. */
export function int(v: SQLOutputValue | undefined): number | undefined {
  const n = num(v);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Komari's float32 columns (a load rule's ratio) read back as 0.800000011920929: the value it was
 * given is the shortest decimal that rounds to the same float32.
 */
export function float32(v: SQLOutputValue | undefined): number | undefined {
  const n = num(v);
  if (n === undefined || Math.fround(n) !== n) return n;
  for (let digits = 1; digits <= 9; digits++) {
    const short = Number(n.toPrecision(digits));
    if (Math.fround(short) === n) return short;
  }
  return n;
}

/** A boolean: GORM stores 0/1; older rows may hold "true"/"false". NULL is false (the column default). */
export function bool(v: SQLOutputValue | undefined): boolean | undefined {
  if (v === null || v === undefined) return false;
  if (v === 0 || v === 0n || v === '0' || v === 'false') return false;
  if (v === 1 || v === 1n || v === '1' || v === 'true') return true;
  return undefined;
}

/** A JSON value from a JSON column; undefined when the text is not JSON. */
export function json(v: SQLOutputValue | undefined): { value: unknown } | undefined {
  const s = text(v);
  if (s === undefined) return undefined;
  try {
    return { value: JSON.parse(s) as unknown };
  } catch {
    return undefined;
  }
}

/** A JSON array of strings (Komari's `clients` columns); NULL or "" is an empty list. */
export function stringList(v: SQLOutputValue | undefined): string[] | undefined {
  if (v === null || v === undefined || v === '') return [];
  const parsed = json(v);
  if (!parsed) return undefined;
  if (parsed.value === null) return [];
  if (!Array.isArray(parsed.value) || !parsed.value.every((x) => typeof x === 'string')) return undefined;
  return parsed.value as string[];
}

/** A JSON object stored as text (provider `addition`, theme `data`). */
export function jsonObject(v: SQLOutputValue | undefined): Record<string, unknown> | undefined {
  const parsed = json(v);
  const value = parsed?.value;
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Deep equality of JSON values (what "already there" compares). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** A short description of a value that was not what a column should hold, for a skip reason. */
export function describe(v: SQLOutputValue | undefined): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Uint8Array) return `a ${v.length}-byte blob`;
  if (typeof v === 'string') return v.length > 40 ? `a ${v.length}-character string` : JSON.stringify(v);
  return String(v);
}
