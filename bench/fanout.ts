/**
 * Live fan-out: N agents online (the fleet simulator, 1 s reports) and V dashboards on
 * `/api/clients`, each asking `get` every `--every` ms (spread evenly). Measures the round trip
 * of every `get` (sent → whole answer received) and the server's CPU with all of them, then,
 * once they have gone, with none (the ingest baseline): the difference is what the viewers cost.
 *
 *   node bench/fanout.ts                               # 1000 nodes, 100 viewers
 *   node bench/fanout.ts --nodes 1000 --viewers 100 --every 1000 --duration 30
 */
import WebSocket from 'ws';
import { readFlags } from './lib/args.ts';
import { browserAddress } from './lib/loopback.ts';
import { coresBetween, sampleProc } from './lib/proc.ts';
import { printProfile } from './lib/profile.ts';
import { startServerChild } from './lib/server.ts';
import { conditions, kib, ms, sleep, summarize, table } from './lib/stats.ts';
import { fleetResult, forkFleet } from './fleet.ts';

const f = readFlags('fan-out benchmark: /api/clients get with many nodes online and many viewers', {
  nodes: { default: 1000, help: 'online nodes (simulated agents, v2 WebSocket)' },
  viewers: { default: 100, help: 'dashboard sockets' },
  every: { default: 1000, help: 'ms between two gets of one viewer' },
  duration: { default: 15, help: 'measured window with viewers, seconds' },
  baseline: { default: 10, help: 'window without viewers (after the viewer window), seconds' },
  profile: { default: false, help: 'CPU-profile the server over the viewer window and summarise it' },
});

/** One dashboard: `get` every `every` ms from `offset`; each round trip is recorded while `on`. */
class Viewer {
  readonly times: number[] = [];
  bytes = 0;
  on = false;
  #sentAt = 0;
  #waiting = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #ws: WebSocket;

  constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data: Buffer) => {
      if (this.on) {
        this.times.push(performance.now() - this.#sentAt);
        this.bytes += data.length;
      }
      this.#waiting = false;
    });
    ws.on('error', () => {});
  }

  /** The i-th dashboard, from its own loopback address (one browser each). */
  static async open(url: string, i: number): Promise<Viewer> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/clients`, { headers: { Origin: url }, localAddress: browserAddress(i) });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Viewer(ws);
  }

  start(offset: number, every: number): void {
    const ask = () => {
      // a viewer whose last answer has not arrived does not pile up requests (as a dashboard)
      if (this.#waiting || this.#ws.readyState !== WebSocket.OPEN) return;
      this.#waiting = true;
      this.#sentAt = performance.now();
      this.#ws.send('get');
    };
    this.#timer = setTimeout(() => {
      ask();
      this.#timer = setInterval(ask, every);
    }, offset);
  }

  close(): void {
    clearTimeout(this.#timer);
    clearInterval(this.#timer);
    this.#ws.close();
  }
}

console.log(conditions());
const s = await startServerChild();
let profile: string | undefined;
try {
  const fleet = forkFleet({
    url: s.url, apiKey: s.apiKey, agents: f.nodes, intervalMs: 1000, mix: 'v2ws:100', pingTasks: 0, pingIntervalS: 5,
    durationMs: (3 + f.every / 1000 + 1 + f.duration + 2 + f.baseline + 2) * 1000,
  });
  await fleet.waitFor('running', 60_000 + f.nodes * 20);
  await sleep(3000);
  const viewers = await Promise.all(Array.from({ length: f.viewers }, (_, i) => Viewer.open(s.url, i)));
  viewers.forEach((v, i) => v.start((i / f.viewers) * f.every, f.every));
  await sleep(f.every + 500); // every viewer has had its first answer (hidden-set lookup, JIT)
  if (f.profile) await s.profileStart();
  for (const v of viewers) v.on = true;
  const v0 = sampleProc(s.child.pid);
  await sleep(f.duration * 1000);
  const v1 = sampleProc(s.child.pid);
  for (const v of viewers) v.on = false;
  if (f.profile) profile = await s.profileStop();
  for (const v of viewers) v.close();
  await sleep(2000);
  const b0 = sampleProc(s.child.pid);
  await sleep(f.baseline * 1000);
  const b1 = sampleProc(s.child.pid);
  await fleet.exit(30_000);
  const times = summarize(viewers.flatMap((v) => v.times));
  const bytes = viewers.reduce((a, v) => a + v.bytes, 0) / Math.max(1, times.n);
  const base = coresBetween(b0, b1);
  const loaded = coresBetween(v0, v1);
  const fr = fleetResult(fleet);
  console.log(`\nfan-out: ${f.nodes} nodes online, ${f.viewers} viewers, one get per viewer every ${f.every} ms, window ${f.duration} s`);
  table([
    ['figure', 'value', 'budget'],
    ['get round trip p50 / p99 / max', `${ms(times.p50)} / ${ms(times.p99)} / ${ms(times.max)}`, '< 10 ms'],
    ['gets answered', `${times.n} (${(times.n / f.duration).toFixed(0)}/s)`, ''],
    ['payload per get', kib(bytes), ''],
    ['server CPU, no viewers (ingest only)', `${base.toFixed(2)} cores`, ''],
    ['server CPU, with viewers', `${loaded.toFixed(2)} cores`, ''],
    ['CPU per get (difference)', `${(((loaded - base) * 1e6) / Math.max(1, times.n / f.duration)).toFixed(0)} µs`, ''],
    ['fleet sent / failed', `${fr.sent} / ${fr.failed}`, ''],
  ]);
} finally {
  await s.stop();
}
if (profile) printProfile(profile);
