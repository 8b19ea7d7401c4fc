import type { SQLOutputValue } from 'node:sqlite';
import { text } from './values.ts';

/**
 * Komari's timestamps as Unix ms. Its Go driver writes `2026-12-07 01:00:41.269080309+00:00`;
 * older releases wrote the server's local offset (`+08:00`), and some rows carry the RFC 3339 `T`
 * form or no zone at all (read as UTC, as Komari's reader does). Go's zero time (year 1) is "no
 * time". Undefined: the value is not a time.
 */
const pattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export function komariTime(v: SQLOutputValue | undefined): number | null | undefined {
  if (v === null || v === undefined) return null;
  const s = text(v)?.trim();
  if (s === undefined) return undefined;
  if (s === '') return null;
  const m = pattern.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  if (y <= 1) return null;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return undefined;
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, sec, ms);
  if (date.getUTCDate() !== d) return undefined; // 2027-02-30
  return date.getTime() - offsetMs(m[8]);
}

function offsetMs(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}
