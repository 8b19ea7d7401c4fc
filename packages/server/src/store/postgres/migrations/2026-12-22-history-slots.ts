import type { PgMigration } from '../migrations.ts';

export const migration: PgMigration = {
  // SQLite's 2026-12-22-history-slots: which history buckets are stored with samples, 32 to a
  // row (store/history-slots.ts), filled from the buckets already stored.
  id: '2026-12-22-history-slots',
  sql: `
    CREATE TABLE history_slots (
      node BIGINT NOT NULL REFERENCES history_nodes(id) ON DELETE CASCADE,
      width BIGINT NOT NULL,
      block BIGINT NOT NULL,
      bits BIGINT NOT NULL,
      PRIMARY KEY (node, width, block)
    );
    INSERT INTO history_slots (node, width, block, bits)
      SELECT node, width, block, bit_or(1::bigint << ((start - block) / (width * 1000))::int) FROM (
        SELECT node, width, start, start - (((start % (width * 32000)) + width * 32000) % (width * 32000)) AS block FROM history_buckets WHERE count > 0
      ) b GROUP BY node, width, block;
  `,
};
