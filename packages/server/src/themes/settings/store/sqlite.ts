import type { DatabaseSync } from 'node:sqlite';
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

/** Rows of `theme_configurations`, Komari's table and column names (an import maps row to row). */
export function sqliteThemeConfigs(db: DatabaseSync): ThemeConfigStore {
  const byShort = db.prepare('SELECT data FROM theme_configurations WHERE short = ?');
  const upsert = db.prepare(
    'INSERT INTO theme_configurations (short, data) VALUES (?, ?) ON CONFLICT (short) DO UPDATE SET data = excluded.data',
  );
  return {
    async get(short) {
      return objectOf(byShort.get(short)?.data);
    },
    async set(short, data) {
      upsert.run(short, JSON.stringify(data));
    },
    async all() {
      const out = new Map<string, Record<string, unknown>>();
      for (const r of db.prepare('SELECT short, data FROM theme_configurations ORDER BY short').all()) {
        const data = objectOf(r.data);
        if (data) out.set(String(r.short), data);
      }
      return out;
    },
  };
}
