import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { defaultServerLimits } from '../src/config/limits.ts';
import { eventually } from './helpers/agent-common.ts';
import { LogCapture } from './helpers/log-capture.ts';
import { http, startTestServer, type TestServer } from './helpers/server.ts';
import { ask, openWs } from './helpers/ws.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

let s: TestServer;
let cookie: string;
let ws: WebSocket;
/** shrunk so that a few dozen nodes' `common:getNodes` passes it */
const maxResponseBytes = 16 * 1024;
const nodes = 30;

const call = (method: string, id: number) => ({ jsonrpc: '2.0', method, id });
const post = (body: unknown) => http(s.url, '/api/rpc2', { method: 'POST', body });

before(async () => {
  s = await startTestServer({ limits: { rpc: { maxResponseBytes } } });
  cookie = await s.login();
  for (let i = 0; i < nodes; i++) {
    const res = await http(s.url, '/api/admin/client/add', { method: 'POST', body: { name: `node-${i}-${'x'.repeat(80)}` }, cookie });
    assert.equal(res.status, 200, res.text);
  }
  ws = await openWs(`${s.url.replace(/^http/, 'ws')}/api/rpc2`, { origin: s.url });
});
after(async () => {
  ws?.terminate();
  await s.dispose();
});

describe('guest batch amplification on POST /api/rpc2', () => {
  it('a 66 KB batch of common:getNodes is refused whole with -32600 naming the cap, quickly, and nothing runs', async () => {
    const one = JSON.stringify(call('common:getNodes', 1));
    const batch = Array.from({ length: Math.ceil((66 * 1024) / one.length) }, (_, i) => call('common:getNodes', i));
    const started = performance.now();
    const res = await post(batch);
    const tookMs = performance.now() - started;
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, -32600);
    assert.match(res.json.error.message, new RegExp(`batch too large: ${batch.length} requests, at most ${defaultServerLimits.rpc.maxBatch}`));
    assert.ok(res.text.length < 512, `${res.text.length} bytes`);
    assert.ok(tookMs < 1000, `${tookMs} ms`);
  });

  it('51 requests are refused, 50 are answered with an array of 50', async () => {
    const over = await post(Array.from({ length: 51 }, (_, i) => call('rpc.ping', i)));
    assert.equal(over.status, 400);
    assert.equal(over.json.error.code, -32600);
    const at = await post(Array.from({ length: 50 }, (_, i) => call('rpc.ping', i)));
    assert.equal(at.status, 200);
    assert.equal(at.json.length, 50);
    assert.deepEqual(at.json[49], { jsonrpc: '2.0', id: 49, result: 'pong' });
  });

  it('a 50-request batch of rpc.help (~4 KB each) stops at maxResponseBytes: the rest are -32603 "response too large" and the body stays bounded', async () => {
    const res = await post(Array.from({ length: 50 }, (_, i) => call('rpc.help', i)));
    assert.equal(res.status, 200);
    assert.equal(res.json.length, 50, 'one answer per request, in order');
    const answered = res.json.filter((r: any) => r.result !== undefined);
    const refused = res.json.filter((r: any) => r.error?.code === -32603);
    assert.ok(answered.length >= 1 && refused.length >= 1, `${answered.length} answered, ${refused.length} refused`);
    assert.equal(answered.length + refused.length, 50);
    assert.match(refused[0].error.message, new RegExp(`response too large: answers are limited to ${maxResponseBytes} bytes`));
    assert.deepEqual(res.json.map((r: any) => r.id), Array.from({ length: 50 }, (_, i) => i));
    // the answers fit the cap; only the short error entries come on top
    assert.ok(Buffer.byteLength(res.text) < maxResponseBytes + 50 * 160, `${res.text.length} bytes`);
    // once one is refused, every later one is too (nothing after the cap runs)
    const firstRefused = res.json.findIndex((r: any) => r.error);
    assert.ok(res.json.slice(firstRefused).every((r: any) => r.error?.code === -32603));
  });

  it('the server answers another request promptly afterwards', async () => {
    const started = performance.now();
    assert.deepEqual((await post(call('rpc.ping', 7))).json, { jsonrpc: '2.0', id: 7, result: 'pong' });
    assert.ok(performance.now() - started < 1000);
  });

  it('a one-element batch still answers a bare object (rpc2.md §3), the too-large error included', async () => {
    const res = await post([call('common:getNodes', 3)]);
    assert.equal(res.status, 200);
    assert.equal(Array.isArray(res.json), false);
    assert.equal(res.json.id, 3);
  });
});

describe('one call whose answer passes maxResponseBytes', () => {
  it('over HTTP: -32603 "response too large" with the request id, status 200', async () => {
    const small = await post(call('common:getNodes', 6));
    assert.equal(small.status, 200);
    assert.equal(small.json.error.code, -32603, 'common:getNodes over 30 long-named nodes passes 16 KiB');
    assert.equal(small.json.id, 6);
    assert.match(small.json.error.message, /response too large/);
  });

  it('over the WebSocket: the same error, and the socket keeps answering', async () => {
    const big = await ask(ws, JSON.stringify(call('common:getNodes', 8)));
    assert.deepEqual({ id: big.id, code: big.error?.code }, { id: 8, code: -32603 });
    assert.deepEqual(await ask(ws, JSON.stringify(call('rpc.ping', 9))), { jsonrpc: '2.0', id: 9, result: 'pong' });
  });
});

describe('a socket client that sends and never reads (issue 12, hole 5: 40,000 small calls had the server buffer 500 MiB)', () => {
  const log = new LogCapture();
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ env: { KOMARI_LOG_LEVEL: 'warn' }, logStream: log, limits: { viewers: { maxBufferedBytes: 64 * 1024, maxMessagesInFlight: 16 } } });
  });
  after(() => s.dispose());

  it('its answers stop at maxBufferedBytes and, past maxMessagesInFlight waiting messages, the socket is closed with 1008', async () => {
    const ws = new WebSocket(`${s.url.replace(/^http/, 'ws')}/api/rpc2`, { headers: { Origin: s.url } });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    let answers = 0;
    ws.on('message', () => answers++);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const raw = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();
    // ~4 KiB answers: 60 MiB in all, more than the loopback's socket buffers take (up to 36 MiB here)
    const call = JSON.stringify({ jsonrpc: '2.0', method: 'rpc.help', id: 1 });
    for (let i = 0; i < 15_000; i++) ws.send(call);
    // the client reads nothing until the server has given up on it
    await eventually(() => log.text.includes('messages unanswered, closed'), 10_000);
    raw.resume();
    assert.equal(await closed, 1008);
    assert.ok(answers < 15_000 / 2, `${answers} answers were sent`);
    const alive = await http(s.url, '/api/version');
    assert.equal(alive.status, 200);
  });
});
