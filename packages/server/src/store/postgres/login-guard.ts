import type pg from 'pg';
import type { LoginGuardStore } from '../types.ts';
import { inPgTransaction } from './connection.ts';

/** As store/sqlite/login-guard.ts; `seq` is SQLite's rowid, the tie-break between equal login times. */
export function pgLoginGuard(pool: pg.Pool): LoginGuardStore {
  return {
    async rememberAddress(uuid, ipKey, at, keep) {
      await inPgTransaction(pool, async (c) => {
        await c.query(
          `INSERT INTO login_addresses (uuid, ip_key, last_login_at) VALUES ($1, $2, $3)
           ON CONFLICT (uuid, ip_key) DO UPDATE SET last_login_at = excluded.last_login_at`,
          [uuid, ipKey, at],
        );
        // SQLite reads a negative LIMIT as "no limit" where PostgreSQL refuses it: NULL is PostgreSQL's "no limit".
        await c.query(
          `DELETE FROM login_addresses WHERE uuid = $1 AND ip_key NOT IN
             (SELECT ip_key FROM login_addresses WHERE uuid = $1 ORDER BY last_login_at DESC, seq DESC LIMIT $2)`,
          [uuid, keep < 0 ? null : keep],
        );
      });
    },
    async isKnownAddress(uuid, ipKey) {
      return (await pool.query('SELECT 1 FROM login_addresses WHERE uuid = $1 AND ip_key = $2', [uuid, ipKey])).rows.length > 0;
    },
    async addUnlock(reason, at) {
      const r = await pool.query<{ id: string }>('INSERT INTO login_unlocks (reason, created_at) VALUES ($1, $2) RETURNING id', [reason, at]);
      return Number(r.rows[0]!.id);
    },
    async latestUnlock(reason) {
      const r = await pool.query<{ id: string | null }>('SELECT MAX(id) AS id FROM login_unlocks WHERE reason = $1', [reason]);
      return Number(r.rows[0]?.id ?? 0);
    },
  };
}
