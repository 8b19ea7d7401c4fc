import type pg from 'pg';
import type { SettingsStore } from '../types.ts';
import { inPgTransaction } from './connection.ts';

/** Values are stored as JSON text, as in SQLite and in Komari's `configs` table. */
export function pgSettings(pool: pg.Pool): SettingsStore {
  async function write(entries: Record<string, unknown>, onConflict: string): Promise<void> {
    const keys = Object.keys(entries);
    if (keys.length === 0) return;
    // One statement for every key: the keys and values as two parallel arrays.
    await inPgTransaction(pool, (c) =>
      c.query(`INSERT INTO settings (key, value) SELECT * FROM unnest($1::text[], $2::text[]) ${onConflict}`, [
        keys,
        keys.map((k) => JSON.stringify(entries[k] ?? null)),
      ]),
    );
  }
  return {
    async all() {
      const out: Record<string, unknown> = {};
      for (const r of (await pool.query<{ key: string; value: string }>('SELECT key, value FROM settings')).rows) {
        out[r.key] = JSON.parse(r.value);
      }
      return out;
    },
    setMany: (entries) => write(entries, 'ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    insertMissing: (entries) => write(entries, 'ON CONFLICT (key) DO NOTHING'),
  };
}
