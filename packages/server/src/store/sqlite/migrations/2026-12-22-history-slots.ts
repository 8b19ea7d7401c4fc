import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  // Which history buckets are stored with samples, 32 to a row (store/history-slots.ts): reads
  // over every node count buckets here. Filled from the buckets already stored; bits of one
  // block are distinct powers of two, so their SUM is their OR (SQLite has no bit_or).
  id: '2026-12-22-history-slots',
  sql: `
    CREATE TABLE history_slots (
      node INTEGER NOT NULL,
      width INTEGER NOT NULL,
      block INTEGER NOT NULL,
      bits INTEGER NOT NULL,
      PRIMARY KEY (node, width, block)
    ) WITHOUT ROWID;
    INSERT INTO history_slots (node, width, block, bits)
      SELECT node, width, block, SUM(1 << ((start - block) / (width * 1000))) FROM (
        SELECT node, width, start, start - (((start % (width * 32000)) + width * 32000) % (width * 32000)) AS block FROM history_buckets WHERE count > 0
      ) GROUP BY node, width, block;
  `,
};
