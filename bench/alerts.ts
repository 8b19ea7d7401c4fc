/**
 * Alert evaluation: N nodes with history (reports through the real ingest path on a simulated
 * clock, a report every `fill-every` s, so a 15-minute window fills in seconds), two ping tasks
 * with results, traffic limits, offline alerts on for every node, and 20 rules: 14 load rules,
 * 4 latency/loss rules, traffic watch and the offline tick (plus the expiry and quiet-hours
 * jobs). Each round is one simulated minute of reports, then every rule and job once, each timed
 * by process CPU; a rule's share of a core is its CPU per run over its period (a load rule runs
 * every `interval` minutes, the others every minute, the offline tick every second). Rounds run
 * with notifications on (no channel configured: Komari's `empty` sender, which refuses, one
 * attempt) and then off. The baseline, measured in the same run: the CPU of one minute of
 * reports from every node at 1 s through the same ingest path.
 *
 *   node --expose-gc bench/alerts.ts              # 5,000 nodes, the budget run
 *   node bench/alerts.ts --nodes 1000 --rounds 4 --profile
 */
import { writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFlags } from './lib/args.ts';
import { SimFleet, type BenchClock } from './lib/alerts-fleet.ts';
import { addRules, setTrafficLimits, startBenchServer, type BenchServer } from './lib/alerts-setup.ts';
import { printProfile } from './lib/profile.ts';
import { conditions, mib, ms, summarize, table } from './lib/stats.ts';

const f = readFlags('alerts benchmark: CPU of evaluating 20 rules over N nodes, beside the CPU of ingesting their reports', {
  nodes: { default: 5000, help: 'nodes with history' },
  rounds: { default: 8, help: 'evaluation rounds (simulated minutes) with notifications on, and as many off' },
  window: { default: 15, help: 'minutes of history before the first round (the longest rule window)' },
  'fill-every': { default: 10, help: 'seconds between two reports of a node while filling history and between rounds' },
  'baseline-seconds': { default: 60, help: 'simulated seconds of reports at 1 s measured for the ingest baseline' },
  profile: { default: false, help: 'CPU-profile the evaluation rounds and summarise it' },
});
const budgetPct = 5;

interface Job {
  name: string;
  periodS: number;
  nodes: number | string;
  run(): Promise<void>;
}

interface Sample {
  cpuMs: number;
  wallMs: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Every rule and job of one round, each as the scheduler would run it. */
function jobsOf(s: BenchServer): Job[] {
  const { ctx } = s.built;
  const minuteS = ctx.limits.alerts.evaluateTickMs / 1000;
  const named = (name: string, periodS: number, nodes: number | string): Job => ({ name, periodS, nodes, run: () => ctx.jobs.run(name) });
  return [
    ...ctx.alerts.load.rules().map((r) => ({ name: `load: ${r.name}`, periodS: r.interval * 60, nodes: r.clients.length, run: () => ctx.alerts.load.evaluate(r) })),
    ...ctx.alerts.pingRules.rules().map((r) => ({ name: `ping: ${r.name}`, periodS: minuteS, nodes: r.clients.length || s.uuids.length, run: () => ctx.alerts.pingRules.evaluate(r) })),
    named('alerts.traffic', minuteS, s.uuids.length),
    named('alerts.offline', ctx.limits.alerts.offlineTickMs / 1000, 'pending'),
    named('alerts.expiry', minuteS, s.uuids.length),
    named('alerts.quiet', minuteS, '-'),
  ];
}

/** Runs one job and what it set off in the background (delivery, records) to the end; its process CPU and wall time. */
async function timed(s: BenchServer, job: Job): Promise<Sample> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  await job.run();
  // Background delivery (one attempt, store writes) settles in microtasks: a few turns end it.
  for (let i = 0; i < 3 || (s.built.ctx.alerts.delivery.pending > 0 && i < 1000); i++) await turn();
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - t };
}

interface ModeResult {
  samples: Map<string, Sample[]>;
  roundWall: number[];
  opened: number;
  resolved: number;
}

async function incidentCounts(s: BenchServer): Promise<{ total: number; open: number }> {
  const alerts = s.built.ctx.store.alerts;
  return { total: (await alerts.records({ limit: 1, offset: 0 })).total, open: (await alerts.openRecords()).length };
}

async function runMode(s: BenchServer, fleet: SimFleet, jobs: Job[], notify: boolean): Promise<ModeResult> {
  await s.built.ctx.settings.update({ notification_enabled: notify });
  const before = await incidentCounts(s);
  const samples = new Map(jobs.map((j) => [j.name, [] as Sample[]]));
  const roundWall: number[] = [];
  for (let r = 0; r < f.rounds; r++) {
    await fleet.minuteOf(f['fill-every']);
    let wall = 0;
    for (const job of jobs) {
      const one = await timed(s, job);
      samples.get(job.name)!.push(one);
      wall += one.wallMs;
    }
    roundWall.push(wall);
  }
  const after = await incidentCounts(s);
  const opened = after.total - before.total;
  return { samples, roundWall, opened, resolved: before.open + opened - after.open };
}

async function baseline(fleet: SimFleet): Promise<{ cpuS: number; reports: number; seconds: number }> {
  const cpu = process.cpuUsage();
  let reports = 0;
  for (let i = 0; i < f['baseline-seconds']; i++) reports += await fleet.second(1);
  const used = process.cpuUsage(cpu);
  return { cpuS: (used.user + used.system) / 1e6, reports, seconds: f['baseline-seconds'] };
}

function heap(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

const pct = (v: number) => `${v.toFixed(v < 0.1 ? 3 : 2)} %`;
const mean = (xs: readonly Sample[]) => xs.reduce((a, x) => a + x.cpuMs, 0) / (xs.length || 1);

function print(jobs: Job[], on: ModeResult, off: ModeResult, base: Awaited<ReturnType<typeof baseline>>, heaps: [number, number]): void {
  const share = (m: ModeResult, j: Job) => (mean(m.samples.get(j.name)!) / (j.periodS * 1000)) * 100;
  const cell = (m: ModeResult, j: Job) => {
    const xs = m.samples.get(j.name)!;
    return `${ms(mean(xs))} (${ms(Math.max(...xs.map((x) => x.cpuMs)))})`;
  };
  const period = (sec: number) => (sec < 60 ? `${sec} s` : `${sec / 60} min`);
  const rows: (string | number)[][] = [['rule or job', 'period', 'nodes', 'CPU/run mean (max), notices on', 'core share', 'notices off', 'core share']];
  for (const j of jobs) rows.push([j.name, period(j.periodS), j.nodes, cell(on, j), pct(share(on, j)), cell(off, j), pct(share(off, j))]);
  const total = (m: ModeResult) => jobs.reduce((a, j) => a + share(m, j), 0);
  const holds = (m: ModeResult) => (total(m) < budgetPct ? '✓' : '✗ over');
  rows.push(['all of them, one core', '', '', '', `${pct(total(on))} ${holds(on)}`, '', `${pct(total(off))} ${holds(off)}`]);
  console.log(`\nalerts: ${f.nodes} nodes, ${jobs.length - 2} rules and jobs evaluated + expiry and quiet hours; ${f.rounds} rounds per mode, one per simulated minute`);
  table(rows);
  const ingestPct = (base.cpuS / base.seconds) * 100;
  const wall = (m: ModeResult) => {
    const w = summarize(m.roundWall);
    return `${ms(w.p50)} / ${ms(w.max)}`;
  };
  console.log('');
  table([
    ['figure', 'notices on', 'notices off', 'budget'],
    ['evaluation, share of one core', pct(total(on)), pct(total(off)), `< ${budgetPct} % ${total(on) < budgetPct && total(off) < budgetPct ? '✓' : '✗'}`],
    [`baseline: ingest of ${base.seconds} s of reports, every node at 1 s`, `${base.cpuS.toFixed(2)} s CPU = ${pct(ingestPct)} of one core, ${((base.cpuS * 1e6) / base.reports).toFixed(1)} µs per report`, '', ''],
    ['evaluation ÷ ingest', `${((total(on) / ingestPct) * 100).toFixed(1)} %`, `${((total(off) / ingestPct) * 100).toFixed(1)} %`, ''],
    ['one round (every rule and job once), wall p50 / max', wall(on), wall(off), ''],
    ['incidents opened / resolved over the rounds', `${on.opened} / ${on.resolved}`, `${off.opened} / ${off.resolved}`, ''],
    [`heap before / after the rounds${gc ? '' : ' (no --expose-gc: not collected first)'}`, `${mib(heaps[0])} / ${mib(heaps[1])}`, '', ''],
  ]);
}

console.log(conditions());
const dir = mkdtempSync(join(tmpdir(), 'komari-bench-alerts-'));
const clock: BenchClock = { ms: Date.UTC(2026, 0, 5, 12), now() { return this.ms; } };
const s = await startBenchServer(dir, clock, f.nodes);
try {
  await addRules(s);
  const fleet = new SimFleet(s.built.ctx, clock, s.uuids, s.tasks);
  let t = performance.now();
  let reports = 0;
  for (let m = 0; m <= f.window; m++) reports += await fleet.minuteOf(f['fill-every']);
  await setTrafficLimits(s);
  console.log(`filled ${f.window + 1} simulated minutes: ${f.nodes} nodes, ${reports} reports in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const base = await baseline(fleet);
  const jobs = jobsOf(s);
  const heapBefore = heap();
  const inspector = new Session();
  if (f.profile) {
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
  }
  t = performance.now();
  const on = await runMode(s, fleet, jobs, true);
  const off = await runMode(s, fleet, jobs, false);
  console.log(`${2 * f.rounds} rounds in ${((performance.now() - t) / 1000).toFixed(1)} s (with the minutes of reports between them)`);
  let profilePath: string | undefined;
  if (f.profile) {
    const { profile } = await inspector.post('Profiler.stop');
    const keep = join(tmpdir(), 'komari-bench-profiles');
    mkdirSync(keep, { recursive: true });
    profilePath = join(keep, `alerts-${Date.now()}.cpuprofile`);
    writeFileSync(profilePath, JSON.stringify(profile));
  }
  print(jobs, on, off, base, [heapBefore, heap()]);
  if (profilePath) printProfile(profilePath);
} finally {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
}
