import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from './helpers/clock.ts';
import { LogCapture } from './helpers/log-capture.ts';
import { addNode, eventually, feedKeys, feedOf, sampleReport } from './helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { agentInfo, V2SocketAgent, v2Post } from './helpers/v2-agent.ts';

describe('v2 agents: WebSocket with permessage-deflate and POST with gzip bodies', () => {
  const clock = new ManualClock('2026-11-24T10:00:00Z');
  let s: TestServer;
  let cookie: string;
  let wsNode: { uuid: string; token: string };
  let postNode: { uuid: string; token: string };
  const node = async (uuid: string) => (await http(s.url, '/api/nodes')).json.data.find((n: { uuid: string }) => n.uuid === uuid);

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ clock }));
    wsNode = await addNode(s, cookie, 'v2-socket');
    postNode = await addNode(s, cookie, 'v2-post');
  });
  after(() => s.dispose());

  it('a socket agent negotiates permessage-deflate with no context takeover and is online from the upgrade on', async () => {
    const agent = await V2SocketAgent.connect(s, wsNode.token);
    assert.equal(agent.ws.extensions, 'permessage-deflate');
    assert.match(agent.extensionsHeader, /^permessage-deflate/);
    assert.match(agent.extensionsHeader, /server_no_context_takeover/);
    assert.match(agent.extensionsHeader, /client_no_context_takeover/);
    assert.ok((await feedOf(s.url)).online.includes(wsNode.uuid));
    await agent.close();
  });

  it('a socket agent without compression connects uncompressed', async () => {
    const agent = await V2SocketAgent.connect(s, wsNode.token, { compress: false });
    assert.equal(agent.ws.extensions, '');
    assert.equal(agent.extensionsHeader, '');
    await agent.close();
  });

  it('socket reports (notifications, no reply) show in /api/clients in the seed shape; basic info in /api/nodes', async () => {
    const agent = await V2SocketAgent.connect(s, wsNode.token);
    agent.send({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport({ uptime: 1729 }) } });
    await agent.assertQuiet();
    const info = await agent.call('agent.basicInfo', { info: agentInfo }, 'info-1');
    assert.deepEqual(info, { jsonrpc: '2.0', id: 'info-1', result: { status: 'success' } });
    const seen = await feedOf(s.url);
    assert.ok(seen.online.includes(wsNode.uuid));
    const r = seen.data[wsNode.uuid];
    assert.deepEqual(Object.keys(r), feedKeys);
    assert.equal(r.uptime, 1729);
    assert.deepEqual(r.cpu, { usage: 1.4634146341341139 });
    assert.deepEqual(r.network, { up: 0, down: 0, totalUp: 1809183, totalDown: 504747105 });
    assert.equal(r.updated_at, '2026-11-24T10:00:00Z');
    const shown = await node(wsNode.uuid);
    assert.equal(shown.cpu_name, 'Intel(R) Xeon(R) Processor');
    assert.equal(shown.os, 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(shown.mem_total, 25276063744);
    await agent.close();
  });

  it('a compressed socket report larger than the inflate chunk (4 KiB), sent in fragments, arrives whole', async () => {
    const agent = await V2SocketAgent.connect(s, wsNode.token);
    // text that deflate cannot shrink much, so both the compressed and the inflated message span several chunks
    let x = 7;
    const message = Array.from({ length: 3900 }, () => String.fromCharCode(33 + ((x = (x * 48271) % 2147483647) % 90))).join('');
    const text = JSON.stringify({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport({ uptime: 4242, message }) } });
    const cut = Math.floor(text.length / 3);
    agent.ws.send(text.slice(0, cut), { fin: false });
    agent.ws.send(text.slice(cut, 2 * cut), { fin: false });
    agent.ws.send(text.slice(2 * cut), { fin: true });
    await eventually(async () => (await feedOf(s.url)).data[wsNode.uuid]?.uptime === 4242);
    assert.equal((await feedOf(s.url)).data[wsNode.uuid].message, message);
    await agent.close();
  });

  it('closing the v2 socket turns its node offline at once: socket reports do not hold the 35 s presence', async () => {
    const agent = await V2SocketAgent.connect(s, wsNode.token);
    agent.send({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() } });
    await eventually(async () => (await feedOf(s.url)).online.includes(wsNode.uuid));
    agent.ws.terminate();
    await eventually(async () => !(await feedOf(s.url)).online.includes(wsNode.uuid), 1000);
    assert.ok((await feedOf(s.url)).data[wsNode.uuid], 'an offline node keeps its last report');
  });

  it('a POST agent with gzip bodies: basic info as a notification, reports with ids, online, Content-Length, no compression', async () => {
    const info = await v2Post(s, postNode.token, { jsonrpc: '2.0', method: 'agent.basicInfo', params: { info: agentInfo } }, { gzip: true });
    assert.equal(info.status, 200);
    assert.deepEqual(info.json, { jsonrpc: '2.0', result: { status: 'success' } });
    const body = { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport({ uptime: 99 }), ack_event_ids: [] }, id: 'report-1' };
    const res = await v2Post(s, postNode.token, body, { gzip: true });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { jsonrpc: '2.0', id: 'report-1', result: { status: 'success', events: [] } });
    assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(res.text)));
    assert.equal(res.headers.get('content-encoding'), null);
    assert.equal(res.headers.get('transfer-encoding'), null);
    const seen = await feedOf(s.url);
    assert.ok(seen.online.includes(postNode.uuid));
    assert.deepEqual(Object.keys(seen.data[postNode.uuid]), feedKeys);
    assert.equal(seen.data[postNode.uuid].uptime, 99);
    const shown = await node(postNode.uuid);
    assert.equal(shown.kernel_version, '6.18.44-fc-v769');
    assert.equal(shown.cpu_cores, 2);
  });

  it('an uncompressed POST and a GZIP header in capitals work too; another Content-Encoding is ignored', async () => {
    const body = { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() }, id: 2 };
    assert.equal((await v2Post(s, postNode.token, body)).status, 200);
    assert.equal((await v2Post(s, postNode.token, body, { gzip: true, headers: { 'content-encoding': 'GZIP' } })).status, 200);
    assert.equal((await v2Post(s, postNode.token, body, { headers: { 'content-encoding': 'identity' } })).status, 200);
  });

  it('the POST agent goes offline once its 35 s presence lapses', async () => {
    assert.ok((await feedOf(s.url)).online.includes(postNode.uuid));
    clock.advance(36_000);
    await new Promise((r) => setTimeout(r, 1200));
    assert.ok(!(await feedOf(s.url)).online.includes(postNode.uuid));
  });

  it('a newer v2 socket replaces the older one, whose end leaves the node online', async () => {
    const first = await V2SocketAgent.connect(s, wsNode.token);
    const second = await V2SocketAgent.connect(s, wsNode.token);
    const closed = await first.closed;
    assert.equal(closed.code, 1000);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok((await feedOf(s.url)).online.includes(wsNode.uuid));
    const res = await second.call('agent.report', { report: sampleReport({ uptime: 4242 }) }, 7);
    assert.deepEqual(res, { jsonrpc: '2.0', id: 7, result: { status: 'success', events: [] } });
    assert.equal((await feedOf(s.url)).data[wsNode.uuid].uptime, 4242);
    await second.close();
    await eventually(async () => !(await feedOf(s.url)).online.includes(wsNode.uuid), 1000);
  });
});

describe('v2 socket read deadline (agent-protocol.md §7.6, §11.3)', () => {
  /** Komari's 11 s, shortened: the rule is the same at any length (limits.agents). */
  const readDeadlineMs = 1200;
  let s: TestServer;
  let wsNode: { uuid: string; token: string };

  before(async () => {
    let cookie: string;
    ({ s, cookie } = await startWithAdmin({ limits: { agents: { readDeadlineMs } } }));
    wsNode = await addNode(s, cookie, 'v2-deadline');
  });
  after(() => s.dispose());

  it('a socket with no data frame for the read deadline is dropped and its node goes offline; pings do not keep it', async () => {
    const agent = await V2SocketAgent.connect(s, wsNode.token);
    agent.send({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() } });
    const lastData = Date.now();
    const pinger = setInterval(() => agent.ws.ping(), readDeadlineMs / 6);
    const closed = await agent.closed;
    clearInterval(pinger);
    const after = Date.now() - lastData;
    assert.ok(after >= readDeadlineMs - 100 && after < readDeadlineMs + 5000, `dropped after ${after} ms`);
    assert.equal(closed.code, 1006, 'dropped without a close frame, as a Go read deadline does');
    await eventually(async () => !(await feedOf(s.url)).online.includes(wsNode.uuid), 1000);
  });
});

describe('v2 agents with KOMARI_AGENT_WS_COMPRESSION=0', () => {
  it('the offer is declined and an agent reports over plain frames', async () => {
    const { s, cookie } = await startWithAdmin({ env: { KOMARI_AGENT_WS_COMPRESSION: '0' } });
    try {
      const { uuid, token } = await addNode(s, cookie, 'plain');
      const agent = await V2SocketAgent.connect(s, token);
      assert.equal(agent.ws.extensions, '');
      assert.equal(agent.extensionsHeader, '');
      agent.send({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport({ uptime: 4242 }) } });
      await eventually(async () => (await feedOf(s.url)).data[uuid]?.uptime === 4242);
      await agent.close();
    } finally {
      await s.dispose();
    }
  });
});

describe('a v2 agent socket that sends and never reads (one token pinned 236 MiB with 300,000 small calls)', () => {
  const log = new LogCapture();
  let s: TestServer;
  let cookie: string;
  before(async () => {
    ({ s, cookie } = await startWithAdmin({
      env: { KOMARI_LOG_LEVEL: 'warn' },
      logStream: log,
      limits: { agents: { maxBufferedBytes: 64 * 1024, maxMessagesInFlight: 16 } },
    }));
  });
  after(() => s.dispose());

  it('its answers stop at maxBufferedBytes and, past maxMessagesInFlight waiting frames, the socket is closed with 1008', async () => {
    const { uuid, token } = await addNode(s, cookie, 'never-reads');
    // uncompressed, so that the answers fill the socket buffers
    const agent = await V2SocketAgent.connect(s, token, { compress: false });
    // 128 queued events of 2 KiB: every agent.pull answers ~270 KiB until they are acked
    for (let i = 0; i < 128; i++) s.ctx.events.enqueue(uuid, 'agent.exec', { task_id: `t${i}`, command: 'x'.repeat(2048) });
    let answers = 0;
    agent.ws.on('message', () => answers++);
    const raw = (agent.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();
    // 300 pulls: ~80 MiB of answers, more than the loopback's socket buffers take (up to 36 MiB here)
    for (let i = 0; i < 300; i++) agent.ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'agent.pull', params: {}, id: i }));
    // the client reads nothing until the server has given up on it
    await eventually(() => log.text.includes('messages unanswered, closed'), 10_000);
    raw.resume();
    const closed = await agent.closed;
    assert.equal(closed.code, 1008);
    assert.ok(answers < 300 / 2, `${answers} answers were sent`);
    assert.equal((await http(s.url, '/api/version')).status, 200);
  });
});
