/**
 * The remote file manager's data plane (komari-1.5.md §2.4, §2.5): an upload and a download of
 * N MiB through the server to a simulated 1.5 agent (packages/server/test/helpers/file-agent.ts:
 * a v2 socket, `agent.file.result` by POST, chunks through `/api/clients/transfer/:id`) on a temp
 * folder, all on loopback. The baseline, in the same run: the same bytes through a plain Node
 * HTTP relay (one pipe from a request to an upstream request) in its own process.
 * Figures: MiB/s each way and the peak RSS of the server (or of the relay).
 *
 *   node bench/file-transfer.ts               # 256 MiB
 *   node bench/file-transfer.ts --mib 2048    # the figure of issue #18
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileAgent } from '../packages/server/test/helpers/file-agent.ts';
import { readFlags } from './lib/args.ts';
import { RssWatch, sampleProc } from './lib/proc.ts';
import { startServerChild } from './lib/server.ts';
import { conditions, mib, table } from './lib/stats.ts';

const f = readFlags('file transfer benchmark: upload and download through the server to a simulated agent', {
  mib: { default: 256, help: 'file size in MiB' },
  'chunk-mib': { default: 25, help: 'transfer chunk in MiB (server default 25)' },
});
const size = f.mib * 1024 * 1024;
const chunk = f['chunk-mib'] * 1024 * 1024;

/** Writes `bytes` of random data 1 MiB at a time (never the whole file in memory); returns its sha256. */
async function makeFile(path: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  const piece = randomBytes(1024 * 1024);
  async function* pieces() {
    for (let left = bytes; left > 0; left -= piece.length) {
      const p = left >= piece.length ? piece : piece.subarray(0, left);
      hash.update(p);
      yield p;
    }
  }
  await pipeline(Readable.from(pieces()), createWriteStream(path));
  return hash.digest('hex');
}

async function hashOf(stream: AsyncIterable<Buffer>): Promise<{ sha: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const p of stream) {
    hash.update(p);
    bytes += p.length;
  }
  return { sha: hash.digest('hex'), bytes };
}

function send(url: string, method: string, headers: Record<string, string | number>, body?: Readable): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, resolve);
    req.on('error', reject);
    if (body) body.pipe(req);
    else req.end();
  });
}

async function text(res: IncomingMessage): Promise<string> {
  let out = '';
  for await (const p of res) out += p;
  return out;
}

const rate = (bytes: number, ms: number) => `${(bytes / 1024 / 1024 / (ms / 1000)).toFixed(0)} MiB/s`;

console.log(conditions());
const dir = mkdtempSync(join(tmpdir(), 'komari-bench-files-'));
const server = await startServerChild();
const rows: Array<Array<string | number>> = [['path', 'upload', 'download', 'RSS before', 'peak RSS']];
try {
  const source = join(dir, 'source.bin');
  const sourceSha = await makeFile(source, size);
  console.log(`${mib(size)} of random data; chunks of ${mib(chunk)}`);
  const auth = { authorization: `Bearer ${server.apiKey}` };
  const added = await fetch(`${server.url}/api/admin/client/add`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench' }) });
  const node = (await added.json()) as { uuid: string; token: string };
  const agentRoot = join(dir, 'agent');
  await import('node:fs/promises').then((fs) => fs.mkdir(agentRoot));
  const agent = await FileAgent.connect(server.url, node.token, agentRoot);
  const base = `${server.url}/api/admin/client/${node.uuid}/file`;

  const idle = sampleProc(server.child.pid).rss;
  const watch = new RssWatch(server.child.pid);
  let t0 = performance.now();
  const init = JSON.parse(await text(await send(`${base}/upload?operation=init`, 'POST', auth, Readable.from([JSON.stringify({ path: '/up.bin', size, chunk_size: chunk })]))));
  const { upload_id: id, chunk_count: count } = init.data;
  for (let i = 0; i < count; i++) {
    const start = i * chunk;
    const length = Math.min(chunk, size - start);
    const res = await send(`${base}/upload?operation=chunk`, 'POST', { ...auth, 'x-komari-upload-id': id, 'x-komari-chunk-index': i, 'content-length': length }, createReadStream(source, { start, end: start + length - 1 }));
    if (res.statusCode !== 200) throw new Error(`chunk ${i}: ${await text(res)}`);
    await text(res);
  }
  const merged = await send(`${base}/upload?operation=merge`, 'POST', auth, Readable.from([JSON.stringify({ upload_id: id })]));
  if (merged.statusCode !== 200) throw new Error(`merge: ${await text(merged)}`);
  await text(merged);
  const upMs = performance.now() - t0;
  const uploaded = await hashOf(createReadStream(join(agentRoot, 'up.bin')));
  if (uploaded.sha !== sourceSha) throw new Error('the uploaded file differs from the source');

  t0 = performance.now();
  const down = await send(`${base}/download?path=/up.bin&chunk_size=${chunk}`, 'GET', auth);
  const got = await hashOf(down);
  const downMs = performance.now() - t0;
  if (got.sha !== sourceSha || got.bytes !== size) throw new Error('the downloaded bytes differ from the source');
  rows.push(['komari-ts → simulated agent', rate(size, upMs), rate(size, downMs), mib(idle), mib(watch.stop())]);
  agent.close();

  // Baseline: a relay process that pipes each request to an upstream in this process.
  const sink = createServer((req, res) => {
    if (req.method === 'PUT') void pipeline(req, createWriteStream(join(dir, 'sink.bin'))).then(() => res.end('ok'));
    else void pipeline(createReadStream(source), res);
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const upstream = (sink.address() as AddressInfo).port;
  const relaySource = `
    const http = require('node:http');
    const s = http.createServer((req, res) => {
      const up = http.request({ host: '127.0.0.1', port: ${upstream}, method: req.method, path: req.url, headers: req.headers }, (r) => { res.writeHead(r.statusCode, r.headers); r.pipe(res); });
      req.pipe(up);
    });
    s.listen(0, '127.0.0.1', () => console.log(s.address().port));`;
  const relay = spawn(process.execPath, ['-e', relaySource], { stdio: ['ignore', 'pipe', 'inherit'] });
  const relayPort = await new Promise<number>((resolve) => relay.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  const relayIdle = sampleProc(relay.pid!).rss;
  const relayWatch = new RssWatch(relay.pid!);
  t0 = performance.now();
  const put = await send(`http://127.0.0.1:${relayPort}/up`, 'PUT', { 'content-length': size }, createReadStream(source));
  await text(put);
  const baseUp = performance.now() - t0;
  t0 = performance.now();
  const baseGot = await hashOf(await send(`http://127.0.0.1:${relayPort}/down`, 'GET', {}));
  const baseDown = performance.now() - t0;
  if (baseGot.sha !== sourceSha) throw new Error('the baseline relay changed the bytes');
  rows.push(['baseline: plain Node HTTP relay', rate(size, baseUp), rate(size, baseDown), mib(relayIdle), mib(relayWatch.stop())]);
  relay.kill();
  sink.close();
  table(rows);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
