/**
 * The limit beside komari-ts: a bare `ws` server (node:http + `ws`) that accepts the same agent
 * traffic on the same paths, only parses it (JSON.parse per frame or body, gunzip where sent
 * gzipped) and answers the minimum each agent expects. No validation, no state, no storage.
 * Also answers the admin calls the fleet makes, so the same simulator feeds it unchanged.
 * Run by bench/ingest.ts as a child process (IPC: ready, stats, stop).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { gunzipSync } from 'node:zlib';
import { WebSocketServer, type RawData } from 'ws';
import { agentDeflateOptions } from '../packages/server/src/agents/v2/deflate-options.ts';
import { serveRequests } from './lib/child.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

let accepted = 0;

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A v1 frame or body without `type` (or `report`), or a v2 `agent.report`, is a report. */
function countReport(m: any, v1: boolean): void {
  if (m && typeof m === 'object' && (v1 ? (m.type ?? 'report') === 'report' : m.method === 'agent.report')) accepted++;
}

const textOf = (d: RawData) => (Buffer.isBuffer(d) ? d : Buffer.concat(d as Buffer[])).toString('utf8');

function answerPost(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
  const url = req.url ?? '';
  const raw = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
  const m = parse(raw.toString('utf8'));
  let answer: unknown = { status: 'success' };
  if (url.startsWith('/api/admin/client/add')) answer = { status: 'success', uuid: randomUUID(), token: randomUUID() };
  else if (url.startsWith('/api/admin/ping/add')) answer = { status: 'success', data: { task_id: 1 } };
  else if (url.startsWith('/api/clients/v2/rpc')) answer = { jsonrpc: '2.0', id: m?.id, result: { status: 'success', events: [] } };
  if (url.startsWith('/api/clients/report')) countReport(m, true);
  else if (url.startsWith('/api/clients/v2/rpc')) countReport(m, false);
  const text = JSON.stringify(answer);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => answerPost(req, Buffer.concat(chunks), res));
});
// Same compression terms as komari-ts (its very options object): deflate accepted on the v2 path only.
const v1 = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const compress = process.env.KOMARI_AGENT_WS_COMPRESSION !== '0';
const v2 = new WebSocketServer({ noServer: true, perMessageDeflate: compress && agentDeflateOptions });
for (const wss of [v1, v2]) {
  wss.on('connection', (ws) => {
    ws.on('message', (d) => countReport(parse(textOf(d)), wss === v1));
    ws.on('error', () => {});
  });
}
server.on('upgrade', (req, socket, head) => {
  const wss = req.url?.startsWith('/api/clients/v2/rpc') ? v2 : req.url?.startsWith('/api/clients/report') ? v1 : undefined;
  if (!wss) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});

server.listen(0, '127.0.0.1', () => {
  const addr = server.address() as { port: number };
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${addr.port}` });
});
function stop(): void {
  for (const wss of [v1, v2]) for (const c of wss.clients) c.terminate();
  server.closeAllConnections();
  server.close();
}
serveRequests({
  stats: () => ({ accepted, memory: process.memoryUsage() }),
  'heap-snapshot': (m: { path: string }) => ({ path: writeHeapSnapshot(m.path), memory: process.memoryUsage() }),
  /** V8's spaces (size vs used: what the GC keeps beyond live objects) */
  'heap-spaces': () => ({ memory: process.memoryUsage(), spaces: getHeapSpaceStatistics() }),
  stop: () => {
    stop();
    setTimeout(() => process.exit(0), 50);
    return { accepted };
  },
});
process.on('disconnect', () => process.exit(0));
