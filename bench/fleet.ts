/**
 * The fleet simulator: N agents in one process (a mix of v1/v2 over WebSocket/POST), created
 * through the admin API, each sending basic info at start and a report every interval, answering
 * the server's ping commands for M ping tasks. Prints one JSON line on exit: sent, failed,
 * skipped, how late the schedule ran. Bounded: it stops after its duration, and a hard deadline
 * ends it whatever happens.
 *
 *   node bench/fleet.ts --url http://127.0.0.1:25774 --api-key <key> --agents 200 --duration 10
 *
 * The benchmarks fork it with BENCH_FLEET (JSON options) and an IPC channel: it says
 * `{type: 'running'}` once every agent is connected and reporting starts; `{type: 'stop'}` from
 * the parent ends the reports early (fleets of several replicas stop together).
 */
import { Child } from './lib/child.ts';
import { readFlags } from './lib/args.ts';
import { HttpClient } from './lib/http-client.ts';
import { kinds, SimAgent, type Counters, type Kind } from './lib/sim-agent.ts';
import { summarize } from './lib/stats.ts';

export interface FleetOptions {
  url: string;
  apiKey: string;
  agents: number;
  intervalMs: number;
  /** how long agents report once all are connected */
  durationMs: number;
  /** shares per kind, e.g. "v2ws:50,v1ws:30,v2post:10,v1post:10" */
  mix: string;
  /** ping tasks created before the nodes (default-on, so every node runs them) */
  pingTasks: number;
  pingIntervalS: number;
  /** the first agent's index (node name `bench-<i>`, probe `k<i>:`): fleets sharing one viewer use apart ranges */
  indexBase?: number;
  /**
   * After creating its nodes, say `{type: 'created'}` and connect only on `{type: 'connect'}`:
   * replicas re-read their caches after every node added elsewhere, and a connected agent must
   * not sit silent through that (bench/lib/replica-phase.ts).
   */
  connectWhenTold?: boolean;
}

export const defaultMix = 'v2ws:50,v1ws:30,v2post:10,v1post:10';

/** The kind of agent i: shares spread evenly over the indices (golden-ratio sequence). */
export function kindOf(i: number, mix: string): Kind {
  const shares = mix.split(',').map((p) => {
    const [k, v] = p.split(':');
    if (!kinds.includes(k as Kind)) throw new Error(`unknown agent kind in --mix: ${k}`);
    return [k as Kind, Number(v)] as const;
  });
  const total = shares.reduce((a, [, v]) => a + v, 0);
  let x = ((i + 1) * 0.6180339887) % 1;
  for (const [k, v] of shares) {
    x -= v / total;
    if (x < 0) return k;
  }
  return shares.at(-1)![0];
}

/** Runs `fn` over `items` with at most `limit` at a time. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function adminPost(http: HttpClient, o: FleetOptions, path: string, body: unknown): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await http.post(path, JSON.stringify(body), { authorization: `Bearer ${o.apiKey}` });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
  return JSON.parse(res.text);
}

/** Set by `{type: 'stop'}` from the parent: the schedule ends before its duration (fleets stopped together). */
let stopAsked = false;
/** Resolved by `{type: 'connect'}` (options.connectWhenTold). */
let connectTold: () => void = () => undefined;
const connectAsked = new Promise<void>((resolve) => (connectTold = resolve));

/** Sends every report when its slot comes: agent i at t0 + i/N·interval + k·interval. */
async function runSchedule(agents: readonly SimAgent[], o: FleetOptions): Promise<number[]> {
  const lags: number[] = [];
  const t0 = performance.now();
  const end = t0 + o.durationMs;
  const slot = o.intervalMs / agents.length;
  let k = 0;
  let j = 0;
  await new Promise<void>((resolve) => {
    const loop = () => {
      const now = performance.now();
      for (;;) {
        const due = t0 + k * o.intervalMs + j * slot;
        if (due >= end || stopAsked) return resolve();
        if (due > now) break;
        lags.push(now - due);
        agents[j]!.report();
        if (++j === agents.length) [j, k] = [0, k + 1];
      }
      setTimeout(loop, Math.min(100, Math.max(0, t0 + k * o.intervalMs + j * slot - performance.now())));
    };
    loop();
  });
  return lags;
}

export async function runFleet(o: FleetOptions): Promise<Record<string, unknown>> {
  const http = new HttpClient(o.url);
  const counters: Counters = { sent: 0, failed: 0, skipped: 0, pingResults: 0, dropped: 0, errors: {} };
  const t0 = performance.now();
  for (let i = 0; i < o.pingTasks; i++) {
    await adminPost(http, o, '/api/admin/ping/add', { name: `bench-${i}`, type: 'icmp', target: '127.0.0.1', interval: o.pingIntervalS, default_on: true });
  }
  const indices = Array.from({ length: o.agents }, (_, i) => i);
  const base = o.indexBase ?? 0;
  const nodes = await pool(indices, 32, (i) => adminPost(http, o, '/api/admin/client/add', { name: `bench-${base + i}` }));
  const createMs = performance.now() - t0;
  if (o.connectWhenTold) {
    process.send?.({ type: 'created' });
    await connectAsked;
  }
  const env = { http, wsBase: o.url.replace(/^http/, 'ws'), counters, intervalS: o.intervalMs / 1000 };
  const agents = nodes.map((n: { token: string }, i) => new SimAgent(env, base + i, n.token, kindOf(i, o.mix)));
  await pool(agents, 64, (a) => a.start());
  const setupMs = performance.now() - t0;
  process.send?.({ type: 'running' });
  const lags = summarize(await runSchedule(agents, o));
  await new Promise((r) => setTimeout(r, Math.min(2000, o.intervalMs))); // answers still on their way
  for (const a of agents) a.close();
  http.close();
  const byKind = Object.fromEntries(kinds.map((k) => [k, agents.filter((a) => a.kind === k).length]));
  return { ...counters, agents: o.agents, byKind, createMs: Math.round(createMs), setupMs: Math.round(setupMs), lagP50Ms: lags.p50, lagP99Ms: lags.p99 };
}

/** Forks the fleet as its own process; its JSON result is the last line of `child.stdout`. */
export function forkFleet(o: FleetOptions): Child {
  return new Child(new URL(import.meta.url).pathname, [], { env: { BENCH_FLEET: JSON.stringify(o) }, captureStdout: true });
}

export function fleetResult(child: Child): Record<string, unknown> {
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { error: `no result from the fleet: ${line.slice(0, 200)}` };
  }
}

function optionsFromCli(): FleetOptions {
  const f = readFlags('fleet simulator', {
    url: { default: 'http://127.0.0.1:25774', help: 'server base URL (127.0.0.1 only)' },
    'api-key': { default: '', help: 'the server API key (settings api_key)' },
    agents: { default: 200, help: 'simulated agents' },
    interval: { default: 1, help: 'seconds between reports' },
    duration: { default: 10, help: 'seconds of reporting' },
    mix: { default: defaultMix, help: 'shares of v2ws, v1ws, v2post, v1post' },
    'ping-tasks': { default: 0, help: 'ping tasks to create' },
    'ping-interval': { default: 5, help: 'ping task interval, seconds' },
  });
  return { url: f.url, apiKey: f['api-key'], agents: f.agents, intervalMs: f.interval * 1000, durationMs: f.duration * 1000, mix: f.mix, pingTasks: f['ping-tasks'], pingIntervalS: f['ping-interval'] };
}

if (import.meta.main) {
  const o: FleetOptions = process.env.BENCH_FLEET ? (JSON.parse(process.env.BENCH_FLEET) as FleetOptions) : optionsFromCli();
  if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(o.url)) throw new Error('the fleet only targets 127.0.0.1');
  // A hard deadline: setup gets 60 s plus 20 ms per agent, then the run and 30 s of slack.
  const deadline = setTimeout(() => {
    console.log(JSON.stringify({ error: 'fleet deadline passed' }));
    process.exit(2);
  }, 60_000 + o.agents * 20 + o.durationMs + 30_000);
  process.on('disconnect', () => process.exit(3));
  process.on('message', (m: { type?: unknown }) => {
    if (m?.type === 'stop') stopAsked = true;
    if (m?.type === 'connect') connectTold();
  });
  runFleet(o).then(
    (result) => {
      clearTimeout(deadline);
      console.log(JSON.stringify(result));
      process.exit(0);
    },
    (err: unknown) => {
      console.log(JSON.stringify({ error: String(err) }));
      process.exit(1);
    },
  );
}
