/**
 * Backup and restore at scale: N nodes with D days of rollups (bench/lib/history-seed.ts, the
 * history benchmark's data), a server on that file answers `GET /api/admin/download/backup`; a
 * second, fresh server restores the archive through the chunked upload and rebuilds itself live.
 * The baseline, in the same run: a plain copy of the same database file (what a backup costs at
 * the least, without the consistent snapshot or the compression).
 *
 *   node bench/backup.ts                      # 200 nodes × 30 days
 *   node bench/backup.ts --nodes 1000         # the figure the README quotes
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { readFlags } from './lib/args.ts';
import { seedHistory } from './lib/history-seed.ts';
import { sampleProc } from './lib/proc.ts';
import { startServerChild, type ServerChild } from './lib/server.ts';
import { conditions, mib, table } from './lib/stats.ts';
import { bearer, uploadInChunks } from './lib/chunked-upload.ts';

const f = readFlags('backup benchmark: download and live restore of a month of history', {
  nodes: { default: 200, help: 'nodes with history' },
  days: { default: 30, help: 'days of history per node' },
});


/** Polls the restore status with the restored database's key until the rebuilt server reports the outcome. */
async function restored(s: ServerChild, key: string): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${s.url}/api/admin/backup/status`, { headers: bearer(key) });
      if (res.status === 200) {
        const data = ((await res.json()) as { data: { restoring: boolean; last: { ok: boolean; message: string } | null } }).data;
        if (!data.restoring && data.last) {
          if (!data.last.ok) throw new Error(`restore failed: ${data.last.message}`);
          return;
        }
      }
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('restore failed')) throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the restore did not finish in 10 minutes');
}

console.log(conditions());
const dir = mkdtempSync(join(tmpdir(), 'komari-bench-backup-'));
try {
  const db = join(dir, 'komari.db');
  const seeded = await seedHistory(db, f.nodes, f.days);
  const checkpoint = new DatabaseSync(db);
  checkpoint.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  checkpoint.close();
  console.log(`seeded ${f.nodes} nodes × ${f.days} days: ${seeded.rows} bucket rows, ${mib(statSync(db).size)} in ${(seeded.ms / 1000).toFixed(1)} s`);

  let t = performance.now();
  copyFileSync(db, join(dir, 'copy.db'));
  const copyMs = performance.now() - t;

  const source = await startServerChild({ db });
  let archive: Buffer;
  let downloadMs: number;
  let sourceRss: number;
  try {
    t = performance.now();
    const res = await fetch(`${source.url}/api/admin/download/backup`, { headers: { ...bearer(source.apiKey), connection: 'close' } });
    if (res.status !== 200) throw new Error(`download: HTTP ${res.status}`);
    archive = Buffer.from(await res.arrayBuffer());
    downloadMs = performance.now() - t;
    sourceRss = sampleProc(source.child.pid).peakRss;
  } finally {
    await source.stop();
  }

  const target = await startServerChild();
  let restoreMs: number;
  let targetRss: number;
  try {
    t = performance.now();
    await uploadInChunks(target, 'backup', archive); // the server answers before it swaps
    // the restored settings hold the source server's API key
    await restored(target, source.apiKey);
    restoreMs = performance.now() - t;
    targetRss = sampleProc(target.child.pid).peakRss;
  } finally {
    await target.stop();
  }

  console.log(`\nbackup and restore: ${f.nodes} nodes, ${f.days} days of rollups`);
  table([
    ['step', 'time', 'size', 'server peak RSS'],
    ['baseline: copy of the database file', `${(copyMs / 1000).toFixed(2)} s`, mib(statSync(db).size), ''],
    ['GET /api/admin/download/backup (snapshot, zip, keep a copy)', `${(downloadMs / 1000).toFixed(2)} s`, mib(archive.length), mib(sourceRss)],
    ['restore: upload, check, pre-restore copy, swap, rebuild', `${(restoreMs / 1000).toFixed(2)} s`, '', mib(targetRss)],
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
