/**
 * The replicas phase of bench/ingest.ts (issue 16 §4): N komari-ts replicas on one fresh
 * PostgreSQL schema joined through NATS, the fleet split across them (one fleet process per
 * replica, each agent reporting to its replica only), one dashboard on the last replica. Over the
 * window: reports each replica ingested itself and received from the others, their CPU, the bytes
 * they publish to NATS, PostgreSQL's rows written (pg_stat_user_tables) and its CPU (the
 * replicas' backends, from /proc), WAL, and report → other replica's dashboard latency. After the
 * run: table sizes, as written and compacted. The schema is dropped at the end, whatever happens.
 */
import { randomToken } from '../../packages/server/src/auth/random-token.ts';
import { defaultMix, fleetResult, forkFleet } from '../fleet.ts';
import type { Child } from './child.ts';
import { HttpClient } from './http-client.ts';
import { PgProbe, PidCpuWatch, type TableWrites } from './pg-probe.ts';
import { coresBetween, RssWatch, sampleProc, type ProcSample } from './proc.ts';
import { startServerChild, type ServerChild } from './server.ts';
import { sleep, summarize, type Summary } from './stats.ts';
import { LatencyViewer } from './viewer.ts';

export interface ReplicaOptions {
  db: string;
  nats: string;
  replicas: number;
  /** shares of the fleet per replica, e.g. "1,1" or "1,0"; empty: even */
  split: string;
  agents: number;
  intervalS: number;
  warmupS: number;
  durationS: number;
  mix?: string;
  pingTasks: number;
  pingIntervalS: number;
  pollMs: number;
}

export interface ReplicaFigures {
  agents: number;
  ingestedPerS: number;
  /** reports other replicas forwarded here (recorded in this live view) */
  forwardedInPerS: number;
  cores: number;
  rssMax: number;
  peakRss: number;
  /** per NATS topic this replica published on: messages/s, bytes/s */
  nats: Record<string, { msgsPerS: number; bytesPerS: number }>;
  historyRowsPerS: number;
  pingRowsPerS: number;
  msPerHistoryTx: number;
}

export interface ReplicaPhase {
  schema: string;
  seconds: number;
  counts: number[];
  /** how long the replicas kept re-reading their caches after the nodes were created */
  settleMs: number;
  replicas: ReplicaFigures[];
  acceptedPerS: number;
  cores: number;
  usPerReport: number;
  pg: { backendCores: number; backends: number; backgroundCores: number; rowsPerS: number; byTable: Record<string, number>; walBytesPerS: number; othersActive: number };
  latency: { all: Summary; cross: Summary; local: Summary };
  viewerGetsPerS: number;
  fleets: Record<string, unknown>[];
  fleetCores: number;
  /** after the run: rows, bytes as written, bytes after VACUUM FULL */
  sizes: Record<string, { rows: number; bytes: number; compactBytes: number }>;
}

/** Agents per replica from the shares (the rest of the rounding to the first). */
export function splitAgents(agents: number, split: string, replicas: number): number[] {
  const shares = split ? split.split(',').map(Number) : Array.from({ length: replicas }, () => 1);
  if (shares.length !== replicas || shares.some((s) => !Number.isFinite(s) || s < 0) || !shares.some((s) => s > 0)) {
    throw new Error(`--split must give ${replicas} non-negative shares, not all 0 (got '${split}')`);
  }
  const total = shares.reduce((a, b) => a + b, 0);
  const counts = shares.map((s) => Math.floor((agents * s) / total));
  counts[counts.findIndex((s) => s > 0)]! += agents - counts.reduce((a, b) => a + b, 0);
  return counts;
}

interface Snapshot {
  stats: Array<Record<string, number> & { nats: Record<string, { msgs: number; bytes: number }> }>;
  procs: ProcSample[];
  fleets: ProcSample[];
  tables: TableWrites;
  wal: string;
}

async function snapshot(servers: ServerChild[], fleets: Child[], probe: PgProbe): Promise<Snapshot> {
  const stats = await Promise.all(servers.map((s) => s.child.request({ type: 'stats' })));
  return { stats, procs: servers.map((s) => sampleProc(s.child.pid)), fleets: fleets.map((f) => sampleProc(f.pid)), tables: await probe.tableWrites(), wal: await probe.walLsn() };
}

function replicaFigures(a: Snapshot, b: Snapshot, i: number, agents: number, rssMax: number): ReplicaFigures {
  const seconds = (b.procs[i]!.at - a.procs[i]!.at) / 1000;
  const [sa, sb] = [a.stats[i]!, b.stats[i]!];
  const per = (key: string) => (sb[key]! - sa[key]!) / seconds;
  const nats = Object.fromEntries(Object.entries(sb.nats).map(([topic, n]) => [topic, {
    msgsPerS: (n.msgs - (sa.nats[topic]?.msgs ?? 0)) / seconds,
    bytesPerS: (n.bytes - (sa.nats[topic]?.bytes ?? 0)) / seconds,
  }]));
  return {
    agents, ingestedPerS: per('ingested'), forwardedInPerS: per('accepted') - per('ingested'), cores: coresBetween(a.procs[i]!, b.procs[i]!),
    rssMax, peakRss: b.procs[i]!.peakRss, nats, historyRowsPerS: per('historyRows'), pingRowsPerS: per('pingRows'),
    msPerHistoryTx: (sb.historyWriteMs! - sa.historyWriteMs!) / Math.max(1, sb.historyTx! - sa.historyTx!),
  };
}

async function addPingTasks(url: string, apiKey: string, o: ReplicaOptions): Promise<void> {
  // before any node exists: default-on tasks are given to the nodes created after them
  const http = new HttpClient(url);
  try {
    for (let i = 0; i < o.pingTasks; i++) {
      const body = { name: `bench-${i}`, type: 'icmp', target: '127.0.0.1', interval: o.pingIntervalS, default_on: true };
      const res = await http.post('/api/admin/ping/add', JSON.stringify(body), { authorization: `Bearer ${apiKey}` });
      if (res.status !== 200) throw new Error(`ping/add: ${res.status} ${res.text}`);
    }
  } finally {
    http.close();
  }
}

/**
 * Waits until no replica has re-read its caches for `quietMs`. Each node added on one replica
 * makes the others re-read theirs (settings, nodes, ping tasks, alert rules), one re-read queued
 * behind the other, and every ping-task re-read restarts the ping timers: agents connected during
 * that backlog would get no ping for longer than the read deadline and be dropped.
 */
async function waitQuiet(servers: ServerChild[], quietMs: number, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const quiet = await Promise.all(servers.map((s) => s.child.request({ type: 'quiet' }) as Promise<{ ms: number }>));
    if (quiet.every((q) => q.ms >= quietMs)) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) {
      console.warn(`  replicas still re-reading their caches after ${(timeoutMs / 1000).toFixed(0)} s; measuring anyway`);
      return performance.now() - t0;
    }
    await sleep(250);
  }
}

async function measure(o: ReplicaOptions, servers: ServerChild[], fleets: Child[], viewer: LatencyViewer, probe: PgProbe) {
  const backends = new PidCpuWatch(() => probe.backendPids());
  const background = new PidCpuWatch(() => probe.backgroundPids());
  const a = await snapshot(servers, fleets, probe);
  await Promise.all([backends.start(), background.start()]);
  viewer.begin();
  const rss = servers.map((s) => new RssWatch(s.child.pid));
  await sleep((o.durationS * 1000) / 2);
  const othersActive = await probe.othersActive();
  await sleep((o.durationS * 1000) / 2);
  const b = await snapshot(servers, fleets, probe);
  viewer.end();
  return { a, b, othersActive, backends: await backends.stop(), background: await background.stop(), rssMax: rss.map((r) => r.stop()) };
}

function rowsPerS(a: TableWrites, b: TableWrites, seconds: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [table, n] of b) if (n !== (a.get(table) ?? 0)) out[table] = (n - (a.get(table) ?? 0)) / seconds;
  return out;
}

/** The replicas, one after another: the first creates the schema, its tables and the admin account. */
async function startReplicas(o: ReplicaOptions, probe: PgProbe, apiKey: string, servers: ServerChild[]): Promise<void> {
  for (let i = 0; i < o.replicas; i++) {
    const env = { KOMARI_PG_SCHEMA: probe.schema, KOMARI_CLUSTER: o.nats, PGAPPNAME: `${probe.appPrefix}${i}`, BENCH_API_KEY: apiKey };
    servers.push(await startServerChild({ db: o.db, env }));
  }
}

/**
 * One fleet per replica with agents, side by side: nodes created, then connected once the
 * replicas are quiet; each reports until told to stop, so every agent reports through the window.
 * Returns how long the replicas kept re-reading their caches after the nodes were created.
 */
async function startFleets(o: ReplicaOptions, counts: number[], bases: number[], servers: ServerChild[], apiKey: string, fleets: Child[]): Promise<number> {
  const setupMs = 120_000 + o.agents * 40;
  counts.forEach((n, i) => {
    if (n === 0) return;
    fleets.push(forkFleet({
      url: servers[i]!.url, apiKey, agents: n, indexBase: bases[i], intervalMs: o.intervalS * 1000, mix: o.mix ?? defaultMix,
      durationMs: (o.warmupS + o.durationS + 1) * 1000 + setupMs, pingTasks: 0, pingIntervalS: o.pingIntervalS, connectWhenTold: true,
    }));
  });
  // a fleet that fails says why on its last stdout line
  const said = (f: Child) => (err: unknown) => {
    throw new Error(`${(err as Error).message}: ${JSON.stringify(fleetResult(f))}`);
  };
  await Promise.all(fleets.map((f) => f.waitFor('created', setupMs).catch(said(f))));
  const settleMs = await waitQuiet(servers, 2000, 120_000);
  const running = Promise.all(fleets.map((f) => f.waitFor('running', setupMs).catch(said(f))));
  for (const f of fleets) f.proc.send({ type: 'connect' });
  await running;
  return settleMs;
}

/** Table sizes once the replicas stopped (their last history flush in): as written, then compacted. */
async function tableSizes(probe: PgProbe): Promise<ReplicaPhase['sizes']> {
  const sizes: ReplicaPhase['sizes'] = {};
  for (const table of ['history_buckets', 'ping_buckets']) {
    const written = await probe.size(table);
    await probe.compact(table);
    sizes[table] = { ...written, compactBytes: (await probe.size(table)).bytes };
  }
  return sizes;
}

type Measured = Awaited<ReturnType<typeof measure>>;

async function figures(m: Measured, counts: number[], probe: PgProbe, viewer: LatencyViewer, fleets: Child[]): Promise<Omit<ReplicaPhase, 'sizes' | 'settleMs'>> {
  const replicas = counts.map((n, i) => replicaFigures(m.a, m.b, i, n, m.rssMax[i]!));
  const seconds = (m.b.procs[0]!.at - m.a.procs[0]!.at) / 1000;
  const acceptedPerS = replicas.reduce((x, r) => x + r.ingestedPerS, 0);
  const cores = replicas.reduce((x, r) => x + r.cores, 0);
  const byTable = rowsPerS(m.a.tables, m.b.tables, seconds);
  const group = (g: string) => summarize(viewer.byGroup.get(g) ?? []);
  return {
    schema: probe.schema, seconds, counts, replicas, acceptedPerS, cores, usPerReport: (cores * 1e6) / acceptedPerS,
    pg: {
      backendCores: m.backends.cores, backends: m.backends.processes, backgroundCores: m.background.cores,
      rowsPerS: Object.values(byTable).reduce((x, y) => x + y, 0), byTable,
      walBytesPerS: (await probe.walBytesBetween(m.a.wal, m.b.wal)) / seconds, othersActive: m.othersActive,
    },
    latency: { all: summarize(viewer.latencies), cross: group('cross'), local: group('local') },
    viewerGetsPerS: viewer.gets / seconds,
    fleets: fleets.map((f) => fleetResult(f)),
    fleetCores: m.b.fleets.reduce((x, p, i) => x + coresBetween(m.a.fleets[i]!, p), 0),
  };
}

export async function runReplicaPhase(o: ReplicaOptions): Promise<ReplicaPhase> {
  const counts = splitAgents(o.agents, o.split, o.replicas);
  const bases = counts.map((_, i) => counts.slice(0, i).reduce((x, y) => x + y, 0));
  const probe = await PgProbe.open(o.db);
  const servers: ServerChild[] = [];
  const fleets: Child[] = [];
  let viewer: LatencyViewer | undefined;
  let stopped = false;
  try {
    const apiKey = randomToken(32);
    await startReplicas(o, probe, apiKey, servers);
    await addPingTasks(servers[0]!.url, apiKey, o);
    const settleMs = await startFleets(o, counts, bases, servers, apiKey, fleets);
    const lastBase = bases.at(-1)!;
    viewer = await LatencyViewer.open(servers.at(-1)!.url, o.pollMs, (agent) => (agent >= lastBase ? 'local' : 'cross'));
    await sleep(o.warmupS * 1000);
    const m = await measure(o, servers, fleets, viewer, probe);
    for (const f of fleets) f.proc.send({ type: 'stop' });
    await Promise.all(fleets.map((f) => f.exit(30_000)));
    for (const s of [...servers].reverse()) await s.stop();
    stopped = true;
    return { ...(await figures(m, counts, probe, viewer, fleets)), settleMs, sizes: await tableSizes(probe) };
  } finally {
    viewer?.close();
    for (const f of fleets) if (f.proc.exitCode === null && f.proc.signalCode === null) f.proc.kill('SIGKILL');
    if (!stopped) await Promise.allSettled(servers.map((s) => s.stop()));
    await probe.dropSchema().catch((err: unknown) => console.error(`could not drop schema ${probe.schema}: ${String(err)}`));
    await probe.close();
  }
}
