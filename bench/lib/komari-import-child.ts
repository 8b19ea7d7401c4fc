/**
 * One measured step of bench/komari-import.ts in a process of its own, so its peak RSS is its
 * own: `read` walks every rollup row the way the import does (per client, oldest first) and
 * writes nothing (the baseline); `import` creates the nodes and ping tasks in a fresh store and
 * runs the history import. The result goes back over IPC.
 */
import { statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { importKomariHistory } from '../../packages/server/src/import/komari/history/import-history.ts';
import { ImportReportBuilder } from '../../packages/server/src/import/komari/report.ts';
import { openSqliteStore } from '../../packages/server/src/store/sqlite/open.ts';
import { nodeRow } from './history-seed.ts';

const [mode, komariDb, metricsDb, target, batch] = process.argv.slice(2) as [string, string, string, string, string];

function readOnly(): { rows: number } {
  const db = new DatabaseSync(metricsDb, { readOnly: true });
  const rollups = db.prepare(`SELECT series_id, resolution_id, bucket_milli, count, sum, min_val, max_val, first_val, last_val, last_ts_milli
    FROM metric_rollups WHERE series_id IN (SELECT value FROM json_each(?)) ORDER BY bucket_milli, resolution_id, series_id`);
  let rows = 0;
  let client: string | undefined;
  let ids: number[] = [];
  const flush = () => {
    for (const r of rollups.iterate(JSON.stringify(ids))) if (r.count !== null) rows++;
  };
  for (const s of db.prepare('SELECT id, entity_id FROM metric_series ORDER BY entity_id, id').iterate()) {
    if (s.entity_id !== client) {
      if (ids.length > 0) flush();
      client = String(s.entity_id);
      ids = [];
    }
    ids.push(Number(s.id));
  }
  if (ids.length > 0) flush();
  db.close();
  return { rows };
}

async function importAll(): Promise<{ report: ReturnType<ImportReportBuilder['finish']>; ourBytes: number }> {
  const store = openSqliteStore(target);
  const komari = new DatabaseSync(komariDb, { readOnly: true });
  const now = Date.now();
  const uuids = new Set<string>();
  // A stand-in for the client import: the nodes and ping tasks exist before the history comes.
  for (const [i, c] of komari.prepare('SELECT uuid FROM clients').all().entries()) {
    await store.nodes.create({ ...nodeRow(i, now), uuid: String(c.uuid) });
    uuids.add(String(c.uuid));
  }
  const tasks = new Map<number, number>();
  for (const t of komari.prepare('SELECT id, name FROM ping_tasks').all()) {
    tasks.set(Number(t.id), await store.ping.tasks.create({ name: String(t.name), clients: [...uuids], defaultOn: false, type: 'icmp', target: 'x', interval: 60 }));
  }
  const report = new ImportReportBuilder({ kind: 'komari', schema: '1.4.3' }, 'fresh');
  await importKomariHistory({ komariDb: komari, metricsDb, clientUuids: uuids, pingTaskIds: tasks, batchRows: Number(batch) }, store, report);
  komari.close();
  await store.close();
  return { report: report.finish(), ourBytes: statSync(target).size };
}

const t0 = performance.now();
const result = mode === 'read' ? readOnly() : await importAll();
const ms = performance.now() - t0;
process.send!({ type: 'done', ms, maxRssKiB: process.resourceUsage().maxRSS, ...result }, () => process.exit(0));
