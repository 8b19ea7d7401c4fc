import type { DatabaseSync } from 'node:sqlite';
import { inTransaction } from '../../store/sqlite/transaction.ts';
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
    defaultOn: Number(r.all_clients) === 1,
    type: String(r.type),
    target: String(r.target),
    interval: Number(r.interval),
  };
}

/** Ids of `ids` with no row; checked inside the caller's transaction, before any write. */
function missing(db: DatabaseSync, ids: Iterable<number>): number[] {
  const get = db.prepare('SELECT 1 FROM ping_tasks WHERE id = ?');
  return [...new Set(ids)].filter((id) => get.get(id) === undefined);
}

/** Rewrites the clients list of every task for which `edit` returns a changed list. */
function editClients(db: DatabaseSync, edit: (t: PingTaskRow) => string[] | undefined): number {
  const set = db.prepare('UPDATE ping_tasks SET clients = ? WHERE id = ?');
  let changed = 0;
  for (const t of db.prepare('SELECT * FROM ping_tasks').all().map(toRow)) {
    const next = edit(t);
    if (!next) continue;
    set.run(JSON.stringify(next), t.id);
    changed++;
  }
  return changed;
}

/** The `ping_tasks` table; `clients` is a JSON array as in Komari. */
export function sqlitePingTasks(db: DatabaseSync): PingTaskStore {
  const update = db.prepare(
    'UPDATE ping_tasks SET name = ?, clients = ?, all_clients = ?, type = ?, target = ?, "interval" = ? WHERE id = ?',
  );
  return {
    async list() {
      return db.prepare('SELECT * FROM ping_tasks ORDER BY weight, id').all().map(toRow);
    },
    async create(t) {
      return inTransaction(db, () => {
        const res = db
          .prepare('INSERT INTO ping_tasks (name, clients, all_clients, type, target, "interval") VALUES (?, ?, ?, ?, ?, ?)')
          .run(t.name, JSON.stringify(t.clients), t.defaultOn ? 1 : 0, t.type, t.target, t.interval);
        const id = Number(res.lastInsertRowid);
        db.prepare('UPDATE ping_tasks SET weight = ? WHERE id = ?').run(id, id);
        return id;
      });
    },
    async update(tasks) {
      return inTransaction(db, () => {
        const absent = missing(db, tasks.map((t) => t.id));
        if (absent.length > 0) return absent;
        for (const t of tasks) update.run(t.name, JSON.stringify(t.clients), t.defaultOn ? 1 : 0, t.type, t.target, t.interval, t.id);
        return [];
      });
    },
    async remove(ids) {
      return inTransaction(db, () => {
        const absent = missing(db, ids);
        if (absent.length > 0) return absent;
        const del = db.prepare('DELETE FROM ping_tasks WHERE id = ?');
        for (const id of ids) del.run(id);
        return [];
      });
    },
    async setWeights(weights) {
      return inTransaction(db, () => {
        const absent = missing(db, weights.keys());
        if (absent.length > 0) return absent;
        const set = db.prepare('UPDATE ping_tasks SET weight = ? WHERE id = ?');
        for (const [id, w] of weights) set.run(w, id);
        return [];
      });
    },
    async addToDefaultOn(uuid) {
      return inTransaction(db, () => editClients(db, (t) => (t.defaultOn && !t.clients.includes(uuid) ? [...t.clients, uuid] : undefined)));
    },
    async removeClient(uuid) {
      return inTransaction(db, () => editClients(db, (t) => (t.clients.includes(uuid) ? t.clients.filter((c) => c !== uuid) : undefined)));
    },
    async insert(t) {
      const res = db
        .prepare('INSERT INTO ping_tasks (id, weight, name, clients, all_clients, type, target, "interval") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING')
        .run(t.id, t.weight, t.name, JSON.stringify(t.clients), t.defaultOn ? 1 : 0, t.type, t.target, t.interval);
      return Number(res.changes) > 0;
    },
  };
}
