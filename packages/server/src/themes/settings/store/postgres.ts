import type pg from 'pg';
import type { ThemeConfigStore } from './types.ts';

/** A row's text as an object; Komari answers a row it cannot decode as if it were missing. */
function objectOf(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Rows of `theme_configurations`, the data kept as JSON text as SQLite and Komari keep it. */
export function pgThemeConfigs(pool: pg.Pool): ThemeConfigStore {
  return {
    async get(short) {
      const r = (await pool.query<{ data: string }>('SELECT data FROM theme_configurations WHERE short = $1', [short])).rows[0];
      return objectOf(r?.data);
    },
    async set(short, data) {
      await pool.query(
        'INSERT INTO theme_configurations (short, data) VALUES ($1, $2) ON CONFLICT (short) DO UPDATE SET data = excluded.data',
        [short, JSON.stringify(data)],
      );
    },
    async all() {
      // COLLATE "C": byte order, as SQLite's BINARY, whatever the database's locale.
      const rows = (await pool.query<{ short: string; data: string }>('SELECT short, data FROM theme_configurations ORDER BY short COLLATE "C"')).rows;
      const out = new Map<string, Record<string, unknown>>();
      for (const r of rows) {
        const data = objectOf(r.data);
        if (data) out.set(r.short, data);
      }
      return out;
    },
  };
}
