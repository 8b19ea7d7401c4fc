/**
 * A komari-ts server in its own process, so its CPU and RSS can be read from /proc: startServer
 * over a SQLite file, log level silent, the API key set through the settings service. The
 * instrumentation wraps methods from outside (no server source changes): accepted reports are
 * counted where ingest ends (LiveView.record), SQLite writes where the engines hand rows to the
 * store. Run by the benchmarks: node bench/lib/server-child.ts (env BENCH_DB, BENCH_API_KEY).
 * BENCH_DB may be a postgres:// URL, with KOMARI_PG_SCHEMA and KOMARI_CLUSTER for a replica
 * (bench/lib/replica-phase.ts); a replica also counts the reports it ingested itself (the live
 * view records forwarded ones too) and the bytes it publishes to the other replicas.
 */
import { statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { DatabaseSync } from 'node:sqlite';
import { randomToken } from '../../packages/server/src/auth/random-token.ts';
import { loadBootConfig } from '../../packages/server/src/config/boot-config.ts';
import { startServer } from '../../packages/server/src/main.ts';
import type { StampedReport } from '../../packages/server/src/realtime/stamped-report.ts';
import { serveRequests } from './child.ts';

const db = process.env.BENCH_DB!;
// a random key: the server refuses a short or patterned one (issue 12)
const apiKey = process.env.BENCH_API_KEY ?? randomToken(32);
const onPostgres = /^postgres(ql)?:\/\//.test(db);
const config = loadBootConfig({ listen: '127.0.0.1:0', db }, {
  KOMARI_LOG_LEVEL: 'silent', ADMIN_PASSWORD: 'bench-password-1', KOMARI_AGENT_WS_COMPRESSION: process.env.KOMARI_AGENT_WS_COMPRESSION ?? '1',
  ...(onPostgres && { KOMARI_DATA_DIR: process.env.BENCH_DIR, KOMARI_PG_SCHEMA: process.env.KOMARI_PG_SCHEMA, KOMARI_CLUSTER: process.env.KOMARI_CLUSTER }),
});
const server = await startServer(config, () => {});
await server.ctx.settings.update({ api_key: apiKey });

const counters = { accepted: 0, ingested: 0, historyTx: 0, historyRows: 0, historyWriteMs: 0, pingTx: 0, pingRows: 0, pingWriteMs: 0 };

const live = server.ctx.live;
const record = live.record.bind(live);
live.record = (s: StampedReport) => {
  record(s);
  counters.accepted++;
};

function timed<R extends { length: number }>(write: (rows: R) => Promise<void>, kind: 'history' | 'ping') {
  return async (rows: R) => {
    const t = performance.now();
    await write(rows);
    counters[`${kind}WriteMs`] += performance.now() - t;
    counters[`${kind}Tx`]++;
    counters[`${kind}Rows`] += rows.length;
  };
}
/** per topic, messages and bytes this replica published (what NATS carries out of it) */
const nats: Record<string, { msgs: number; bytes: number }> = {};
/** when the ping tasks were last re-read (a replica re-reads its caches after a change elsewhere) */
let lastReload = performance.now();
const cluster = server.ctx.cluster;
if (cluster.joined) {
  server.ctx.bus.subscribe('report.ingested', () => void counters.ingested++);
  const pingService = server.ctx.ping;
  const reload = pingService.reload.bind(pingService);
  pingService.reload = () => {
    lastReload = performance.now();
    return reload();
  };
  const publish = cluster.publish.bind(cluster);
  cluster.publish = (topic: string, data: unknown) => {
    const n = (nats[topic.startsWith('cmd.') ? 'cmd' : topic] ??= { msgs: 0, bytes: 0 });
    n.msgs++;
    n.bytes += Buffer.byteLength(JSON.stringify(data));
    publish(topic, data);
  };
}

const history = server.ctx.store.history;
history.write = timed(history.write.bind(history), 'history');
const ping = server.ctx.store.ping.history;
ping.write = timed(ping.write.bind(ping), 'ping');

function size(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Row counts through a second, read-only connection (WAL lets it read beside the writer). */
function rowCounts(): { historyRows: number; pingRows: number } {
  const reader = new DatabaseSync(db, { readOnly: true });
  try {
    const count = (table: string) => Number(reader.prepare(`SELECT count(*) AS n FROM ${table}`).get()!.n);
    return { historyRows: count('history_buckets'), pingRows: count('ping_buckets') };
  } finally {
    reader.close();
  }
}

let stopping: Promise<void> | undefined;
function stop(): Promise<void> {
  stopping ??= server.stop();
  return stopping;
}

/**
 * V8's sampling CPU profiler (the one behind node --cpu-prof), started and stopped over a
 * window through node:inspector, so set-up (node creation, connects) stays out of the profile.
 */
const inspector = new Session();
inspector.connect();

serveRequests({
  'profile-start': async () => {
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
    return {};
  },
  'profile-stop': async (m: { path: string }) => {
    const { profile } = await inspector.post('Profiler.stop');
    writeFileSync(m.path, JSON.stringify(profile));
    return { path: m.path };
  },
  /** a V8 heap snapshot, for attributing memory per agent (bench/mem-profile.ts) */
  'heap-snapshot': (m: { path: string }) => ({ path: writeHeapSnapshot(m.path), memory: process.memoryUsage() }),
  /** V8's spaces (size vs used: what the GC keeps beyond live objects) */
  'heap-spaces': () => ({ memory: process.memoryUsage(), spaces: getHeapSpaceStatistics() }),
  stats: () => ({ ...counters, dbBytes: size(db) + size(`${db}-wal`), memory: process.memoryUsage(), nats: structuredClone(nats) }),
  rows: () => rowCounts(),
  /** how long since this replica last re-read its ping tasks (bench/lib/replica-phase.ts waits for quiet) */
  quiet: () => ({ ms: performance.now() - lastReload }),
  /** one node's recent window: reports kept and the bytes its bound counts */
  recent: (m: { uuid: string }) => ({ reports: live.recent(m.uuid).length, bytes: live.recentBytes(m.uuid) }),
  stop: async () => {
    await stop();
    // exit after the answer is on its way; --cpu-prof writes its profile on exit
    setTimeout(() => process.exit(0), 50);
    return { ...counters, dbBytes: size(db) + size(`${db}-wal`) };
  },
});
process.on('disconnect', () => void stop().finally(() => process.exit(0)));
process.send?.({ type: 'ready', url: server.url, apiKey });
