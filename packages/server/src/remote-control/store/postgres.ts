import type pg from 'pg';
import { inPgTransaction } from '../../store/postgres/connection.ts';
import { followServer, remoteKinds, type RemoteControlStore, type RemoteOverride } from './types.ts';

interface Row {
  client: string;
  exec: boolean | null;
  terminal: boolean | null;
  files: boolean | null;
}

const toOverride = (r: Row): RemoteOverride => ({ exec: r.exec, terminal: r.terminal, files: r.files });

/** Overrides in `client_remote_control`; a row whose kinds are all null is deleted, not kept (as SQLite). */
export function pgRemoteControl(pool: pg.Pool): RemoteControlStore {
  return {
    async get(uuid) {
      const r = (await pool.query<Row>('SELECT * FROM client_remote_control WHERE client = $1', [uuid])).rows[0];
      return r ? toOverride(r) : { ...followServer };
    },
    async all() {
      const rows = (await pool.query<Row>('SELECT * FROM client_remote_control')).rows;
      return new Map(rows.map((r) => [r.client, toOverride(r)]));
    },
    async set(uuid, patch) {
      // Read-modify-write in one statement: the upsert locks the row, so two sets at once on
      // one node each keep the other's kinds. $2,$4,$6 say whether the patch sets that kind.
      const given = remoteKinds.flatMap((k) => [patch[k] !== undefined, patch[k] ?? null]);
      return inPgTransaction(pool, async (c) => {
        const r = (
          await c.query<Row>(
            `INSERT INTO client_remote_control AS t (client, exec, terminal, files) VALUES ($1, $3, $5, $7)
             ON CONFLICT (client) DO UPDATE SET
               exec = CASE WHEN $2 THEN excluded.exec ELSE t.exec END,
               terminal = CASE WHEN $4 THEN excluded.terminal ELSE t.terminal END,
               files = CASE WHEN $6 THEN excluded.files ELSE t.files END
             RETURNING *`,
            [uuid, ...given],
          )
        ).rows[0]!;
        const next = toOverride(r);
        if (remoteKinds.every((k) => next[k] === null)) await c.query('DELETE FROM client_remote_control WHERE client = $1', [uuid]);
        return next;
      });
    },
  };
}
