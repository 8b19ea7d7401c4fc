/**
 * Ingest: a komari-ts server (own process) fed by the fleet simulator (own process) while a
 * dashboard socket watches `/api/clients` from this process. Measured over a window after a
 * warm-up: server CPU (cores) and RSS from /proc, reports accepted per second, send → dashboard
 * latency p50/p99, SQLite writes. Then the same fleet against a bare `ws` server that only
 * parses (bench/bare-ws.ts): the limit, and the ratio komari-ts / bare.
 *
 *   node bench/ingest.ts                                  # 500 agents, 1 s interval, 20 s window
 *   node bench/ingest.ts --agents 10000 --duration 60     # the budget run
 *   node bench/ingest.ts --agents 2000 --profile          # with a CPU profile of the server
 *
 * With `--replicas N --db postgres://…` (issue 16 §4) the same fleet then runs split across N
 * replicas on a fresh PostgreSQL schema joined through NATS (bench/lib/replica-phase.ts), and its
 * figures print beside this run's SQLite server: reports/s, CPU per report of the servers and of
 * PostgreSQL's backends, rows and WAL written, NATS bytes, report → other replica's dashboard.
 *
 *   nice -n 10 node bench/ingest.ts --agents 2000 --skip-bare --replicas 2 --db postgres://postgres@127.0.0.1:5432/test
 */
import { Child } from './lib/child.ts';
import { readFlags } from './lib/args.ts';
import { printProfile } from './lib/profile.ts';
import { coresBetween, RssWatch, sampleProc, type ProcSample } from './lib/proc.ts';
import { startServerChild } from './lib/server.ts';
import { conditions, mib, ms, sleep, summarize, table, type Summary } from './lib/stats.ts';
import { runReplicaPhase } from './lib/replica-phase.ts';
import { printReplicas } from './lib/replica-report.ts';
import { LatencyViewer } from './lib/viewer.ts';
import { defaultMix, fleetResult, forkFleet, kindOf } from './fleet.ts';

const f = readFlags('ingest benchmark: komari-ts vs a bare ws server, same fleet', {
  agents: { default: 500, help: 'simulated agents' },
  interval: { default: 1, help: 'seconds between reports of one agent' },
  duration: { default: 20, help: 'measured window, seconds' },
  warmup: { default: 5, help: 'seconds of reporting before the window' },
  mix: { default: defaultMix, help: 'shares of v2ws, v1ws, v2post, v1post' },
  'ping-tasks': { default: 1, help: 'ping tasks every node runs' },
  'ping-interval': { default: 5, help: 'ping task interval, seconds' },
  'poll-ms': { default: 50, help: 'dashboard pause between an answer and the next get (0: at once); part of the latency' },
  'skip-bare': { default: false, help: 'skip the bare ws run' },
  'no-ws-compression': { default: false, help: 'both servers decline permessage-deflate on v2 sockets (KOMARI_AGENT_WS_COMPRESSION=0)' },
  profile: { default: false, help: 'CPU-profile the komari-ts server over the window and summarise it' },
  json: { default: false, help: 'also print the figures as one JSON line' },
  replicas: { default: 0, help: 'then the same fleet split across this many replicas on PostgreSQL (--db) joined through NATS; 0: none' },
  db: { default: '', help: 'the PostgreSQL URL for --replicas (a fresh schema per run, dropped after)' },
  nats: { default: 'nats://127.0.0.1:4222', help: 'the NATS server joining the replicas' },
  split: { default: '', help: 'shares of the fleet per replica, e.g. 1,0 (all on the first); empty: even' },
});
if (f.replicas > 0 && !/^postgres(ql)?:\/\//.test(f.db)) throw new Error('--replicas needs --db postgres://…: replicas share one PostgreSQL database');

// Both server children inherit this: the same compression terms on both sides of the ratio.
process.env.KOMARI_AGENT_WS_COMPRESSION = f['no-ws-compression'] ? '0' : '1';

interface Target {
  pid: number;
  url: string;
  apiKey: string;
  stats(): Promise<Record<string, number>>;
  /** around the measured window (the CPU profile) */
  begin?(): Promise<void>;
  end?(): Promise<void>;
}

interface Phase {
  acceptedPerS: number;
  cores: number;
  usPerReport: number;
  rssMax: number;
  peakRss: number;
  fleetCores: number;
  fleet: Record<string, unknown>;
  latency?: Summary;
  /** the same latencies by the agent's kind (v2ws, v1ws, v2post, v1post) */
  latencyByKind?: Map<string, Summary>;
  viewerGetsPerS?: number;
  viewerBytes?: number;
  server: { a: Record<string, number>; b: Record<string, number>; seconds: number };
}

async function runPhase(t: Target, withViewer: boolean): Promise<Phase> {
  const fleet = forkFleet({
    url: t.url, apiKey: t.apiKey, agents: f.agents, intervalMs: f.interval * 1000, mix: f.mix,
    // the window ends it (`stop` below); the duration is only the bound if that never comes
    durationMs: (f.warmup + f.duration + 120) * 1000, pingTasks: f['ping-tasks'], pingIntervalS: f['ping-interval'],
  });
  await fleet.waitFor('running', 60_000 + f.agents * 20);
  const viewer = withViewer ? await LatencyViewer.open(t.url, f['poll-ms'], (agent) => kindOf(agent, f.mix)) : undefined;
  await sleep(f.warmup * 1000);
  const snap = async (): Promise<[Record<string, number>, ProcSample, ProcSample]> => [await t.stats(), sampleProc(t.pid), sampleProc(fleet.pid)];
  await t.begin?.();
  const [a, pa, fa] = await snap();
  viewer?.begin();
  const rss = new RssWatch(t.pid);
  await sleep(f.duration * 1000);
  const [b, pb, fb] = await snap();
  viewer?.end();
  await t.end?.();
  const rssMax = rss.stop();
  const seconds = (pb.at - pa.at) / 1000;
  fleet.proc.send({ type: 'stop' });
  await fleet.exit(30_000);
  viewer?.close();
  const acceptedPerS = (b.accepted! - a.accepted!) / seconds;
  const cores = coresBetween(pa, pb);
  return {
    acceptedPerS, cores, usPerReport: (cores * 1e6) / acceptedPerS, rssMax, peakRss: pb.peakRss,
    fleetCores: coresBetween(fa, fb), fleet: fleetResult(fleet),
    latency: viewer && summarize(viewer.latencies),
    latencyByKind: viewer && new Map([...viewer.byGroup].map(([kind, l]) => [kind, summarize(l)])), viewerGetsPerS: viewer && viewer.gets / seconds, viewerBytes: viewer && viewer.bytes / Math.max(1, viewer.gets),
    server: { a, b, seconds },
  };
}

let profilePath: string | undefined;

async function komariPhase(): Promise<Phase> {
  const s = await startServerChild();
  const target: Target = { pid: s.child.pid, url: s.url, apiKey: s.apiKey, stats: () => s.child.request({ type: 'stats' }) };
  if (f.profile) {
    target.begin = () => s.profileStart();
    target.end = async () => void (profilePath = await s.profileStop());
  }
  try {
    return await runPhase(target, true);
  } finally {
    await s.stop();
  }
}

async function barePhase(): Promise<Phase> {
  const child = new Child(new URL('./bare-ws.ts', import.meta.url).pathname, []);
  const ready = await child.waitFor('ready', 30_000);
  try {
    return await runPhase({ pid: child.pid, url: ready.url, apiKey: 'bare', stats: () => child.request({ type: 'stats' }) }, false);
  } finally {
    await child.request({ type: 'stop' }).catch(() => undefined);
    await child.exit(10_000);
  }
}

/** sent, failed, skipped (POST still in flight), sockets the server dropped */
const fleetLine = (p: Phase) => `${p.fleet.sent} / ${p.fleet.failed} / ${p.fleet.skipped} / ${p.fleet.dropped}`;

function print(k: Phase, bare: Phase | undefined): void {
  const offered = f.agents / f.interval;
  const per = (key: string) => (k.server.b[key]! - k.server.a[key]!) / k.server.seconds;
  const txMs = (k.server.b.historyWriteMs! - k.server.a.historyWriteMs!) / Math.max(1, k.server.b.historyTx! - k.server.a.historyTx!);
  const lat = k.latency!;
  console.log(`\ningest: ${f.agents} agents every ${f.interval} s (${f.mix}), ${f['ping-tasks']} ping task(s), window ${f.duration} s`);
  const rows: (string | number)[][] = [
    ['figure', 'komari-ts', 'bare ws', 'budget'],
    ['reports offered/s', offered.toFixed(0), offered.toFixed(0), ''],
    ['reports accepted/s', k.acceptedPerS.toFixed(0), bare ? bare.acceptedPerS.toFixed(0) : '-', 'keeps up'],
    ['server CPU, cores', k.cores.toFixed(2), bare ? bare.cores.toFixed(2) : '-', '≤ 1.00'],
    ['CPU per report', `${k.usPerReport.toFixed(0)} µs`, bare ? `${bare.usPerReport.toFixed(0)} µs` : '-', ''],
    ['server RSS (max in window / peak)', `${mib(k.rssMax)} / ${mib(k.peakRss)}`, bare ? `${mib(bare.rssMax)} / ${mib(bare.peakRss)}` : '-', '≤ 1 GiB'],
    ['send → dashboard p50 / p99', `${ms(lat.p50)} / ${ms(lat.p99)} (n=${lat.n}, max ${ms(lat.max)})`, '-', 'p99 ≤ 250 ms'],
    ...[...(k.latencyByKind ?? [])].sort().map(([kind, l]) => [`  ${kind} agents`, `${ms(l.p50)} / ${ms(l.p99)} (n=${l.n})`, '-', '']),
    ['dashboard gets/s, payload', `${k.viewerGetsPerS!.toFixed(1)}, ${(k.viewerBytes! / 1024).toFixed(0)} KiB`, '-', ''],
    ['SQLite history rows/s, tx/s, ms/tx', `${per('historyRows').toFixed(0)}, ${per('historyTx').toFixed(2)}, ${txMs.toFixed(1)}`, '-', ''],
    ['SQLite ping rows/s', per('pingRows').toFixed(0), '-', ''],
    ['fleet CPU, cores', k.fleetCores.toFixed(2), bare ? bare.fleetCores.toFixed(2) : '-', ''],
    ['fleet sent / failed / skipped / dropped', fleetLine(k), bare ? fleetLine(bare) : '-', ''],
    ['fleet schedule lag p99', ms(k.fleet.lagP99Ms as number), bare ? ms(bare.fleet.lagP99Ms as number) : '-', ''],
  ];
  table(rows);
  if (bare) {
    console.log(`\n  ratio komari-ts / bare: rate ${(k.acceptedPerS / bare.acceptedPerS).toFixed(2)}, CPU per report ${(k.usPerReport / bare.usPerReport).toFixed(1)}×`);
  }
  const errors = k.fleet.errors as Record<string, number> | undefined;
  if (errors && Object.keys(errors).length) console.log('  fleet errors:', errors);
  if (f.json) console.log(JSON.stringify({ bench: 'ingest', flags: f, komari: k, bare }));
}

console.log(conditions());
const k = await komariPhase();
const bare = f['skip-bare'] ? undefined : await barePhase();
print(k, bare);
if (profilePath) printProfile(profilePath);
if (f.replicas > 0) await replicasPhase(k);

async function replicasPhase(k: Phase): Promise<void> {
  const r = await runReplicaPhase({
    db: f.db, nats: f.nats, replicas: f.replicas, split: f.split, agents: f.agents, intervalS: f.interval, warmupS: f.warmup, durationS: f.duration,
    mix: f.mix, pingTasks: f['ping-tasks'], pingIntervalS: f['ping-interval'], pollMs: f['poll-ms'],
  });
  const per = (key: string) => (k.server.b[key]! - k.server.a[key]!) / k.server.seconds;
  printReplicas({
    acceptedPerS: k.acceptedPerS, cores: k.cores, usPerReport: k.usPerReport, rssMax: k.rssMax, latency: k.latency!,
    historyRowsPerS: per('historyRows'), pingRowsPerS: per('pingRows'), fleetCores: k.fleetCores, fleet: fleetLine(k),
    msPerHistoryTx: (k.server.b.historyWriteMs! - k.server.a.historyWriteMs!) / Math.max(1, k.server.b.historyTx! - k.server.a.historyTx!),
  }, r, f.agents / f.interval);
  if (f.json) console.log(JSON.stringify({ bench: 'ingest-replicas', flags: f, replicas: r }));
}
