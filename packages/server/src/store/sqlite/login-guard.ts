import type { DatabaseSync } from 'node:sqlite';
import type { LoginGuardStore } from '../types.ts';
import { inTransaction } from './transaction.ts';

export function sqliteLoginGuard(db: DatabaseSync): LoginGuardStore {
  const upsert = db.prepare(
    `INSERT INTO login_addresses (uuid, ip_key, last_login_at) VALUES (?, ?, ?)
     ON CONFLICT(uuid, ip_key) DO UPDATE SET last_login_at = excluded.last_login_at`,
  );
  const trim = db.prepare(
    `DELETE FROM login_addresses WHERE uuid = ? AND ip_key NOT IN
       (SELECT ip_key FROM login_addresses WHERE uuid = ? ORDER BY last_login_at DESC, rowid DESC LIMIT ?)`,
  );
  const latest = db.prepare('SELECT MAX(id) AS id FROM login_unlocks WHERE reason = ?');
  const known = db.prepare('SELECT 1 AS hit FROM login_addresses WHERE uuid = ? AND ip_key = ?');
  return {
    async rememberAddress(uuid, ipKey, at, keep) {
      inTransaction(db, () => {
        upsert.run(uuid, ipKey, at);
        trim.run(uuid, uuid, keep);
      });
    },
    async isKnownAddress(uuid, ipKey) {
      return known.get(uuid, ipKey) !== undefined;
    },
    async addUnlock(reason, at) {
      return Number(db.prepare('INSERT INTO login_unlocks (reason, created_at) VALUES (?, ?)').run(reason, at).lastInsertRowid);
    },
    async latestUnlock(reason) {
      return Number(latest.get(reason)?.id ?? 0);
    },
  };
}
