/**
 * The agent's own budget: our agent (packages/agent) reporting to a real komari-ts server (own
 * process) every `--interval` seconds, run the way the server's local agent runs it (the built
 * dist/komari-agent.cjs with its Node flags; built first when missing or stale). Every second:
 * the agent's RSS from /proc/<pid>/status and its CPU time from /proc/<pid>/stat; at the end,
 * RSS min/p50/max, CPU % of one core over the window, the reports the server accepted, and
 * PASS/FAIL against the budget (design.md: under 50 MB RSS and 1 % of one core at 1 s). A bare
 * `node` process with the same flags runs beside it, and one with node:net and node:zlib loaded, so
 * the figures show what Node alone costs.
 *
 *   node bench/agent.ts                       # 60 s at a 1 s interval
 *   node bench/agent.ts --duration 20
 *   node bench/agent.ts --source              # the .ts source instead of the build, no Node flags
 *   node bench/agent.ts --node-flags=         # the build without the Node flags
 *   node bench/agent.ts --https [--host localhost]   # over https, through a TLS front
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { agentNodeFlags, agentSourcePath, buildAgent, builtAgentPath, isBuildFresh } from '../packages/agent/scripts/build.ts';
import { readFlags } from './lib/args.ts';
import { sampleProc, type ProcSample } from './lib/proc.ts';
import { startServerChild } from './lib/server.ts';
import { startTlsFront } from './lib/tls-front.ts';
import { conditions, percentile, sleep, table } from './lib/stats.ts';

// 50 MB as top, htop and ps show memory (MiB); printed in decimal MB too (1 MB = 10^6 bytes)
const budget = { rssMiB: 50, cpuPercent: 1 };

const f = readFlags('agent benchmark: RSS and CPU of our agent reporting to a komari-ts server', {
  duration: { default: 60, help: 'measured window, seconds (one sample a second)' },
  interval: { default: 1, help: "the agent's report interval, seconds (-i)" },
  warmup: { default: 5, help: 'seconds between the first accepted report and the window' },
  source: { default: false, help: 'run packages/agent/src/main.ts (type stripping; no Node flags unless given) instead of the build' },
  'node-flags': { default: agentNodeFlags.join(' '), help: 'Node flags for the agent, space-separated (--node-flags= for none)' },
  https: { default: false, help: "report over https: a TLS front before the server; the agent verifies its test certificate (NODE_EXTRA_CA_CERTS), loading Node's root certificates as it would for a real panel" },
  host: { default: '127.0.0.1', help: 'the host name the agent is given for the server (e.g. localhost, to include name lookup)' },
});

const mibOf = (bytes: number) => bytes / 1024 / 1024;
const fmt = (bytes: number) => `${mibOf(bytes).toFixed(1)} MiB`;

/** Lines of /proc/<pid>/status or smaps_rollup, in bytes; 0 when absent. */
function kbField(path: string, key: string): number {
  try {
    return Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(path, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

async function addNode(url: string, apiKey: string): Promise<{ uuid: string; token: string }> {
  const res = await fetch(`${url}/api/admin/client/add`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench-agent' }),
  });
  if (res.status !== 200) throw new Error(`client/add: ${res.status} ${await res.text()}`);
  return (await res.json()) as { uuid: string; token: string };
}

/** Waits until `check` is true, polling every 200 ms; throws after `ms`. */
async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} within ${ms / 1000} s`);
    await sleep(200);
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => (clearTimeout(kill), resolve()));
    child.kill('SIGTERM');
  });
}

console.log(conditions());
// The source gets no flags by default: --jitless also turns off the WebAssembly that strips types.
const defaultFlags = f.source && f['node-flags'] === agentNodeFlags.join(' ');
const nodeFlags = defaultFlags ? [] : f['node-flags'].split(/\s+/).filter(Boolean);
const entry = f.source ? agentSourcePath : builtAgentPath;
if (!f.source && !isBuildFresh()) console.log(`built ${(await buildAgent()).path} (it was missing or older than its sources)`);

const s = await startServerChild();
const front = f.https ? await startTlsFront(Number(new URL(s.url).port)) : undefined;
const endpoint = front ? `https://${f.host}:${front.port}` : s.url.replace('127.0.0.1', f.host);
const children: ChildProcess[] = [];
try {
  const node = await addNode(s.url, s.apiKey);
  const agentArgs = [entry, '-e', endpoint, '-t', node.token, '-i', String(f.interval)];
  const agent = spawn(process.execPath, [...nodeFlags, ...agentArgs], {
    env: { PATH: process.env.PATH ?? '', AGENT_LOG_LEVEL: 'warn', ...(front ? { NODE_EXTRA_CA_CERTS: front.certificatePath } : {}) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Node alone with the same flags: the part of the agent's RSS no agent code can remove.
  const bare = spawn(process.execPath, [...nodeFlags, '-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  // ...and with the two built-in modules any Node agent that speaks HTTP and WebSocket loads
  const networked = spawn(process.execPath, [...nodeFlags, '-e', "require('node:net'); require('node:zlib'); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
  children.push(agent, bare, networked);
  let stderr = '';
  agent.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const accepted = async () => Number((await s.child.request({ type: 'stats' })).accepted);
  const alive = () => agent.exitCode === null && agent.signalCode === null;
  await until(async () => {
    if (!alive()) throw new Error(`the agent exited before its first report: ${stderr}`);
    return (await accepted()) > 0;
  }, 30_000, 'no report from the agent');
  await sleep(f.warmup * 1000);

  const samples: ProcSample[] = [sampleProc(agent.pid!)];
  const reports0 = await accepted();
  for (let i = 0; i < f.duration && alive(); i++) {
    await sleep(1000);
    samples.push(sampleProc(agent.pid!));
  }
  if (!alive()) throw new Error(`the agent exited during the window: ${stderr}`);
  const reports = (await accepted()) - reports0;
  const status = `/proc/${agent.pid}/status`;
  const split = { anon: kbField(status, 'RssAnon'), file: kbField(status, 'RssFile') };
  const pss = kbField(`/proc/${agent.pid}/smaps_rollup`, 'Pss');
  const bareRss = sampleProc(bare.pid!).rss;
  const networkedRss = sampleProc(networked.pid!).rss;

  const first = samples[0]!;
  const last = samples.at(-1)!;
  const seconds = (last.at - first.at) / 1000;
  const cpuPercent = ((last.cpuSeconds - first.cpuSeconds) / seconds) * 100;
  const rss = samples.map((p) => p.rss).sort((a, b) => a - b);
  const rssMax = rss.at(-1)!;
  const rssOk = mibOf(rssMax) < budget.rssMiB;
  const cpuOk = cpuPercent < budget.cpuPercent;

  console.log(`\nagent: ${f.source ? 'packages/agent/src/main.ts (type stripping)' : 'dist/komari-agent.cjs'}, node flags: ${nodeFlags.join(' ') || '(none)'}`);
  console.log(`       every ${f.interval} s to ${endpoint} (a komari-ts server${front ? " behind a TLS front" : ""}), window ${seconds.toFixed(0)} s, ${samples.length} samples\n`);
  table([
    ['figure', 'value', 'budget'],
    ['RSS min / p50 / max', `${fmt(rss[0]!)} / ${fmt(percentile(rss, 50))} / ${fmt(rssMax)}`, `< ${budget.rssMiB} MiB`],
    ['RSS peak since start (VmHWM)', fmt(last.peakRss), ''],
    ['RSS at the end: anonymous / file-backed', `${fmt(split.anon)} / ${fmt(split.file)}`, ''],
    ['PSS at the end (shared pages divided)', fmt(pss), ''],
    ['bare node, same flags: RSS', fmt(bareRss), ''],
    ['node with node:net and node:zlib loaded, same flags: RSS', fmt(networkedRss), ''],
    ['CPU, % of one core', `${cpuPercent.toFixed(2)} %`, `< ${budget.cpuPercent} %`],
    ['reports accepted by the server', `${reports} (expected ~${Math.round(seconds / f.interval)})`, ''],
  ]);
  console.log(`\n  RSS ${rssOk ? 'PASS' : 'FAIL'} (max ${fmt(rssMax)} = ${(rssMax / 1e6).toFixed(1)} MB, budget ${budget.rssMiB} MiB)`);
  console.log(`  CPU ${cpuOk ? 'PASS' : 'FAIL'} (${cpuPercent.toFixed(2)} % of one core, budget ${budget.cpuPercent} %)`);
  if (reports < (seconds / f.interval) * 0.9) throw new Error(`the server accepted ${reports} reports in ${seconds.toFixed(0)} s`);
} finally {
  await Promise.all(children.map(stopChild));
  front?.close();
  await s.stop();
}
