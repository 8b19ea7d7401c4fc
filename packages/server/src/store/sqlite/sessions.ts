import type { DatabaseSync } from 'node:sqlite';
import type { Session, SessionStore } from '../types.ts';

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

export function sqliteSessions(db: DatabaseSync): SessionStore {
  const get = db.prepare('SELECT * FROM sessions WHERE session = ?');
  const touch = db.prepare('UPDATE sessions SET latest_online = ?, latest_ip = ?, latest_user_agent = ? WHERE session = ?');
  return {
    async create(s) {
      db.prepare(
        `INSERT INTO sessions (session, uuid, user_agent, ip, login_method, latest_online, latest_user_agent, latest_ip, expires, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(s.session, s.uuid, s.userAgent, s.ip, s.loginMethod, s.latestOnline, s.latestUserAgent, s.latestIp, s.expires, s.createdAt);
    },
    async get(token) {
      const r = get.get(token);
      return r ? toSession(r) : undefined;
    },
    async touch(token, at, ip, userAgent) {
      touch.run(at, ip, userAgent, token);
    },
    async delete(token) {
      return Number(db.prepare('DELETE FROM sessions WHERE session = ?').run(token).changes) > 0;
    },
    async deleteAll() {
      return Number(db.prepare('DELETE FROM sessions').run().changes);
    },
    async list() {
      return db.prepare('SELECT * FROM sessions ORDER BY created_at').all().map(toSession);
    },
    async deleteExpired(now) {
      return Number(db.prepare('DELETE FROM sessions WHERE expires < ?').run(now).changes);
    },
  };
}
