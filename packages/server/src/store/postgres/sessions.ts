import type pg from 'pg';
import type { Session, SessionStore } from '../types.ts';

const columns = 'session, uuid, user_agent, ip, login_method, latest_online, latest_user_agent, latest_ip, expires, created_at';

function toSession(r: Record<string, unknown>): Session {
  return {
    session: String(r.session),
    uuid: String(r.uuid),
    userAgent: String(r.user_agent),
    ip: String(r.ip),
    loginMethod: String(r.login_method),
    latestOnline: Number(r.latest_online),
    latestUserAgent: String(r.latest_user_agent),
    latestIp: String(r.latest_ip),
    expires: Number(r.expires),
    createdAt: Number(r.created_at),
  };
}

/** As store/sqlite/sessions.ts; sessions created in the same millisecond list in creation order (`seq`). */
export function pgSessions(pool: pg.Pool): SessionStore {
  return {
    async create(s) {
      await pool.query(`INSERT INTO sessions (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
        s.session, s.uuid, s.userAgent, s.ip, s.loginMethod, s.latestOnline, s.latestUserAgent, s.latestIp, s.expires, s.createdAt,
      ]);
    },
    async get(token) {
      const r = (await pool.query<Record<string, unknown>>(`SELECT ${columns} FROM sessions WHERE session = $1`, [token])).rows[0];
      return r ? toSession(r) : undefined;
    },
    async touch(token, at, ip, userAgent) {
      await pool.query('UPDATE sessions SET latest_online = $1, latest_ip = $2, latest_user_agent = $3 WHERE session = $4', [at, ip, userAgent, token]);
    },
    async delete(token) {
      return ((await pool.query('DELETE FROM sessions WHERE session = $1', [token])).rowCount ?? 0) > 0;
    },
    async deleteAll() {
      return (await pool.query('DELETE FROM sessions')).rowCount ?? 0;
    },
    async list() {
      return (await pool.query<Record<string, unknown>>(`SELECT ${columns} FROM sessions ORDER BY created_at, seq`)).rows.map(toSession);
    },
    async deleteExpired(now) {
      return (await pool.query('DELETE FROM sessions WHERE expires < $1', [now])).rowCount ?? 0;
    },
  };
}
