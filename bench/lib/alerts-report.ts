import { mib, ms, summarize, table } from './stats.ts';

/** One thing the alerts bench runs and times: a scheduled job, or one rule on its own. */
export interface Job {
  name: string;
  /** how often it runs in the server, seconds */
  periodS: number;
  nodes: number | string;
  run(): Promise<void>;
}

export interface Sample {
  cpuMs: number;
  wallMs: number;
}

export interface RoundsResult {
  samples: Map<string, Sample[]>;
  roundWall: number[];
  /** incidents opened and closed (load, latency/loss, offline) */
  opened: number;
  resolved: number;
  /** one-off alerts (traffic steps, expiry) */
  notices: number;
}

export interface Baseline {
  cpuS: number;
  reports: number;
  seconds: number;
}

const pct = (v: number) => `${v.toFixed(v < 0.1 ? 3 : 2)} %`;
const mean = (xs: readonly Sample[]) => xs.reduce((a, x) => a + x.cpuMs, 0) / (xs.length || 1);
const period = (sec: number) => (sec < 60 ? `${sec} s` : `${sec / 60} min`);
/** Mean CPU per run over the period: the share of one core the job takes. */
const share = (m: RoundsResult, j: Job) => (mean(m.samples.get(j.name)!) / (j.periodS * 1000)) * 100;
const total = (m: RoundsResult, jobs: readonly Job[]) => jobs.reduce((a, j) => a + share(m, j), 0);
function cell(m: RoundsResult, j: Job): string {
  const xs = m.samples.get(j.name)!;
  return `${ms(mean(xs))} (${ms(Math.max(...xs.map((x) => x.cpuMs)))})`;
}

interface Scheduled {
  jobs: readonly Job[];
  on: RoundsResult;
  off: RoundsResult;
}

interface Alone {
  jobs: readonly Job[];
  result: RoundsResult;
}

/** The three tables of the alerts bench: the jobs as scheduled, each rule alone, the summary beside the ingest baseline. */
export function printAlerts(run: { nodes: number; rounds: number; budgetPct: number }, sch: Scheduled, alone: Alone, base: Baseline, heaps: [number, number], collected: boolean): void {
  const { on, off, jobs } = sch;
  const holds = (m: RoundsResult) => (total(m, jobs) < run.budgetPct ? '✓' : '✗');
  console.log(`\nalerts: ${run.nodes} nodes; the jobs as the scheduler runs them, ${run.rounds} simulated minutes with notifications on, then ${run.rounds} off`);
  const rows: (string | number)[][] = [['job', 'period', 'watches', 'CPU/run mean (max), notices on', 'core share', 'notices off', 'core share']];
  for (const j of jobs) rows.push([j.name, period(j.periodS), j.nodes, cell(on, j), pct(share(on, j)), cell(off, j), pct(share(off, j))]);
  rows.push(['all alert jobs', '', '', '', pct(total(on, jobs)), '', pct(total(off, jobs))]);
  table(rows);

  console.log(`\neach rule on its own (its own reads, as when it is the only one due), ${alone.result.roundWall.length} run(s), notices off`);
  const ruleRows: (string | number)[][] = [['rule', 'period', 'nodes', 'CPU/run mean (max)', 'core share if alone']];
  for (const j of alone.jobs) ruleRows.push([j.name, period(j.periodS), j.nodes, cell(alone.result, j), pct(share(alone.result, j))]);
  ruleRows.push(['sum', '', '', '', pct(total(alone.result, alone.jobs))]);
  table(ruleRows);

  const ingestPct = (base.cpuS / base.seconds) * 100;
  const wall = (m: RoundsResult) => {
    const w = summarize(m.roundWall);
    return `${ms(w.p50)} / ${ms(w.max)}`;
  };
  console.log('');
  table([
    ['figure', 'notices on', 'notices off', 'budget'],
    ['alert evaluation, share of one core', `${pct(total(on, jobs))} ${holds(on)}`, `${pct(total(off, jobs))} ${holds(off)}`, `< ${run.budgetPct} %`],
    [`baseline: ingest of ${base.seconds} s of reports, every node at 1 s`, `${base.cpuS.toFixed(2)} s CPU = ${pct(ingestPct)} of one core`, `${((base.cpuS * 1e6) / base.reports).toFixed(1)} µs per report`, ''],
    ['evaluation ÷ ingest', `${((total(on, jobs) / ingestPct) * 100).toFixed(1)} %`, `${((total(off, jobs) / ingestPct) * 100).toFixed(1)} %`, ''],
    ['one minute\'s jobs, wall p50 / max', wall(on), wall(off), ''],
    ['incidents opened / resolved; one-off alerts', `${on.opened} / ${on.resolved}; ${on.notices}`, `${off.opened} / ${off.resolved}; ${off.notices}`, ''],
    [`heap before / after the rounds${collected ? '' : ' (no --expose-gc: not collected first)'}`, `${mib(heaps[0])} / ${mib(heaps[1])}`, '', ''],
  ]);
}
