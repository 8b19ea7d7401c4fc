import type pg from 'pg';
import { patchColumns, toAccount } from '../account-rows.ts';
import type { Account, AccountPatch, AccountStore } from '../types.ts';

type Row = Record<string, unknown>;

const columns = 'uuid, username, password_hash, sso_type, sso_id, two_factor, created_at, updated_at';


/** As store/sqlite/accounts.ts; `seq` is SQLite's rowid (the order accounts were created in). */
export function pgAccounts(pool: pg.Pool): AccountStore {
  async function one(sql: string, params: unknown[]): Promise<Account | undefined> {
    const r = (await pool.query<Row>(sql, params)).rows[0];
    return r ? toAccount(r) : undefined;
  }
  return {
    async count() {
      return Number((await pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM accounts')).rows[0]?.n ?? 0);
    },
    async create(a) {
      await pool.query(`INSERT INTO accounts (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        a.uuid, a.username, a.passwordHash, a.ssoType, a.ssoId, a.twoFactor, a.createdAt, a.updatedAt,
      ]);
    },
    byUsername: (username) => one(`SELECT ${columns} FROM accounts WHERE username = $1`, [username]),
    byUuid: (uuid) => one(`SELECT ${columns} FROM accounts WHERE uuid = $1`, [uuid]),
    first: () => one(`SELECT ${columns} FROM accounts ORDER BY seq LIMIT 1`, []),
    async bySsoId(ssoId) {
      if (ssoId === '') return undefined;
      return one(`SELECT ${columns} FROM accounts WHERE sso_id = $1 ORDER BY seq LIMIT 1`, [ssoId]);
    },
    async update(uuid, patch, at) {
      const sets: string[] = [];
      const values: unknown[] = [];
      for (const [k, col] of Object.entries(patchColumns)) {
        const v = patch[k as keyof AccountPatch];
        if (v === undefined) continue;
        values.push(v);
        sets.push(`${col} = $${values.length}`);
      }
      values.push(at);
      sets.push(`updated_at = $${values.length}`);
      values.push(uuid);
      const res = await pool.query(`UPDATE accounts SET ${sets.join(', ')} WHERE uuid = $${values.length}`, values);
      return (res.rowCount ?? 0) > 0;
    },
    async clearTwoFactorForAll(at) {
      const res = await pool.query("UPDATE accounts SET two_factor = '', updated_at = $1 WHERE two_factor <> ''", [at]);
      return res.rowCount ?? 0;
    },
    async claimTotpStep(uuid, step) {
      // One conditional UPDATE: two logins racing with the same code cannot both see the old step.
      const res = await pool.query('UPDATE accounts SET totp_last_step = $1 WHERE uuid = $2 AND totp_last_step < $1', [step, uuid]);
      return (res.rowCount ?? 0) > 0;
    },
  };
}
