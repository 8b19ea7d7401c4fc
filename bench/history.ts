/**
 * History reads: N nodes with 30 days of rollups written straight into the store (default
 * retention tiers, as a month of 1-second agents leaves them), then a komari-ts server on that
 * file answers `/api/records/load` for 1, 24 and 720 hours (one node per request, chosen at
 * random) and `common:getRecords` for every node at once. p50/p99 over K sequential requests.
 *
 *   node bench/history.ts                    # 200 nodes
 *   node bench/history.ts --nodes 1000       # the budget run
 *   node bench/history.ts --nodes 1000 --db postgres://postgres@127.0.0.1:5432/test
 *                                            # the same on PostgreSQL (a fresh schema, dropped after)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFlags } from './lib/args.ts';
import { seedHistory } from './lib/history-seed.ts';
import { HttpClient } from './lib/http-client.ts';
import { PgProbe } from './lib/pg-probe.ts';
import { sampleProc } from './lib/proc.ts';
import { printProfile } from './lib/profile.ts';
import { rng } from './lib/report-gen.ts';
import { startServerChild } from './lib/server.ts';
import { conditions, kib, mib, ms, summarize, table } from './lib/stats.ts';

const f = readFlags('history benchmark: /api/records/load and common:getRecords over a month of rollups', {
  nodes: { default: 200, help: 'nodes with history' },
  days: { default: 30, help: 'days of history per node' },
  requests: { default: 200, help: '/api/records/load requests per window' },
  'rpc-requests': { default: 10, help: 'common:getRecords (all nodes) requests per window' },
  profile: { default: false, help: 'CPU-profile the server over the requests and summarise it' },
  db: { default: '', help: 'a postgres:// URL: the history lives in a fresh schema there (dropped after); empty: a temp SQLite file' },
});
const hoursList = [1, 24, 720];

interface Measured {
  times: number[];
  bytes: number;
  records: number;
}

async function repeat(n: number, one: () => Promise<{ ms: number; text: string; status: number }>, countOf: (json: any) => number): Promise<Measured> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const m: Measured = { times: [], bytes: 0, records: 0 };
  for (let i = 0; i < n; i++) {
    const res = await one();
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.text.slice(0, 200)}`);
    m.times.push(res.ms);
    m.bytes += res.text.length;
    m.records += countOf(JSON.parse(res.text));
  }
  return m;
}

console.log(conditions());
const dir = mkdtempSync(join(tmpdir(), 'komari-bench-history-'));
const pg = f.db ? await PgProbe.open(f.db) : undefined;
try {
  const db = f.db || join(dir, 'komari.db');
  const seeded = await seedHistory(db, f.nodes, f.days, Date.now(), pg?.schema);
  const engine = pg ? `PostgreSQL (schema ${pg.schema})` : 'SQLite';
  console.log(`seeded ${f.nodes} nodes × ${f.days} days on ${engine}: ${seeded.rows} bucket rows in ${(seeded.ms / 1000).toFixed(1)} s`);
  if (pg) console.log(`  history_buckets ${mib((await pg.size('history_buckets')).bytes)}`);
  const s = await startServerChild({ db, ...(pg && { env: { KOMARI_PG_SCHEMA: pg.schema } }) });
  const http = new HttpClient(s.url, 60_000);
  const pick = rng(42);
  const rows: (string | number)[][] = [['request', 'p50', 'p99', 'max', 'records/answer', 'answer size', 'budget']];
  let profile: string | undefined;
  try {
    // one warm-up pass, so the first figures are not the JIT's
    await repeat(20, () => http.get(`/api/records/load?uuid=${seeded.uuids[0]}&hours=720`), () => 0);
    if (f.profile) await s.profileStart();
    for (const hours of hoursList) {
      const m = await repeat(
        f.requests,
        () => http.get(`/api/records/load?uuid=${seeded.uuids[Math.floor(pick() * seeded.uuids.length)]}&hours=${hours}`),
        (j) => j.data.count,
      );
      const t = summarize(m.times);
      rows.push([`/api/records/load ${hours} h (1 node)`, ms(t.p50), ms(t.p99), ms(t.max), (m.records / f.requests).toFixed(0), kib(m.bytes / f.requests), hours === 720 ? 'p50 < 20 ms' : '']);
    }
    for (const hours of hoursList) {
      const body = JSON.stringify({ jsonrpc: '2.0', method: 'common:getRecords', params: { type: 'load', hours }, id: 1 });
      const post = async () => {
        const t = performance.now();
        const res = await http.post('/api/rpc2', body);
        return { ...res, ms: performance.now() - t };
      };
      const m = await repeat(f['rpc-requests'], post, (j) => j.result.count);
      const t = summarize(m.times);
      rows.push([`common:getRecords ${hours} h (all ${f.nodes})`, ms(t.p50), ms(t.p99), ms(t.max), (m.records / f['rpc-requests']).toFixed(0), kib(m.bytes / f['rpc-requests']), '']);
    }
    if (f.profile) profile = await s.profileStop();
    const proc = sampleProc(s.child.pid);
    console.log(`\nhistory on ${engine}: ${f.nodes} nodes, ${f.days} days of rollups at the default retention; sequential requests`);
    table(rows);
    console.log(`  server RSS ${mib(proc.rss)} (peak ${mib(proc.peakRss)})`);
  } finally {
    http.close();
    await s.stop();
  }
  if (profile) printProfile(profile);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await pg?.dropSchema();
  await pg?.close();
}
