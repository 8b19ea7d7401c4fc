/**
 * How long after an agent's socket closes its Offline alert reaches a channel, against a server
 * child at its defaults (the offline watcher looks at grace deadlines once a second). Each node
 * has an offline rule with `--grace` seconds; a v1 socket reports once and closes; a webhook
 * channel points at a local HTTP server here, which notes when each Offline arrives. Printed: the
 * grace (the baseline) and the delay beyond it. Everything goes to 127.0.0.1.
 *
 *   node bench/offline-alert.ts                 # 20 nodes, 3 s grace
 *   node bench/offline-alert.ts --nodes 100 --grace 10
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { readFlags } from './lib/args.ts';
import { HttpClient } from './lib/http-client.ts';
import { startServerChild } from './lib/server.ts';
import { conditions, ms, sleep, summarize, table } from './lib/stats.ts';

const f = readFlags('disconnect → Offline delivered, beside the grace', {
  nodes: { default: 20, help: 'nodes whose socket closes (one after another, 100 ms apart)' },
  grace: { default: 3, help: 'offline grace in seconds' },
});

const arrivals = new Map<string, number>();
const hook = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const m = /^Offline\|(.+)$/.exec(body);
    if (m) arrivals.set(m[1]!, performance.now());
    res.writeHead(200).end('{}');
  });
});
await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`;

const s = await startServerChild();
const http = new HttpClient(s.url, 30_000);
const auth = { authorization: `Bearer ${s.apiKey}` };
async function call(method: string, params: unknown): Promise<unknown> {
  const res = await http.post('/api/rpc2', JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 }), auth);
  const body = JSON.parse(res.text) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

try {
  const channel = { name: 'bench', kind: 'webhook', template: '{{event}}|{{clients}}', config: { url: hookUrl, method: 'POST', content_type: 'text/plain', body: '{{message}}' } };
  await call('admin:addAlertChannel', channel);
  const nodes: Array<{ name: string; uuid: string; token: string }> = [];
  for (let i = 0; i < f.nodes; i++) {
    const name = `offline-bench-${i}`;
    const r = (await call('admin:addClient', { name })) as { uuid: string; token: string };
    nodes.push({ name, ...r });
  }
  await call('admin:editOfflineNotification', nodes.map((n) => ({ client: n.uuid, enable: true, grace_period: f.grace })));
  const sockets = await Promise.all(
    nodes.map(
      (n) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`${s.url.replace(/^http/, 'ws')}/api/clients/report?token=${n.token}`);
          ws.once('open', () => {
            ws.send(JSON.stringify({ cpu: { usage: 1 }, ram: { total: 1, used: 1 }, swap: { total: 0, used: 0 }, load: { load1: 0, load5: 0, load15: 0 }, disk: { total: 1, used: 1 }, network: { up: 0, down: 0, totalUp: 0, totalDown: 0 }, connections: { tcp: 0, udp: 0 }, uptime: 1, process: 1, message: '' }));
            resolve(ws);
          });
          ws.once('error', reject);
        }),
    ),
  );
  await sleep(500);
  const closedAt = new Map<string, number>();
  for (let i = 0; i < nodes.length; i++) {
    sockets[i]!.close();
    closedAt.set(nodes[i]!.name, performance.now());
    await sleep(100);
  }
  const until = performance.now() + (f.grace + 10) * 1000;
  while (arrivals.size < nodes.length && performance.now() < until) await sleep(50);
  const beyond = nodes.filter((n) => arrivals.has(n.name)).map((n) => arrivals.get(n.name)! - closedAt.get(n.name)! - f.grace * 1000);
  const sum = summarize(beyond);
  console.log(`disconnect → Offline delivered, ${f.nodes} nodes, ${conditions()}`);
  table([
    ['', 'min', 'p50', 'p99', 'max'],
    ['grace (baseline)', ms(f.grace * 1000), ms(f.grace * 1000), ms(f.grace * 1000), ms(f.grace * 1000)],
    ['delivered after the grace by', ms(Math.min(...beyond)), ms(sum.p50), ms(sum.p99), ms(sum.max)],
  ]);
  console.log(`delivered: ${beyond.length} of ${nodes.length}; none before its grace: ${beyond.every((b) => b >= 0)}`);
  if (beyond.length !== nodes.length || !beyond.every((b) => b >= 0)) process.exitCode = 1;
} finally {
  await s.stop();
  hook.close();
}
