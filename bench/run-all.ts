/**
 * `npm run bench`: every benchmark at its small default size, one after another, each in its
 * own process with a time limit. `npm run bench -- <name> [flags]` runs one benchmark with flags,
 * e.g. `npm run bench -- ingest --agents 10000 --duration 60`; `<name> --help` lists its flags.
 * Flags also come from BENCH_<FLAG>: `BENCH_REPLICAS=2 BENCH_DB=postgres://… npm run bench` adds
 * ingest's replicas-on-PostgreSQL phase (bench/lib/replica-phase.ts), which needs NATS too.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';

const benches = ['ingest', 'fanout', 'history', 'storage', 'micro', 'agent', 'web-dashboard', 'attack-report-flood', 'attack-sockets', 'alerts', 'offline-alert', 'backup', 'komari-import', 'file-transfer', 'theme-install', 'metrics-scrape'] as const;
const limitMs = 30 * 60_000;
/** Sizes for the run of every benchmark where a benchmark's own default is its budget run. */
const smallArgs: Record<string, string[]> = {
  agent: ['--duration', '20'],
  'web-dashboard': ['--nodes', '300', '--duration', '10'],
  'attack-report-flood': ['--duration', '10'],
  'attack-sockets': ['--guests', '500'],
  alerts: ['--nodes', '2000'],
  'komari-import': ['--nodes', '20'],
  'file-transfer': ['--mib', '256'],
  'metrics-scrape': ['--requests', '100'],
};

function run(name: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const file = new URL(`./${name}.ts`, import.meta.url).pathname;
    const node = name === 'micro' || name === 'alerts' ? ['--expose-gc'] : [];
    const child = spawn(process.execPath, [...node, file, ...args], { stdio: 'inherit' });
    const timer = setTimeout(() => {
      console.error(`${name}: over ${limitMs / 60_000} min, stopped`);
      child.kill('SIGKILL');
    }, limitMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

const [name, ...args] = process.argv.slice(2);
if (name !== undefined && !benches.includes(name as (typeof benches)[number])) {
  console.error(`unknown benchmark '${name}'; one of: ${benches.join(', ')}`);
  process.exit(2);
}
if (loadavg()[0]! > 1) console.warn(`note: load average ${loadavg()[0]!.toFixed(2)}: other work on this machine will show in the figures`);
let failed = 0;
for (const b of name ? [name] : benches) {
  const bArgs = name ? args : (smallArgs[b] ?? []);
  console.log(`\n=== ${b} ${bArgs.join(' ')}`);
  if ((await run(b, bArgs)) !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
