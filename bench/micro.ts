/**
 * Micro-measurements behind the bottlenecks named in BENCHMARKS.md, in this process, in seconds:
 * what one `/api/clients` payload build costs at N nodes (and so how long FeedPayloads reuses
 * it), how much heap one report kept in the live view's recent window takes, what one node's
 * recent window holds after a minute of reports at 1 s (normal, and ~1 MiB messages cut by the
 * report bounds), what Node's async zlib costs per small body against the sync call, and what
 * a GeoIP lookup in the offline country database costs.
 *
 *   node --expose-gc bench/micro.ts
 */
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gunzipSync, gzipSync } from 'node:zlib';
import type { AppContext } from '../packages/server/src/app-context.ts';
import { parseReport } from '../packages/server/src/agents/ingest.ts';
import { boundReport } from '../packages/server/src/agents/report-bounds.ts';
import { defaultServerLimits } from '../packages/server/src/config/limits.ts';
import { CountryDb } from '../packages/server/src/geoip/country-db.ts';
import { bundledDbPath } from '../packages/server/src/geoip/geoip-service.ts';
import { readFileSync } from 'node:fs';
import { FeedPayloads, feedReuseFactor } from '../packages/server/src/realtime/clients-feed.ts';
import { LiveView } from '../packages/server/src/realtime/live-view.ts';
import { RecentWindow } from '../packages/server/src/realtime/recent-window.ts';
import { stamp } from '../packages/server/src/realtime/stamped-report.ts';
import { readFlags } from './lib/args.ts';
import { probeMessage, SimHost } from './lib/report-gen.ts';
import { conditions, summarize, table } from './lib/stats.ts';

const f = readFlags('micro-measurements: feed build, recent-window memory, zlib', {
  retained: { default: 100_000, help: 'reports kept to measure heap per report' },
  zlib: { default: 3000, help: 'gunzip operations per variant' },
  geoip: { default: 500_000, help: 'GeoIP lookups per address family' },
});

const report = (i: number) => parseReport(new SimHost(i).next(1, probeMessage(i, Date.now())));

function feedBuild(nodes: number): [number, number] {
  const live = new LiveView({ now: () => Date.now() }, defaultServerLimits.recent);
  for (let i = 0; i < nodes; i++) {
    const uuid = randomUUID();
    live.registerSocket(uuid, { id: i, protocol: 2, send: () => true, close: () => {} });
    live.record(stamp(uuid, report(i), Date.now()));
  }
  const feed = new FeedPayloads({ live } as unknown as AppContext);
  const times: number[] = [];
  let bytes = 0;
  for (let k = 0; k < 30; k++) {
    const t = performance.now();
    bytes = feed.build(new Set(), `key-${k}`).length; // a new key: always a real build
    times.push(performance.now() - t);
  }
  return [summarize(times).p50, bytes];
}

function heapPerReport(n: number): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return NaN;
  const keep: unknown[] = [];
  const host = new SimHost(1);
  const uuid = randomUUID(); // one node's uuid string is shared by all its reports
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) keep.push(stamp(uuid, parseReport(host.next(1, probeMessage(1, Date.now()))), Date.now()));
  gc();
  return (process.memoryUsage().heapUsed - before) / keep.length;
}

/**
 * One node's recent window after 60 reports at 1 s, through the report bounds as ingest does:
 * the bytes its bound counts, and the heap it takes (averaged over `nodes` windows; NaN without gc).
 */
function windowPerNode(message: string, nodes = 100): [number, number] {
  const gc = (globalThis as { gc?: () => void }).gc;
  const windows: RecentWindow[] = [];
  // the packed numbers live in ArrayBuffers, outside the V8 heap
  const held = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  gc?.();
  const before = held();
  for (let n = 0; n < nodes; n++) {
    const w = new RecentWindow(defaultServerLimits.recent);
    const host = new SimHost(n);
    for (let i = 0; i < 60; i++) w.push(stamp('node', boundReport(parseReport(host.next(1, message)), defaultServerLimits.report), i * 1000));
    windows.push(w);
  }
  gc?.();
  const heap = gc ? (held() - before) / nodes : NaN;
  return [windows[0]!.bytes, heap];
}

async function zlibCost(n: number): Promise<[number, number]> {
  const body = gzipSync(JSON.stringify({ jsonrpc: '2.0', method: 'agent.report', params: { report: report(1) }, id: 1 }));
  const cpu = (u: NodeJS.CpuUsage) => (u.user + u.system) / n;
  let t = process.cpuUsage();
  await Promise.all(Array.from({ length: n }, () => promisify(gunzip)(body)));
  const asyncUs = cpu(process.cpuUsage(t));
  t = process.cpuUsage();
  for (let i = 0; i < n; i++) gunzipSync(body);
  return [asyncUs, cpu(process.cpuUsage(t))];
}

/** Opening the bundled country database once, then lookups of spread-out addresses per second. */
function geoipCost(n: number): [number, number, number] {
  let t = performance.now();
  const db = CountryDb.open(readFileSync(bundledDbPath));
  const openMs = performance.now() - t;
  const v4 = Array.from({ length: 4096 }, (_, i) => `${1 + ((i * 37) % 222)}.${(i * 13) % 256}.${(i * 7) % 256}.${i % 256}`);
  const v6 = Array.from({ length: 4096 }, (_, i) => `2${(i % 16).toString(16)}0${(i * 7) % 10}:${(i * 131).toString(16)}::${i.toString(16)}`);
  const rate = (ips: string[]) => {
    t = performance.now();
    for (let i = 0; i < n; i++) db.lookup(ips[i % ips.length]!);
    return n / ((performance.now() - t) / 1000);
  };
  return [openMs, rate(v4), rate(v6)];
}

console.log(conditions());
const rows: (string | number)[][] = [['measure', 'value']];
for (const n of [1000, 5000, 10_000]) {
  const [ms, bytes] = feedBuild(n);
  rows.push([`/api/clients payload build, ${n} nodes`, `${ms.toFixed(1)} ms, ${(bytes / 1024).toFixed(0)} KiB; reused for up to ${(ms * (feedReuseFactor + 1)).toFixed(0)} ms`]);
}
const perReport = heapPerReport(f.retained);
rows.push(['heap per report kept in the recent window', Number.isFinite(perReport) ? `${perReport.toFixed(0)} B (run with --expose-gc)` : 'run with node --expose-gc']);
for (const [name, message] of [['normal reports', ''], ['~1 MiB messages', 'x'.repeat(1024 * 1024 - 4096)]] as const) {
  const [counted, heap] = windowPerNode(message);
  const measured = Number.isFinite(heap) ? `, ${(heap / 1024).toFixed(1)} KiB of heap and buffers` : '';
  rows.push([`one node's recent window, 60 s of ${name} at 1 s`, `${(counted / 1024).toFixed(1)} KiB counted${measured}`]);
}
const [asyncUs, syncUs] = await zlibCost(f.zlib);
rows.push(['gunzip of one report body, async / sync (process CPU)', `${asyncUs.toFixed(0)} µs / ${syncUs.toFixed(0)} µs`]);
const [openMs, v4Rate, v6Rate] = geoipCost(f.geoip);
rows.push(['GeoIP: open the bundled database / lookups per second IPv4, IPv6', `${openMs.toFixed(0)} ms / ${(v4Rate / 1e3).toFixed(0)}k, ${(v6Rate / 1e3).toFixed(0)}k`]);
table(rows);
