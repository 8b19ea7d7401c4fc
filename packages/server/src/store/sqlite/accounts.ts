import type { DatabaseSync } from 'node:sqlite';
import { patchColumns, toAccount } from '../account-rows.ts';
import type { AccountPatch, AccountStore } from '../types.ts';



export function sqliteAccounts(db: DatabaseSync): AccountStore {
  const byName = db.prepare('SELECT * FROM accounts WHERE username = ?');
  const byId = db.prepare('SELECT * FROM accounts WHERE uuid = ?');
  return {
    async count() {
      return Number(db.prepare('SELECT COUNT(*) AS n FROM accounts').get()?.n ?? 0);
    },
    async create(a) {
      db.prepare(
        `INSERT INTO accounts (uuid, username, password_hash, sso_type, sso_id, two_factor, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(a.uuid, a.username, a.passwordHash, a.ssoType, a.ssoId, a.twoFactor, a.createdAt, a.updatedAt);
    },
    async byUsername(username) {
      const r = byName.get(username);
      return r ? toAccount(r) : undefined;
    },
    async byUuid(uuid) {
      const r = byId.get(uuid);
      return r ? toAccount(r) : undefined;
    },
    async first() {
      const r = db.prepare('SELECT * FROM accounts ORDER BY rowid LIMIT 1').get();
      return r ? toAccount(r) : undefined;
    },
    async bySsoId(ssoId) {
      if (ssoId === '') return undefined;
      const r = db.prepare('SELECT * FROM accounts WHERE sso_id = ? ORDER BY rowid LIMIT 1').get(ssoId);
      return r ? toAccount(r) : undefined;
    },
    async update(uuid, patch, at) {
      const sets: string[] = [];
      const values: string[] = [];
      for (const [k, col] of Object.entries(patchColumns)) {
        const v = patch[k as keyof AccountPatch];
        if (v === undefined) continue;
        sets.push(`${col} = ?`);
        values.push(v);
      }
      const res = db
        .prepare(`UPDATE accounts SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE uuid = ?`)
        .run(...values, at, uuid);
      return Number(res.changes) > 0;
    },
    async clearTwoFactorForAll(at) {
      const res = db.prepare("UPDATE accounts SET two_factor = '', updated_at = ? WHERE two_factor != ''").run(at);
      return Number(res.changes);
    },
    async claimTotpStep(uuid, step) {
      const res = db.prepare('UPDATE accounts SET totp_last_step = ? WHERE uuid = ? AND totp_last_step < ?').run(step, uuid, step);
      return Number(res.changes) > 0;
    },
  };
}
