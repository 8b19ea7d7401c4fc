import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { inTransaction } from '../../store/sqlite/transaction.ts';
import type { ClipboardEntry, ClipboardFields, ClipboardStore } from './types.ts';

function toEntry(r: Record<string, unknown>): ClipboardEntry {
  return {
    id: Number(r.id),
    text: String(r.text),
    name: String(r.name),
    weight: Number(r.weight),
    remark: String(r.remark),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** The columns an update may set: column names come from this list, never from the input. */
const editable: readonly (keyof ClipboardFields)[] = ['text', 'name', 'weight', 'remark'];

/** Saved commands in Komari's table `clipboards`. */
export function sqliteClipboard(db: DatabaseSync): ClipboardStore {
  const insert = db.prepare(
    `INSERT INTO clipboards (text, name, weight, remark, created_at, updated_at)
     SELECT ?, ?, ?, ?, ?, ? WHERE (SELECT count(*) FROM clipboards) < ?
     RETURNING *`,
  );
  const byId = db.prepare('SELECT * FROM clipboards WHERE id = ?');
  const removeOne = db.prepare('DELETE FROM clipboards WHERE id = ?');
  return {
    async list() {
      return db.prepare('SELECT * FROM clipboards ORDER BY id').all().map(toEntry);
    },
    async get(id) {
      const r = byId.get(id);
      return r ? toEntry(r) : undefined;
    },
    async create(f, at, maxEntries) {
      const r = insert.get(f.text, f.name, f.weight, f.remark, at, at, maxEntries);
      return r ? toEntry(r) : undefined;
    },
    async update(id, patch, at) {
      const columns = editable.filter((c) => patch[c] !== undefined);
      const values: SQLInputValue[] = columns.map((c) => patch[c]!);
      const sets = [...columns.map((c) => `${c} = ?`), 'updated_at = ?'].join(', ');
      return Number(db.prepare(`UPDATE clipboards SET ${sets} WHERE id = ?`).run(...values, at, id).changes) > 0;
    },
    async remove(id) {
      return Number(removeOne.run(id).changes) > 0;
    },
    async removeMany(ids) {
      return inTransaction(db, () => ids.reduce((n, id) => n + Number(removeOne.run(id).changes), 0));
    },
  };
}
