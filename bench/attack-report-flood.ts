/**
 * Attack (issue 12, hole 1): one agent token floods its v1 socket with ~1 MiB `message` frames.
 * Before the bounds this reached a heap OOM in 34 s and one guest `GET /api/recent/<uuid>`
 * answered 335 MB while blocking the event loop for 7 s. A komari-ts server (own process, the
 * default limits) is fed first by the same agent's normal reports (the baseline), then by the
 * flood, each at the same frame rate; every probe prints the server's RSS and heap, what the
 * node's recent window holds, and `/api/recent/<uuid>` body size and answer time. 127.0.0.1 only;
 * bounded in time and frames; stops by itself.
 *
 *   node bench/attack-report-flood.ts                        # 20 s a phase, 50 frames/s
 *   node bench/attack-report-flood.ts --duration 60 --rate 100
 */
import WebSocket from 'ws';
import { readFlags } from './lib/args.ts';
import { HttpClient } from './lib/http-client.ts';
import { sampleProc } from './lib/proc.ts';
import { SimHost } from './lib/report-gen.ts';
import { startServerChild, type ServerChild } from './lib/server.ts';
import { conditions, kib, mib, ms, sleep, table } from './lib/stats.ts';

const f = readFlags('attack: one agent token sends ~1 MiB message frames over a v1 socket, against a baseline of normal reports', {
  duration: { default: 20, help: 'seconds of each phase (baseline, then flood)' },
  rate: { default: 50, help: 'frames a second the agent sends in both phases (at most; the socket is never queued past 4 MiB)' },
  'message-kib': { default: 1020, help: 'KiB of `message` in a flood frame (the frame limit is 1 MiB)' },
  'probe-every': { default: 2, help: 'seconds between probes (RSS, window, /api/recent)' },
});

const maxQueuedBytes = 4 * 1024 * 1024;
// the whole run stops by itself even if the server stops answering
const deadline = setTimeout(() => {
  console.error('attack-report-flood: over its time limit, stopped');
  process.exit(1);
}, (2 * f.duration + 120) * 1000);
deadline.unref();

interface Probe {
  t: number;
  sent: number;
  rss: number;
  heap: number;
  windowReports: number;
  windowBytes: number;
  recentBytes: number;
  recentMs: number;
}

async function addNode(server: ServerChild, http: HttpClient): Promise<{ uuid: string; token: string }> {
  const res = await http.post('/api/admin/client/add', JSON.stringify({ name: 'flood' }), { authorization: `Bearer ${server.apiKey}` });
  if (res.status !== 200) throw new Error(`client/add: ${res.status} ${res.text}`);
  return JSON.parse(res.text) as { uuid: string; token: string };
}

async function connect(server: ServerChild, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/clients/report?token=${token}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

async function probe(server: ServerChild, http: HttpClient, uuid: string, t0: number, sent: number): Promise<Probe> {
  const recent = await http.get(`/api/recent/${uuid}`);
  const stats = await server.child.request({ type: 'stats' });
  const window = await server.child.request({ type: 'recent', uuid });
  return {
    t: (performance.now() - t0) / 1000,
    sent,
    rss: sampleProc(server.child.pid).rss,
    heap: (stats.memory as NodeJS.MemoryUsage).heapUsed,
    windowReports: window.reports as number,
    windowBytes: window.bytes as number,
    recentBytes: Buffer.byteLength(recent.text),
    recentMs: recent.ms,
  };
}

/** Sends `frame(i)` at `--rate` a second for `--duration` s, probing every `--probe-every` s. */
async function phase(server: ServerChild, http: HttpClient, uuid: string, ws: WebSocket, frame: (i: number) => string): Promise<Probe[]> {
  const probes: Probe[] = [];
  const t0 = performance.now();
  const end = t0 + f.duration * 1000;
  let sent = 0;
  let nextProbe = t0 + f['probe-every'] * 1000;
  while (performance.now() < end && ws.readyState === WebSocket.OPEN) {
    const due = t0 + (sent * 1000) / f.rate;
    if (performance.now() >= due && ws.bufferedAmount < maxQueuedBytes) ws.send(frame(sent++));
    else await sleep(Math.max(1, Math.min(20, due - performance.now())));
    if (performance.now() >= nextProbe) {
      probes.push(await probe(server, http, uuid, t0, sent));
      nextProbe += f['probe-every'] * 1000;
    }
  }
  probes.push(await probe(server, http, uuid, t0, sent));
  return probes;
}

function print(name: string, probes: readonly Probe[]): void {
  console.log(`\n${name}`);
  table([
    ['t', 'frames sent', 'server RSS', 'heap used', 'window reports', 'window bytes', '/api/recent body', 'answer'],
    ...probes.map((p) => [`${p.t.toFixed(0)} s`, p.sent, mib(p.rss), mib(p.heap), p.windowReports, kib(p.windowBytes), kib(p.recentBytes), ms(p.recentMs)]),
  ]);
}

const summary = (probes: readonly Probe[]) => ({
  framesPerS: probes.at(-1)!.sent / probes.at(-1)!.t,
  rssMax: Math.max(...probes.map((p) => p.rss)),
  recentMax: Math.max(...probes.map((p) => p.recentBytes)),
  answerMax: Math.max(...probes.map((p) => p.recentMs)),
  windowMax: Math.max(...probes.map((p) => p.windowBytes)),
});

console.log(conditions());
const server = await startServerChild();
const http = new HttpClient(server.url, 30_000);
try {
  const { uuid, token } = await addNode(server, http);
  const host = new SimHost(1);
  const report = (message: string) => JSON.stringify({ ...host.next(1, ''), message });
  const ws = await connect(server, token);
  const baseline = await phase(server, http, uuid, ws, () => report(''));
  print(`baseline: normal reports at ${f.rate}/s`, baseline);
  const big = 'x'.repeat(f['message-kib'] * 1024 - 64);
  const flood = await phase(server, http, uuid, ws, (i) => report(`${i}:${big}`));
  print(`flood: ${f['message-kib']} KiB messages at ${f.rate}/s`, flood);
  ws.close();
  const b = summary(baseline);
  const a = summary(flood);
  console.log();
  table([
    ['', 'baseline', 'flood'],
    ['frames/s sent', b.framesPerS.toFixed(1), a.framesPerS.toFixed(1)],
    ['server RSS, max', mib(b.rssMax), mib(a.rssMax)],
    ["node's recent window, max", kib(b.windowMax), kib(a.windowMax)],
    ['/api/recent body, max', kib(b.recentMax), kib(a.recentMax)],
    ['/api/recent answer, max', ms(b.answerMax), ms(a.answerMax)],
  ]);
} finally {
  http.close();
  await server.stop();
}
