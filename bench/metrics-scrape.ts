/**
 * `GET /metrics` on a large fleet, beside `GET /api/nodes` on the same fleet in the same run: a
 * komari-ts server in this process, N nodes created through the admin API, each with a latest
 * report (ingested in process, paced over every second as agents would send them, so the scrape
 * is measured while reports keep arriving), and ping tasks listing every node with results. The
 * routes are requested in turn with the API key (the scrape plain and gzipped, as Prometheus asks),
 * one request at a time; prints p50/p99 of each, their sizes, and the in-process build time of
 * the exposition alone.
 *
 *   nice -n 10 node bench/metrics-scrape.ts                      # 1000 nodes, 300 requests each
 *   nice -n 10 node bench/metrics-scrape.ts --nodes 5000 --tasks 5
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { ingestReport, parseReport } from '../packages/server/src/agents/ingest.ts';
import { loadBootConfig } from '../packages/server/src/config/boot-config.ts';
import { startServer } from '../packages/server/src/main.ts';
import { buildExposition } from '../packages/server/src/prometheus/route.ts';
import { readFlags } from './lib/args.ts';
import { HttpClient } from './lib/http-client.ts';
import { SimHost } from './lib/report-gen.ts';
import { conditions, kib, ms, summarize, table } from './lib/stats.ts';

const f = readFlags('GET /metrics scrape time on a large fleet, beside GET /api/nodes', {
  nodes: { default: 1000, help: 'nodes, each with a latest report' },
  tasks: { default: 3, help: 'ping tasks, each listing every node' },
  requests: { default: 300, help: 'requests of each route (after 20 warm-up requests)' },
  rate: { default: 1, help: 'reports per node per second while measuring (0: none)' },
});

const apiKey = 'bench-metrics-Wq4Zr9Kx2Mv7Bn1Tj6Hp3Ls8Dc';
const auth = { authorization: `Bearer ${apiKey}` };
const dir = mkdtempSync(join(tmpdir(), 'komari-bench-metrics-'));
const config = loadBootConfig({ listen: '127.0.0.1:0', db: join(dir, 'komari.db') }, { KOMARI_LOG_LEVEL: 'silent', ADMIN_PASSWORD: 'bench-password-1' });
const server = await startServer(config, () => {});
const http = new HttpClient(server.url, 30_000);

/** Runs `fn` over 0..n-1 with at most `limit` at a time. */
async function pool(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) await fn(i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await http.post(path, JSON.stringify(body), auth);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
  return JSON.parse(res.text) as Record<string, unknown>;
}

try {
  console.log(conditions());
  await server.ctx.settings.update({ api_key: apiKey });
  const uuids: string[] = new Array(f.nodes);
  const groups = ['asia', 'europe', 'america', ''];
  await pool(f.nodes, 16, async (i) => {
    uuids[i] = String((await post('/api/admin/client/add', { name: `node-${i}` })).uuid);
    await post(`/api/admin/client/${uuids[i]}/edit`, { group: groups[i % groups.length] });
  });
  for (let t = 0; t < f.tasks; t++) {
    await post('/api/admin/ping/add', { name: `probe ${t}`, type: 'icmp', target: '1.1.1.1', interval: 60, clients: uuids });
  }
  const ctx = server.ctx;
  const hosts = uuids.map((_, i) => new SimHost(i));
  const ingest = (i: number) => ingestReport(ctx, uuids[i]!, parseReport(hosts[i]!.next(1, '')), { presence: true, protocol: 2 });
  for (let i = 0; i < f.nodes; i++) ingest(i);
  for (const task of ctx.ping.tasks()) {
    for (let i = 0; i < f.nodes; i++) for (let k = 0; k < 10; k++) ctx.ping.record(task.id, uuids[i]!, k % 7 === 0 ? -1 : 20 + ((i + k) % 50));
  }

  // Reports keep arriving, paced over each second, while the routes are measured.
  let paced: NodeJS.Timeout | undefined;
  if (f.rate > 0) {
    let j = 0;
    let t = performance.now();
    const slot = 1000 / (f.nodes * f.rate);
    const loop = () => {
      const now = performance.now();
      for (; t <= now; t += slot) ingest((j = (j + 1) % f.nodes));
      paced = setTimeout(loop, 5);
    };
    loop();
  }

  type Route = 'metrics' | 'gzip' | 'nodes';
  const timings: Record<Route, number[]> = { metrics: [], gzip: [], nodes: [] };
  const sizes: Record<Route, number> = { metrics: 0, gzip: 0, nodes: 0 };
  const paths = { metrics: '/metrics', gzip: '/metrics', nodes: '/api/nodes' } as const;
  const orders: ReadonlyArray<readonly Route[]> = [['metrics', 'gzip', 'nodes'], ['nodes', 'metrics', 'gzip'], ['gzip', 'nodes', 'metrics']];
  for (let round = 0; round < 20 + f.requests; round++) {
    for (const which of orders[round % orders.length]!) {
      // Prometheus sends Accept-Encoding: gzip; the other two are read uncompressed
      const res = await http.get(paths[which], which === 'gzip' ? { ...auth, 'accept-encoding': 'gzip' } : auth);
      if (res.status !== 200) throw new Error(`${paths[which]}: ${res.status} ${res.text.slice(0, 200)}`);
      sizes[which] = Buffer.byteLength(res.text);
      if (round >= 20) timings[which].push(res.ms);
    }
  }
  const build: number[] = [];
  for (let i = 0; i < f.requests; i++) {
    const t = performance.now();
    // encoded, as a reply must: the text is a rope until something reads it whole
    Buffer.from(await buildExposition(ctx));
    build.push(performance.now() - t);
  }
  sizes.gzip = gzipSync(await buildExposition(ctx), { level: 1 }).length;
  clearTimeout(paced);

  const lines = (await http.get('/metrics', auth)).text.split('\n').filter((l) => l && !l.startsWith('#')).length;
  console.log(`${f.nodes} nodes online, ${f.tasks} ping tasks over every node; ${f.requests} requests of each route, in turn, one at a time; reports ${f.rate > 0 ? `${f.nodes * f.rate}/s` : 'paused'}`);
  const m = summarize(timings.metrics);
  const g = summarize(timings.gzip);
  const n = summarize(timings.nodes);
  const b = summarize(build);
  table([
    ['', 'p50', 'p99', 'max', 'body'],
    ['GET /metrics', ms(m.p50), ms(m.p99), ms(m.max), `${kib(sizes.metrics)} (${lines} samples)`],
    ['GET /metrics, Accept-Encoding: gzip', ms(g.p50), ms(g.p99), ms(g.max), `~${kib(sizes.gzip)}`],
    ['GET /api/nodes (baseline)', ms(n.p50), ms(n.p99), ms(n.max), kib(sizes.nodes)],
    ['build + UTF-8 encode (in process)', ms(b.p50), ms(b.p99), ms(b.max), ''],
  ]);
} finally {
  http.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
