import type pg from 'pg';
import { inPgTransaction } from '../../store/postgres/connection.ts';
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

/**
 * An id no row can have (1.5, NaN, 2^60): SQLite simply matches nothing, PostgreSQL would
 * refuse it as a BIGINT (or round it), so such ids never reach a query.
 */
const possibleId = (id: number) => Number.isSafeInteger(id);

/** Saved commands in Komari's table `clipboards`. */
export function pgClipboard(pool: pg.Pool): ClipboardStore {
  return {
    async list() {
      return (await pool.query('SELECT * FROM clipboards ORDER BY id')).rows.map(toEntry);
    },
    async get(id) {
      if (!possibleId(id)) return undefined;
      const r = (await pool.query('SELECT * FROM clipboards WHERE id = $1', [id])).rows[0] as Record<string, unknown> | undefined;
      return r ? toEntry(r) : undefined;
    },
    async create(f, at, maxEntries) {
      // The count and the insert under one table lock: two creates at once cannot both pass the
      // limit (READ COMMITTED alone would let each count the other's row as absent). Readers are not blocked.
      return inPgTransaction(pool, async (c) => {
        await c.query('LOCK TABLE clipboards IN SHARE ROW EXCLUSIVE MODE');
        const r = (
          await c.query(
            `INSERT INTO clipboards (text, name, weight, remark, created_at, updated_at)
             SELECT $1, $2, $3, $4, $5, $5 WHERE (SELECT count(*) FROM clipboards) < $6
             RETURNING *`,
            [f.text, f.name, f.weight, f.remark, at, maxEntries],
          )
        ).rows[0] as Record<string, unknown> | undefined;
        return r ? toEntry(r) : undefined;
      });
    },
    async update(id, patch, at) {
      if (!possibleId(id)) return false;
      const columns = editable.filter((c) => patch[c] !== undefined);
      const sets = [...columns.map((c, i) => `${c} = $${i + 1}`), `updated_at = $${columns.length + 1}`].join(', ');
      const res = await pool.query(`UPDATE clipboards SET ${sets} WHERE id = $${columns.length + 2}`, [
        ...columns.map((c) => patch[c]),
        at,
        id,
      ]);
      return res.rowCount! > 0;
    },
    async remove(id) {
      if (!possibleId(id)) return false;
      return (await pool.query('DELETE FROM clipboards WHERE id = $1', [id])).rowCount! > 0;
    },
    async removeMany(ids) {
      const wanted = ids.filter(possibleId);
      if (wanted.length === 0) return 0;
      return (await pool.query('DELETE FROM clipboards WHERE id = ANY($1::bigint[])', [wanted])).rowCount!;
    },
  };
}
