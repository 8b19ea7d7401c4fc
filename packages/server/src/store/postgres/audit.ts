import type pg from 'pg';
import type { AuditEntry, AuditStore } from '../types.ts';

const columns = 'id, ip, uuid, message, msg_type, time';

function toEntry(r: Record<string, unknown>): AuditEntry {
  return {
    id: Number(r.id),
    ip: String(r.ip),
    uuid: String(r.uuid),
    message: String(r.message),
    msgType: String(r.msg_type),
    time: Number(r.time),
  };
}

/** As store/sqlite/audit.ts: newest first, an empty msgType filters nothing. */
export function pgAudit(pool: pg.Pool): AuditStore {
  return {
    async add(e) {
      await pool.query('INSERT INTO audit_log (ip, uuid, message, msg_type, time) VALUES ($1, $2, $3, $4, $5)', [
        e.ip, e.uuid, e.message, e.msgType, e.time,
      ]);
    },
    async list({ limit, offset, msgType }) {
      // SQLite reads a negative LIMIT as none and a negative OFFSET as 0; PostgreSQL refuses both.
      const page = [limit < 0 ? null : limit, Math.max(0, offset)];
      const rows = msgType
        ? await pool.query(`SELECT ${columns} FROM audit_log WHERE msg_type = $1 ORDER BY time DESC, id DESC LIMIT $2 OFFSET $3`, [msgType, ...page])
        : await pool.query(`SELECT ${columns} FROM audit_log ORDER BY time DESC, id DESC LIMIT $1 OFFSET $2`, page);
      return rows.rows.map(toEntry);
    },
    async count(msgType) {
      const r = msgType
        ? await pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM audit_log WHERE msg_type = $1', [msgType])
        : await pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM audit_log');
      return Number(r.rows[0]?.n ?? 0);
    },
    async deleteBefore(time) {
      return (await pool.query('DELETE FROM audit_log WHERE time < $1', [time])).rowCount ?? 0;
    },
    async has(e) {
      const r = await pool.query(
        'SELECT 1 FROM audit_log WHERE time = $1 AND ip = $2 AND uuid = $3 AND message = $4 AND msg_type = $5 LIMIT 1',
        [e.time, e.ip, e.uuid, e.message, e.msgType],
      );
      return r.rows.length > 0;
    },
  };
}
