import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { forEachSlot } from '../src/store/history-slots.ts';
import { migratePg, pgMigrations } from '../src/store/postgres/migrations.ts';
import { pgHistory } from '../src/store/postgres/history.ts';
import { sqliteHistory } from '../src/store/sqlite/history.ts';
import { migrate, migrations } from '../src/store/sqlite/migrations.ts';
import type { HistoryStore } from '../src/store/types.ts';
import { freshPgSchema, pgSkipReason, testPgUrl } from './helpers/postgres.ts';

const minute = 60_000;
const slotsMigration = '2026-12-22-history-slots';

/** Buckets as a version without history_slots left them: (node number, width, start, count). */
const stored: [number, number, number, number][] = [
  ...[0, 1, 2, 31, 32, 33, 95].map((i): [number, number, number, number] => [1, 60, i * minute, 5]),
  [1, 60, 40 * minute, 0], // no samples: no bit
  [1, 3600, 0, 60],
  [2, 60, -minute, 1], // before 1970: the block below zero
  [2, 60, -33 * minute, 1],
];
const cols = 'count, gpu_count, last_at, net_total_up, net_total_down, ram_total, swap_total, disk_total, traffic_up, traffic_down, ' +
  ['cpu', 'gpu', 'ram', 'swap', 'load', 'disk', 'net_in', 'net_out', 'process', 'connections', 'connections_udp'].flatMap((g) => [`${g}_sum`, `${g}_max`]).join(', ');
const insertSql = (p: (i: number) => string) =>
  `INSERT INTO history_buckets (node, width, start, ${cols}) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${Array(31).fill('0').join(', ')})`;

async function marked(h: HistoryStore, width: number): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [node, blocks] of await h.slots(width, -Infinity, Infinity)) {
    const starts: number[] = [];
    forEachSlot(blocks, width, -Infinity, Infinity, (s) => starts.push(s / minute));
    out[node] = starts;
  }
  return out;
}

const expected60 = { a: [0, 1, 2, 31, 32, 33, 95], b: [-33, -1] };

describe(`migration ${slotsMigration} fills history_slots from the buckets already stored`, () => {
  it('SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'komari-slots-'));
    const db = new DatabaseSync(join(dir, 'komari.db'));
    try {
      migrate(db, migrations.filter((m) => m.id !== slotsMigration));
      db.exec("INSERT INTO history_nodes (id, uuid) VALUES (1, 'a'), (2, 'b')");
      for (const r of stored) db.prepare(insertSql(() => '?')).run(...r);
      assert.deepEqual(migrate(db), [slotsMigration]);
      const h = sqliteHistory(db);
      assert.deepEqual(await marked(h, 60), expected60);
      assert.deepEqual(await marked(h, 3600), { a: [0] });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL', { skip: testPgUrl ? undefined : pgSkipReason }, async () => {
    const { pool, drop } = await freshPgSchema();
    try {
      await migratePg(pool, pgMigrations.filter((m) => m.id !== slotsMigration));
      await pool.query("INSERT INTO history_nodes (id, uuid) OVERRIDING SYSTEM VALUE VALUES (1, 'a'), (2, 'b')");
      for (const r of stored) await pool.query(insertSql((i) => `$${i}`), r);
      await migratePg(pool);
      const h = pgHistory(pool);
      assert.deepEqual(await marked(h, 60), expected60);
      assert.deepEqual(await marked(h, 3600), { a: [0] });
    } finally {
      await drop();
    }
  });
});
