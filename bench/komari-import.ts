/**
 * Komari history import (issue 14 §2): a Komari-shaped komari.db + metrics.db with N nodes and
 * D days of metric-store history (bench/lib/komari-db-generator.ts: the tier layout Komari holds
 * after its retention ladder with retention_days = D), then, each in its own process for its
 * peak RSS: the baseline (every rollup row read the way the import reads them, nothing written)
 * and the import into a fresh komari-ts store (nodes and ping tasks created first, as the client
 * import does). Prints time, rows/s and peak RSS of both, and the sizes.
 *
 *   node bench/komari-import.ts                        # 100 nodes × 30 days
 *   node bench/komari-import.ts --nodes 1000           # the budget run
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFlags } from './lib/args.ts';
import { generateKomariDbs } from './lib/komari-db-generator.ts';
import { conditions, mib, table } from './lib/stats.ts';

const f = readFlags('Komari history import benchmark: generate a Komari database, import its history', {
  nodes: { default: 100, help: 'Komari clients' },
  days: { default: 30, help: 'days of metric-store history (Komari retention_days)' },
  'ping-tasks': { default: 2, help: 'ping tasks, each on every node' },
  batch: { default: 2000, help: 'rows per write transaction' },
  digests: { default: false, help: 'write t-digest-sized blobs as Komari does (bigger input file)' },
});

interface ChildResult {
  ms: number;
  maxRssKiB: number;
  rows?: number;
  report?: { imported: Record<string, number>; skippedTotal: number };
  ourBytes?: number;
}

function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./lib/komari-import-child.ts', import.meta.url).pathname, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: ChildResult | undefined;
    child.on('message', (m) => (result = m as ChildResult));
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`child exited ${code} without a result`))));
  });
}

const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')}/s`;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

console.log(conditions());
const dir = mkdtempSync(join(tmpdir(), 'komari-bench-import-'));
try {
  const g = generateKomariDbs({ dir, nodes: f.nodes, days: f.days, pingTasks: f['ping-tasks'], digests: f.digests });
  console.log(`generated ${f.nodes} nodes × ${f.days} days: ${g.series} series, ${g.rollupRows.toLocaleString('en-US')} rollup rows in ${sec(g.ms)}; metrics.db ${mib(g.metricsBytes)}, komari.db ${mib(g.komariBytes)}`);
  const read = await runChild(['read', g.komariDb, g.metricsDb, '', String(f.batch)]);
  const target = join(dir, 'komari-ts.db');
  const imp = await runChild(['import', g.komariDb, g.metricsDb, target, String(f.batch)]);
  const imported = imp.report!.imported;
  const written = (imported.load_points ?? 0) + (imported.ping_points ?? 0);
  console.log(`\nkomari import: ${f.nodes} nodes, ${f.days} days, ${f['ping-tasks']} ping tasks; each step in its own process`);
  table([
    ['step', 'time', 'Komari rows/s', 'rows written', 'written/s', 'peak RSS'],
    ['baseline: read every rollup row, write nothing', sec(read.ms), rate(read.rows!, read.ms), '-', '-', mib(read.maxRssKiB * 1024)],
    ['import (history) into a fresh store', sec(imp.ms), rate(g.rollupRows, imp.ms), written.toLocaleString('en-US'), rate(written, imp.ms), mib(imp.maxRssKiB * 1024)],
  ]);
  console.log(`  imported: ${JSON.stringify(imported)}; skipped ${imp.report!.skippedTotal}`);
  console.log(`  komari-ts database after the import: ${mib(statSync(target).size)}`);
  if (imp.report!.skippedTotal !== 0 || read.rows !== g.rollupRows) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
