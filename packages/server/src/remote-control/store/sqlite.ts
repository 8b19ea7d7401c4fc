import type { DatabaseSync } from 'node:sqlite';
import { inTransaction } from '../../store/sqlite/transaction.ts';
import { followServer, remoteKinds, type RemoteControlStore, type RemoteOverride } from './types.ts';

function flag(v: unknown): boolean | null {
  if (v === null || v === undefined) return null;
  return Number(v) !== 0;
}

function toOverride(r: Record<string, unknown>): RemoteOverride {
  return { exec: flag(r.exec), terminal: flag(r.terminal), files: flag(r.files) };
}

const toSql = (v: boolean | null) => (v === null ? null : v ? 1 : 0);

/** Overrides in `client_remote_control`; a row whose kinds are all null is deleted, not kept. */
export function sqliteRemoteControl(db: DatabaseSync): RemoteControlStore {
  const byClient = db.prepare('SELECT * FROM client_remote_control WHERE client = ?');
  const upsert = db.prepare(
    `INSERT INTO client_remote_control (client, exec, terminal, files) VALUES (?, ?, ?, ?)
     ON CONFLICT (client) DO UPDATE SET exec = excluded.exec, terminal = excluded.terminal, files = excluded.files`,
  );
  const drop = db.prepare('DELETE FROM client_remote_control WHERE client = ?');
  const read = (uuid: string): RemoteOverride => {
    const r = byClient.get(uuid);
    return r ? toOverride(r) : { ...followServer };
  };
  return {
    async get(uuid) {
      return read(uuid);
    },
    async all() {
      const rows = db.prepare('SELECT * FROM client_remote_control').all();
      return new Map(rows.map((r) => [String(r.client), toOverride(r)]));
    },
    async set(uuid, patch) {
      return inTransaction(db, () => {
        const next = { ...read(uuid) };
        for (const k of remoteKinds) if (patch[k] !== undefined) next[k] = patch[k];
        if (remoteKinds.every((k) => next[k] === null)) drop.run(uuid);
        else upsert.run(uuid, toSql(next.exec), toSql(next.terminal), toSql(next.files));
        return next;
      });
    },
  };
}
