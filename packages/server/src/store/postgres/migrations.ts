import type pg from 'pg';
import { StoreFileError } from '../errors.ts';
import { migration as m2026_12_07_settings } from './migrations/2026-12-07-settings.ts';
import { migration as m2026_12_07_accounts_sessions_audit } from './migrations/2026-12-07-accounts-sessions-audit.ts';
import { migration as m2026_12_07_nodes_remote_control_themes_clipboard } from './migrations/2026-12-07-nodes-remote-control-themes-clipboard.ts';
import { migration as m2026_12_07_alerts } from './migrations/2026-12-07-alerts.ts';
import { migration as m2026_12_07_ping } from './migrations/2026-12-07-ping.ts';
import { migration as m2026_12_07_history } from './migrations/2026-12-07-history.ts';
import { migration as m2026_12_07_exec_oidc } from './migrations/2026-12-07-exec-oidc.ts';
import { migration as m2026_12_22_history_slots } from './migrations/2026-12-22-history-slots.ts';

/**
 * The PostgreSQL schema, one dated migration each, applied in order and never edited once
 * shipped (as store/sqlite/migrations.ts). Each engine has its own list in its own dialect; the
 * store conformance suite (test/store-conformance/) holds them to the same behaviour.
 */
export interface PgMigration {
  id: string;
  sql: string;
}

export const pgMigrations: readonly PgMigration[] = [
  m2026_12_07_settings,
  m2026_12_07_accounts_sessions_audit,
  m2026_12_07_nodes_remote_control_themes_clipboard,
  m2026_12_07_alerts,
  m2026_12_07_ping,
  m2026_12_07_history,
  m2026_12_07_exec_oidc,
  m2026_12_22_history_slots,
];

/** Any fixed 64-bit number: replicas starting at once take turns at migrating. */
const migrationLockKey = 0x6b6f6d617269; // "komari"

/**
 * Applies the migrations this version has and the database lacks, each in its own transaction,
 * under an advisory lock so two replicas never migrate at once. A database that has a migration
 * this version does not know was written by a newer komari-ts: refused, nothing changed.
 */
export async function migratePg(pool: pg.Pool, migrations: readonly PgMigration[] = pgMigrations): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)');
      const applied = new Set((await client.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
      const known = new Set(migrations.map((m) => m.id));
      const unknown = [...applied].filter((id) => !known.has(id)).sort();
      if (unknown.length > 0) {
        throw new StoreFileError(
          `the PostgreSQL schema is newer than this komari-ts knows (it has migration ${unknown.at(-1)}); upgrade komari-ts, or point KOMARI_DB at another database`,
        );
      }
      for (const m of migrations) {
        if (applied.has(m.id)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [m.id, Date.now()]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}
