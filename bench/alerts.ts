/**
 * Alert evaluation: N nodes with history (reports through the real ingest path on a simulated
 * clock, a report every `fill-every` s, so a 15-minute window fills in seconds), two ping tasks
 * with results, traffic limits, offline alerts on for every node, and 20 rules: 14 load rules
 * (1 to 15 min), 4 latency/loss rules, traffic watch and the offline tick, beside the expiry and
 * quiet-hours jobs. 5 % of the nodes breach for 4 minutes in 8 and 0.2 % go silent for 8 in 16,
 * so incidents fire, remind and resolve. Each round is one simulated minute of reports, then
 * every alert job once as the scheduler runs it (the load job evaluates the rules due), each
 * timed by process CPU; its share of a core is its CPU per run over its period (1 min; the
 * offline tick 1 s). Rounds run with notifications on (no channel configured: Komari's `empty`
 * sender, which refuses; one attempt) and then off. Then each rule on its own, to show where
 * the time goes. The baseline, measured in the same run: the CPU of one minute of reports from
 * every node at 1 s through the same ingest path.
 *
 *   node --expose-gc bench/alerts.ts              # 5,000 nodes, 30 + 30 minutes: the budget run
 *   node bench/alerts.ts --nodes 1000 --rounds 10 --profile
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFlags } from './lib/args.ts';
import { SimFleet, type BenchClock } from './lib/alerts-fleet.ts';
import { addRules, setTrafficLimits, startBenchServer, type BenchServer } from './lib/alerts-setup.ts';
import { printAlerts, type Baseline, type Job, type RoundsResult, type Sample } from './lib/alerts-report.ts';
import { printProfile } from './lib/profile.ts';
import { conditions } from './lib/stats.ts';

const f = readFlags('alerts benchmark: CPU of evaluating 20 rules over N nodes, beside the CPU of ingesting their reports', {
  nodes: { default: 5000, help: 'nodes with history' },
  rounds: { default: 30, help: 'rounds (simulated minutes) with notifications on, and as many off; 30 is one cycle of the 1/2/5/10/15-min rules' },
  'alone-rounds': { default: 2, help: 'rounds that then evaluate each load and latency/loss rule on its own' },
  window: { default: 15, help: 'minutes of history before the first round (the longest rule window)' },
  'fill-every': { default: 10, help: 'seconds between two reports of a node while filling history and between rounds' },
  'baseline-seconds': { default: 60, help: 'simulated seconds of reports at 1 s measured for the ingest baseline' },
  profile: { default: false, help: 'CPU-profile the rounds (their minutes of reports included) and summarise it' },
});
const gc = (globalThis as { gc?: () => void }).gc;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The alert jobs as the scheduler runs them: the load job evaluates the rules whose interval has passed. */
function scheduledJobs(s: BenchServer): Job[] {
  const { ctx } = s.built;
  const tick = ctx.limits.alerts.evaluateTickMs / 1000;
  const named = (name: string, periodS: number, nodes: number | string): Job => ({ name, periodS, nodes, run: () => ctx.jobs.run(name) });
  const rules = (n: number) => `${n} rules`;
  return [
    named('alerts.load', tick, rules(ctx.alerts.load.rules().length)),
    named('alerts.ping', tick, rules(ctx.alerts.pingRules.rules().length)),
    named('alerts.traffic', tick, s.uuids.length),
    named('alerts.offline', ctx.limits.alerts.offlineTickMs / 1000, 'pending'),
    named('alerts.expiry', tick, s.uuids.length),
    named('alerts.quiet', tick, '-'),
  ];
}

/** Each load and latency/loss rule on its own, as if it were the only one due (its own reads). */
function ruleJobs(s: BenchServer): Job[] {
  const { ctx } = s.built;
  const tick = ctx.limits.alerts.evaluateTickMs / 1000;
  return [
    ...ctx.alerts.load.rules().map((r) => ({ name: `load: ${r.name}`, periodS: r.interval * 60, nodes: r.clients.length, run: () => ctx.alerts.load.evaluate(r) })),
    ...ctx.alerts.pingRules.rules().map((r) => ({ name: `ping: ${r.name}`, periodS: tick, nodes: r.clients.length || s.uuids.length, run: () => ctx.alerts.pingRules.evaluate(r) })),
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

async function incidentCounts(s: BenchServer): Promise<{ total: number; open: number }> {
  const alerts = s.built.ctx.store.alerts;
  return { total: (await alerts.records({ limit: 1, offset: 0 })).total, open: (await alerts.openRecords()).length };
}

/** `rounds` simulated minutes: the minute's reports (not measured), then every job once, each measured. */
async function runRounds(s: BenchServer, fleet: SimFleet, jobs: Job[], rounds: number): Promise<RoundsResult> {
  const before = await incidentCounts(s);
  const samples = new Map(jobs.map((j) => [j.name, [] as Sample[]]));
  const roundWall: number[] = [];
  for (let r = 0; r < rounds; r++) {
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
  // the records added by these rounds, newest first: incidents name their node, one-off notices (traffic) do not
  const added = (await s.built.ctx.store.alerts.records({ limit: after.total - before.total, offset: 0 })).items;
  const opened = added.filter((r) => r.node !== '').length;
  return { samples, roundWall, opened, resolved: before.open + opened - after.open, notices: added.length - opened };
}

async function baseline(fleet: SimFleet): Promise<Baseline> {
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

async function profiled<T>(work: () => Promise<T>): Promise<[T, string | undefined]> {
  if (!f.profile) return [await work(), undefined];
  const inspector = new Session();
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
  const out = await work();
  const { profile } = await inspector.post('Profiler.stop');
  const keep = join(tmpdir(), 'komari-bench-profiles');
  mkdirSync(keep, { recursive: true });
  const path = join(keep, `alerts-${Date.now()}.cpuprofile`);
  writeFileSync(path, JSON.stringify(profile));
  return [out, path];
}

console.log(conditions());
const dir = mkdtempSync(join(tmpdir(), 'komari-bench-alerts-'));
const clock: BenchClock = { ms: Date.UTC(2026, 0, 5, 12), now() { return this.ms; } };
const s = await startBenchServer(dir, clock, f.nodes);
try {
  await addRules(s);
  const fleet = new SimFleet(s.built.ctx, clock, s.uuids, s.tasks);
  const t = performance.now();
  let reports = 0;
  for (let m = 0; m <= f.window; m++) reports += await fleet.minuteOf(f['fill-every']);
  await setTrafficLimits(s);
  console.log(`filled ${f.window + 1} simulated minutes: ${f.nodes} nodes, ${reports} reports in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const base = await baseline(fleet);
  const jobs = scheduledJobs(s);
  const heapBefore = heap();
  const [[on, off], profile] = await profiled(async () => {
    await s.built.ctx.settings.update({ notification_enabled: true });
    const a = await runRounds(s, fleet, jobs, f.rounds);
    await s.built.ctx.settings.update({ notification_enabled: false });
    return [a, await runRounds(s, fleet, jobs, f.rounds)] as const;
  });
  const heapAfter = heap();
  const alone = ruleJobs(s);
  const aloneRounds = await runRounds(s, fleet, alone, f['alone-rounds']);
  printAlerts({ nodes: f.nodes, rounds: f.rounds, budgetPct: 5 }, { jobs, on, off }, { jobs: alone, result: aloneRounds }, base, [heapBefore, heapAfter], gc !== undefined);
  if (profile) printProfile(profile);
} finally {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
}
