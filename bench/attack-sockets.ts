/**
 * The socket attacks of issue 12, replayed against a server child: many idle guest `/api/clients`
 * sockets with an Origin equal to the Host (what the origin check lets through), spread over
 * `--addresses` loopback addresses; then how many agents (v2 WebSockets with their tokens), an
 * admin login and an admin socket still connect beside them; then the guest batch amplification:
 * a single `common:getNodes` (the baseline), a 50-request batch and a 66 KB over-cap batch of it.
 * Everything goes to 127.0.0.1, is bounded by the flags and stops by itself.
 *
 *   node bench/attack-sockets.ts                        # 2000 guests from 40 addresses, 50 agents
 *   node bench/attack-sockets.ts --guests 5000 --addresses 200
 */
import { readdirSync, readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { readFlags } from './lib/args.ts';
import { HttpClient } from './lib/http-client.ts';
import { browserAddress } from './lib/loopback.ts';
import { startServerChild, type ServerChild } from './lib/server.ts';
import { conditions, kib, ms, summarize, table } from './lib/stats.ts';

const f = readFlags('socket attacks: idle guest sockets beside agents and admins, and guest RPC batches', {
  guests: { default: 2000, help: 'idle guest /api/clients sockets to try to open' },
  addresses: { default: 40, help: 'loopback source addresses the guests come from' },
  agents: { default: 50, help: 'nodes whose v2 agent socket connects while the guests hold theirs' },
  'batch-runs': { default: 5, help: 'timed runs of each batch (and 4x as many single calls)' },
});

type Outcome = { socket: WebSocket } | { status: number } | { error: string };

function openSocket(url: string, o: WebSocket.ClientOptions): Promise<Outcome> {
  const ws = new WebSocket(url, { ...o, handshakeTimeout: 10_000 });
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ socket: ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', (err) => resolve({ error: err.message }));
  });
}

/** Opens the guest sockets, at most `wave` handshakes at a time; keeps the ones that opened. */
async function openGuests(s: ServerChild, held: WebSocket[]): Promise<Map<string, number>> {
  const outcomes = new Map<string, number>();
  const url = `${s.url.replace(/^http/, 'ws')}/api/clients`;
  const wave = 200;
  for (let start = 0; start < f.guests; start += wave) {
    const batch = Array.from({ length: Math.min(wave, f.guests - start) }, (_, k) =>
      openSocket(url, { headers: { Origin: s.url }, localAddress: browserAddress(start + k, f.addresses) }),
    );
    for (const o of await Promise.all(batch)) {
      const key = 'socket' in o ? 'held' : 'status' in o ? `refused ${o.status}` : `failed (${o.error})`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      if ('socket' in o) {
        o.socket.on('error', () => {});
        held.push(o.socket);
      }
    }
  }
  return outcomes;
}

async function rpc(http: HttpClient, body: unknown, headers: Record<string, string> = {}): Promise<{ ms: number; status: number; bytes: number; text: string }> {
  const t = performance.now();
  const res = await http.post('/api/rpc2', JSON.stringify(body), headers);
  return { ms: performance.now() - t, status: res.status, bytes: Buffer.byteLength(res.text), text: res.text };
}

async function addNodes(http: HttpClient, apiKey: string): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < f.agents; i++) {
    const res = await rpc(http, { jsonrpc: '2.0', method: 'admin:addClient', params: { name: `attack-bench-${i}` }, id: i }, { authorization: `Bearer ${apiKey}` });
    tokens.push((JSON.parse(res.text) as { result: { token: string } }).result.token);
  }
  return tokens;
}

function serverFds(pid: number): { open: number; limit: string } {
  const line = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return { open: readdirSync(`/proc/${pid}/fd`).length, limit: line ? `${line[1]} / ${line[2]}` : '?' };
}

/** Median time and bytes of `runs` answers to the same body. */
async function timed(http: HttpClient, body: unknown, runs: number): Promise<string[]> {
  const answers = [];
  for (let i = 0; i < runs; i++) answers.push(await rpc(http, body));
  const t = summarize(answers.map((a) => a.ms));
  const last = answers.at(-1)!;
  return [`${ms(t.p50)} / ${ms(t.max)}`, kib(last.bytes), String(last.status), last.text.slice(0, 70)];
}

console.log(conditions());
const s = await startServerChild();
const held: WebSocket[] = [];
const agentSockets: WebSocket[] = [];
try {
  const http = new HttpClient(s.url, 30_000);
  const tokens = await addNodes(http, s.apiKey);
  const fdsBefore = serverFds(s.child.pid);
  const t0 = performance.now();
  const outcomes = await openGuests(s, held);
  const attackMs = performance.now() - t0;
  const fdsAttacked = serverFds(s.child.pid);

  const agentUrl = (token: string) => `${s.url.replace(/^http/, 'ws')}/api/clients/v2/rpc?token=${token}`;
  const agents = await Promise.all(tokens.map((t) => openSocket(agentUrl(t), {})));
  for (const a of agents) if ('socket' in a) agentSockets.push(a.socket);
  const login = await http.post('/api/login', JSON.stringify({ username: 'admin', password: 'bench-password-1' }));
  const cookie = /session_token=([^;]+)/.exec(login.text)?.[1] ?? '';
  const admin = await openSocket(`${s.url.replace(/^http/, 'ws')}/api/clients`, { headers: { Origin: s.url, Cookie: `session_token=${cookie}` } });
  if ('socket' in admin) admin.socket.close();

  console.log(`\nidle guest sockets: ${f.guests} tried from ${f.addresses} addresses in ${ms(attackMs)}; ${f.agents} agents after them`);
  table([
    ['figure', 'value'],
    ...[...outcomes].map(([k, n]) => [`guest sockets ${k}`, String(n)]),
    ['agents connected (v2 socket, token)', `${agentSockets.length} / ${f.agents}`],
    ['admin login / admin /api/clients socket', `${login.status} / ${'socket' in admin ? 'open' : JSON.stringify(admin)}`],
    ['server fds before / with the guests (soft / hard limit)', `${fdsBefore.open} / ${fdsAttacked.open} (${fdsAttacked.limit})`],
  ]);

  const call = (i: number) => ({ jsonrpc: '2.0', method: 'common:getNodes', id: i });
  const overCap = Array.from({ length: Math.ceil((66 * 1024) / JSON.stringify(call(1000)).length) }, (_, i) => call(i));
  const runs = f['batch-runs'];
  console.log(`\nguest common:getNodes over POST /api/rpc2 with ${f.agents} nodes (time p50 / max, answer, status)`);
  table([
    ['request', 'time p50 / max', 'answer', 'status', 'answer starts'],
    ['single call (baseline)', ...(await timed(http, call(1), runs * 4))],
    ['batch of 50', ...(await timed(http, Array.from({ length: 50 }, (_, i) => call(i)), runs))],
    [`batch of ${overCap.length} (${kib(JSON.stringify(overCap).length)})`, ...(await timed(http, overCap, runs))],
    ['single call afterwards', ...(await timed(http, call(2), runs * 4))],
  ]);
} finally {
  for (const ws of [...held, ...agentSockets]) ws.terminate();
  await s.stop();
}
