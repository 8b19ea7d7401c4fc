import type { DatabaseSync } from 'node:sqlite';
import type { AuditEntry, AuditStore } from '../types.ts';

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

export function sqliteAudit(db: DatabaseSync): AuditStore {
  return {
    async add(e) {
      db.prepare('INSERT INTO audit_log (ip, uuid, message, msg_type, time) VALUES (?, ?, ?, ?, ?)').run(
        e.ip, e.uuid, e.message, e.msgType, e.time,
      );
    },
    async list({ limit, offset, msgType }) {
      const rows = msgType
        ? db.prepare('SELECT * FROM audit_log WHERE msg_type = ? ORDER BY time DESC, id DESC LIMIT ? OFFSET ?').all(msgType, limit, offset)
        : db.prepare('SELECT * FROM audit_log ORDER BY time DESC, id DESC LIMIT ? OFFSET ?').all(limit, offset);
      return rows.map(toEntry);
    },
    async count(msgType) {
      const r = msgType
        ? db.prepare('SELECT COUNT(*) AS n FROM audit_log WHERE msg_type = ?').get(msgType)
        : db.prepare('SELECT COUNT(*) AS n FROM audit_log').get();
      return Number(r?.n ?? 0);
    },
    async deleteBefore(time) {
      return Number(db.prepare('DELETE FROM audit_log WHERE time < ?').run(time).changes);
    },
    async has(e) {
      const r = db
        .prepare('SELECT 1 FROM audit_log WHERE time = ? AND ip = ? AND uuid = ? AND message = ? AND msg_type = ? LIMIT 1')
        .get(e.time, e.ip, e.uuid, e.message, e.msgType);
      return r !== undefined;
    },
  };
}
