import type { DatabaseSync } from 'node:sqlite';
import type { SettingsStore } from '../types.ts';
import { inTransaction } from './transaction.ts';

/** Values are stored as JSON text, as Komari's `configs` table does. */
export function sqliteSettings(db: DatabaseSync): SettingsStore {
  return {
    async all() {
      const out: Record<string, unknown> = {};
      for (const r of db.prepare('SELECT key, value FROM settings').all()) {
        out[String(r.key)] = JSON.parse(String(r.value));
      }
      return out;
    },
    async setMany(entries) {
      const stmt = db.prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      );
      inTransaction(db, () => {
        for (const [k, v] of Object.entries(entries)) stmt.run(k, JSON.stringify(v ?? null));
      });
    },
    async insertMissing(entries) {
      const stmt = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING');
      inTransaction(db, () => {
        for (const [k, v] of Object.entries(entries)) stmt.run(k, JSON.stringify(v ?? null));
      });
    },
  };
}
