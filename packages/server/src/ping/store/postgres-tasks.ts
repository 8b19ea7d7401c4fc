import type pg from 'pg';
import { inPgTransaction } from '../../store/postgres/connection.ts';
import type { PingTaskRow, PingTaskStore } from '../../store/types.ts';

function parseClients(text: unknown): string[] {
  try {
    const v: unknown = JSON.parse(String(text));
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function toRow(r: Record<string, unknown>): PingTaskRow {
  return {
    id: Number(r.id),
    weight: Number(r.weight),
    name: String(r.name),
    clients: parseClients(r.clients),
    defaultOn: r.all_clients === true,
    type: String(r.type),
    target: String(r.target),
    interval: Number(r.interval),
  };
}

/**
 * An id no row can have (1.5, NaN, 2^60): SQLite simply matches nothing, PostgreSQL would refuse
 * it as a BIGINT (or round it), so such ids never reach a query and are reported as unknown.
 */
const possibleId = (id: number) => Number.isSafeInteger(id);

/** Ids of `ids` with no row, in SQLite's order (first occurrence); locks the rows that exist. */
async function missing(c: pg.PoolClient, ids: Iterable<number>): Promise<number[]> {
  const unique = [...new Set(ids)];
  const wanted = unique.filter(possibleId);
  const found = new Set(
    wanted.length === 0
      ? []
      : (await c.query('SELECT id FROM ping_tasks WHERE id = ANY($1::bigint[]) FOR UPDATE', [wanted])).rows.map((r) => Number(r.id)),
  );
  return unique.filter((id) => !found.has(id));
}

/** Rewrites, in one statement, the clients list of every task for which `edit` returns a changed list. */
async function editClients(pool: pg.Pool, edit: (t: PingTaskRow) => string[] | undefined): Promise<number> {
  return inPgTransaction(pool, async (c) => {
    const ids: number[] = [];
    const lists: string[] = [];
    for (const t of (await c.query('SELECT * FROM ping_tasks FOR UPDATE')).rows.map(toRow)) {
      const next = edit(t);
      if (!next) continue;
      ids.push(t.id);
      lists.push(JSON.stringify(next));
    }
    if (ids.length === 0) return 0;
    await c.query(
      'UPDATE ping_tasks SET clients = v.clients FROM unnest($1::bigint[], $2::text[]) AS v(id, clients) WHERE ping_tasks.id = v.id',
      [ids, lists],
    );
    return ids.length;
  });
}

/**
 * The `ping_tasks` table as SQLite keeps it: `clients` a JSON array (Komari's format). Ids come
 * from an identity sequence that an import with its own ids moves past them, as SQLite's
 * AUTOINCREMENT does, so a later create never collides with an imported id.
 */
export function pgPingTasks(pool: pg.Pool): PingTaskStore {
  return {
    async list() {
      return (await pool.query('SELECT * FROM ping_tasks ORDER BY weight, id')).rows.map(toRow);
    },
    async create(t) {
      // weight = id in the same statement: no moment where the new task sorts by weight 0.
      const r = await pool.query(
        `WITH n AS (SELECT nextval(pg_get_serial_sequence('ping_tasks', 'id')) AS id)
         INSERT INTO ping_tasks (id, weight, name, clients, all_clients, type, target, "interval")
         SELECT n.id, n.id, $1, $2, $3, $4, $5, $6 FROM n RETURNING id`,
        [t.name, JSON.stringify(t.clients), t.defaultOn, t.type, t.target, t.interval],
      );
      return Number(r.rows[0].id);
    },
    async update(tasks) {
      return inPgTransaction(pool, async (c) => {
        const absent = await missing(c, tasks.map((t) => t.id));
        if (absent.length > 0 || tasks.length === 0) return absent;
        // One statement for the batch; for a repeated id the last entry wins, as SQLite's loop does.
        const last = [...new Map(tasks.map((t) => [t.id, t])).values()];
        await c.query(
          `UPDATE ping_tasks SET name = v.name, clients = v.clients, all_clients = v.all_clients, type = v.type,
             target = v.target, "interval" = v.iv
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::text[], $7::bigint[])
             AS v(id, name, clients, all_clients, type, target, iv)
           WHERE ping_tasks.id = v.id`,
          [
            last.map((t) => t.id), last.map((t) => t.name), last.map((t) => JSON.stringify(t.clients)),
            last.map((t) => t.defaultOn), last.map((t) => t.type), last.map((t) => t.target), last.map((t) => t.interval),
          ],
        );
        return [];
      });
    },
    async remove(ids) {
      return inPgTransaction(pool, async (c) => {
        const absent = await missing(c, ids);
        if (absent.length > 0 || ids.length === 0) return absent;
        await c.query('DELETE FROM ping_tasks WHERE id = ANY($1::bigint[])', [[...new Set(ids)]]);
        return [];
      });
    },
    async setWeights(weights) {
      return inPgTransaction(pool, async (c) => {
        const absent = await missing(c, weights.keys());
        if (absent.length > 0 || weights.size === 0) return absent;
        await c.query(
          'UPDATE ping_tasks SET weight = v.w FROM unnest($1::bigint[], $2::bigint[]) AS v(id, w) WHERE ping_tasks.id = v.id',
          [[...weights.keys()], [...weights.values()]],
        );
        return [];
      });
    },
    addToDefaultOn: (uuid) => editClients(pool, (t) => (t.defaultOn && !t.clients.includes(uuid) ? [...t.clients, uuid] : undefined)),
    removeClient: (uuid) => editClients(pool, (t) => (t.clients.includes(uuid) ? t.clients.filter((c) => c !== uuid) : undefined)),
    async insert(t) {
      if (!possibleId(t.id)) return false;
      return inPgTransaction(pool, async (c) => {
        const res = await c.query(
          `INSERT INTO ping_tasks (id, weight, name, clients, all_clients, type, target, "interval")
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
          [t.id, t.weight, t.name, JSON.stringify(t.clients), t.defaultOn, t.type, t.target, t.interval],
        );
        if (res.rowCount === 0) return false;
        // Move the sequence past the imported id (never back), as AUTOINCREMENT remembers it.
        await c.query(
          `SELECT setval(pg_get_serial_sequence('ping_tasks', 'id'), $1::bigint)
           WHERE $1::bigint > (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM ping_tasks_id_seq)`,
          [t.id],
        );
        return true;
      });
    },
  };
}
