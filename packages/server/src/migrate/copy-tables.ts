import { storeTables } from '../store/table-catalog.ts';
import type { TableStore, TableWriter } from '../store/types.ts';
import { MigrateRefused } from './database-ref.ts';

/** Tables holding rows, as `accounts 1, settings 40`; empty when none does. */
export function tablesWithRows(counts: ReadonlyMap<string, number>): string {
  return [...counts].filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(', ');
}

async function refuseNonEmpty(w: TableWriter, target: string): Promise<void> {
  const counts = new Map<string, number>();
  for (const spec of storeTables) counts.set(spec.name, await w.count(spec.name));
  const held = tablesWithRows(counts);
  if (held) {
    throw new MigrateRefused(
      `refusing to migrate into ${target}: it already holds data (${held}); nothing was changed. ` +
        'Give an empty database (for PostgreSQL, another --schema) as --to.',
    );
  }
}

/**
 * Copies every table of `source` into `target`: one snapshot of the source read in batches of
 * `batchRows`, written inside one transaction on the target, so a failure leaves the target as it
 * was. The target must be empty (checked inside that transaction). Returns the rows of each table
 * in the snapshot, what the target has to hold afterwards.
 */
export async function copyTables(
  source: TableStore,
  target: TableStore,
  o: { batchRows: number; targetName: string; onTable?: (table: string, rows: number) => void },
): Promise<Map<string, number>> {
  return source.reading((r) =>
    target.writing(async (w) => {
      await refuseNonEmpty(w, o.targetName);
      const copied = new Map<string, number>();
      for (const spec of storeTables) {
        const expected = await r.count(spec.name);
        let rows = 0;
        for await (const batch of r.batches(spec.name, o.batchRows)) {
          await w.insert(spec.name, batch);
          rows += batch.length;
        }
        // The snapshot cannot change under the reader: a difference here is a reader that lost rows.
        if (rows !== expected) throw new Error(`reading ${spec.name} gave ${rows} rows where the source counts ${expected}`);
        copied.set(spec.name, rows);
        o.onTable?.(spec.name, rows);
      }
      await w.keepIdCounters(await r.idCounters());
      return copied;
    }),
  );
}
