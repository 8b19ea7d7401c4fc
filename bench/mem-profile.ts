/**
 * Memory per agent, attributed: a server (komari-ts, then the bare `ws` server) takes a heap
 * snapshot with no agents, then N agents connect and report (the ingest fleet and mix), and it
 * takes another. The difference, kind by kind (constructor, string, native), divided by N is what
 * one agent costs in the JS heap; process.memoryUsage() and /proc give RSS, external and
 * ArrayBuffer memory (zlib contexts live outside the heap) per agent beside it.
 *
 *   node bench/mem-profile.ts --agents 1000
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Child } from './lib/child.ts';
import { readFlags } from './lib/args.ts';
import { diffSummaries, summarizeSnapshot } from './lib/heap-summary.ts';
import { sampleProc } from './lib/proc.ts';
import { startServerChild } from './lib/server.ts';
import { conditions, sleep } from './lib/stats.ts';
import { defaultMix, forkFleet } from './fleet.ts';

const f = readFlags('memory per agent: heap snapshots before and after N agents', {
  agents: { default: 1000, help: 'simulated agents' },
  warmup: { default: 70, help: 'seconds of reporting before the second snapshot (the recent window fills in 60)' },
  mix: { default: defaultMix, help: 'shares of v2ws, v1ws, v2post, v1post' },
  top: { default: 25, help: 'kinds shown' },
  'skip-bare': { default: false, help: 'komari-ts only' },
});
process.env.KOMARI_AGENT_WS_COMPRESSION = '1';

const dir = join(tmpdir(), 'komari-bench-profiles');
mkdirSync(dir, { recursive: true });

interface Snap {
  path: string;
  memory: NodeJS.MemoryUsage;
  rss: number;
}

async function measure(name: string, child: Child, url: string, apiKey: string): Promise<void> {
  const snap = async (tag: string): Promise<Snap> => {
    const path = join(dir, `${name}-${tag}-${Date.now()}.heapsnapshot`);
    const r = await child.request({ type: 'heap-snapshot', path }, 300_000);
    return { path, memory: r.memory as NodeJS.MemoryUsage, rss: sampleProc(child.pid).rss };
  };
  const before = await snap('0');
  const spaces0 = (await child.request({ type: 'heap-spaces' })) as { memory: NodeJS.MemoryUsage; spaces: Array<{ space_name: string; space_size: number; space_used_size: number }> };
  const maps0 = residentByMapping(child.pid);
  const fleet = forkFleet({ url, apiKey, agents: f.agents, intervalMs: 1000, mix: f.mix, durationMs: (f.warmup + 120) * 1000, pingTasks: 1, pingIntervalS: 5 });
  await fleet.waitFor('running', 60_000 + f.agents * 20);
  await sleep(f.warmup * 1000);
  const rssRunning = sampleProc(child.pid).rss;
  const spaces = (await child.request({ type: 'heap-spaces' })) as { memory: NodeJS.MemoryUsage; spaces: Array<{ space_name: string; space_size: number; space_used_size: number }> };
  const maps = residentByMapping(child.pid);
  const after = await snap(String(f.agents));
  fleet.proc.kill('SIGTERM');
  await fleet.exit(30_000).catch(() => undefined);
  const per = (a: number, b: number) => `${((b - a) / f.agents / 1024).toFixed(1)} KiB`;
  console.log(`\n${name}: ${f.agents} agents (${f.mix}), per agent:`);
  console.log(`  RSS ${per(before.rss, rssRunning)} (before the snapshot), heapUsed ${per(before.memory.heapUsed, after.memory.heapUsed)}, external ${per(before.memory.external, after.memory.external)}, arrayBuffers ${per(before.memory.arrayBuffers, after.memory.arrayBuffers)}`);
  console.log(`  RSS total: ${(before.rss / 2 ** 20).toFixed(0)} → ${(rssRunning / 2 ** 20).toFixed(0)} MiB`);
  console.log(`  idle: heapTotal ${mib(spaces0.memory.heapTotal)}, heapUsed ${mib(spaces0.memory.heapUsed)}, external ${mib(spaces0.memory.external)}; spaces (size/used): ${spaces0.spaces.filter((x) => x.space_size > 2 ** 20).map((x) => `${x.space_name} ${mib(x.space_size)}/${mib(x.space_used_size)}`).join(', ')}`);
  console.log(`  idle resident by mapping: ${Object.entries(maps0).filter(([, v]) => v > 2 ** 20).map(([k, v]) => `${k} ${mib(v)}`).join(', ')}`);
  console.log(`  running: heapTotal ${mib(spaces.memory.heapTotal)}, heapUsed ${mib(spaces.memory.heapUsed)}, external ${mib(spaces.memory.external)}; spaces (size/used): ${spaces.spaces.filter((x) => x.space_size > 2 ** 20).map((x) => `${x.space_name} ${mib(x.space_size)}/${mib(x.space_used_size)}`).join(', ')}`);
  console.log(`  resident by mapping: ${Object.entries(maps).filter(([, v]) => v > 2 ** 20).map(([k, v]) => `${k} ${mib(v)}`).join(', ')}`);
  const rows = diffSummaries(summarizeSnapshot(before.path), summarizeSnapshot(after.path));
  const total = rows.reduce((a, [, k]) => a + k.bytes, 0);
  console.log(`  heap snapshot growth: ${(total / f.agents).toFixed(0)} B per agent; top kinds (bytes/agent, count/agent):`);
  for (const [key, k] of rows.slice(0, f.top)) console.log(`    ${(k.bytes / f.agents).toFixed(0).padStart(7)} B  ${(k.count / f.agents).toFixed(2).padStart(7)}  ${key}`);
  rmSync(before.path);
  console.log(`  (snapshot kept: ${after.path})`);
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

/** Resident bytes by kind of mapping (/proc/<pid>/smaps): the malloc heap, anonymous (V8, malloc arenas), files. */
function residentByMapping(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  let kind = 'file';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) kind = head[1] === '' ? 'anon' : head[1]!.startsWith('[') ? head[1]! : 'file';
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) out[kind] = (out[kind] ?? 0) + Number(rss[1]) * 1024;
  }
  return out;
}

console.log(conditions());
{
  const s = await startServerChild();
  try {
    await measure('komari-ts', s.child, s.url, s.apiKey);
  } finally {
    await s.stop();
  }
}
if (!f['skip-bare']) {
  const child = new Child(new URL('./bare-ws.ts', import.meta.url).pathname, []);
  const ready = await child.waitFor('ready', 30_000);
  try {
    await measure('bare ws', child, ready.url as string, 'bare');
  } finally {
    await child.request({ type: 'stop' }).catch(() => undefined);
    await child.exit(10_000);
  }
}
