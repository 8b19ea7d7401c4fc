import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { loadBootConfig } from '../../server/src/config/boot-config.ts';
import { startServer, type RunningServer } from '../../server/src/main.ts';
import { addNode, eventually, feedOf } from '../../server/test/helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from '../../server/test/helpers/server.ts';
import { dialWebSocket } from '../src/wire/websocket.ts';
import { fixedInfo, fixedReport, startAgent, type TestAgent } from './helpers/transport.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('agent transport against a real server: v2 over WebSocket', () => {
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };
  let agent: TestAgent;

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    node = await addNode(s, cookie, 'agent-under-test');
    agent = startAgent(s.url, node.token);
  });
  after(async () => {
    await agent.transport.stop();
    await s.dispose();
  });

  it('shows the node online with the collector figures, reported over a v2 socket', async () => {
    await eventually(async () => (await feedOf(s.url)).data[node.uuid] !== undefined, 10_000);
    assert.ok((await feedOf(s.url)).online.includes(node.uuid));
    assert.equal(agent.transport.state, 'socket-v2');
    assert.equal(s.ctx.live.socketOf(node.uuid)?.protocol, 2);
    const feed = await feedOf(s.url);
    const r = feed.data[node.uuid];
    assert.equal(r.ram.total, fixedReport.ram.total);
    assert.equal(r.disk.total, fixedReport.disk.total);
    assert.equal(r.process, fixedReport.process);
    assert.equal(r.uptime, fixedReport.uptime);
  });

  it('uploads basic info at start, with the IPs from the address source', async () => {
    await eventually(async () => (await http(s.url, `/api/admin/client/${node.uuid}`, { cookie })).json?.cpu_name === fixedInfo.cpu_name, 5000);
    const row = (await http(s.url, `/api/admin/client/${node.uuid}`, { cookie })).json as any;
    assert.equal(row.os, fixedInfo.os);
    assert.equal(row.kernel_version, fixedInfo.kernel_version);
    assert.equal(row.ipv4, '192.0.2.7');
  });

  it('keeps reporting every interval', async () => {
    const before = agent.collector.reports;
    await new Promise((r) => setTimeout(r, 2500));
    assert.ok(agent.collector.reports >= before + 2, `reports ${before} → ${agent.collector.reports}`);
  });

  it('runs an exec sent over the socket and sends the result as agent.taskResult', async () => {
    const res = await http(s.url, '/api/admin/task/exec', { method: 'POST', cookie, body: { command: 'uptime', clients: [node.uuid] } });
    assert.equal(res.status, 200, res.text);
    const taskId = res.json.data.task_id as string;
    await eventually(async () => {
      const rows = (await http(s.url, `/api/admin/task/${taskId}/result`, { cookie })).json.data as any[];
      return rows[0]?.result === 'ran uptime';
    }, 5000);
    assert.deepEqual(agent.handlers.execs, ['uptime']);
  });

  it('negotiates permessage-deflate with the server, which inflates its compressed reports', async () => {
    const other = await addNode(s, cookie, 'deflate-check');
    const ws = await dialWebSocket(`${s.url.replace(/^http/, 'ws')}/api/clients/v2/rpc?token=${other.token}`, {
      compression: true,
      insecure: false,
      timeoutMs: 5000,
    });
    try {
      assert.equal(ws.compressed, true);
      // over the 1,024 bytes from which a frame is compressed
      const message = `deflated ${'x'.repeat(3000)}`;
      ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'agent.report', params: { report: { ...fixedReport, message } } }));
      await eventually(async () => (await feedOf(s.url)).data[other.uuid]?.message === message, 5000);
    } finally {
      ws.close(1000);
    }
  });

  it('hands the terminal frame (v1 form, also on v2 sockets) to the terminal handler with the node token', async () => {
    const browser = new WebSocket(`${s.url.replace(/^http/, 'ws')}/api/admin/client/${node.uuid}/terminal`, {
      headers: { cookie: `session_token=${cookie}`, origin: s.url },
    });
    browser.on('error', () => {});
    await eventually(() => agent.handlers.terminals.length === 1, 5000);
    const [req] = agent.handlers.terminals;
    assert.match(req!.requestId, /^[0-9A-Za-z]{32}$/);
    assert.equal(req!.token, node.token);
    assert.equal(req!.endpoint, s.url);
    browser.terminate();
  });
});

describe('agent transport: the server stops and starts again on the same port and database', () => {
  let s: TestServer;
  let again: RunningServer | undefined;
  let agent: TestAgent;

  before(async () => {
    const { s: started, cookie } = await startWithAdmin();
    s = started;
    const node = await addNode(s, cookie, 'survivor');
    agent = startAgent(s.url, node.token);
    await eventually(async () => (await feedOf(s.url)).online.includes(node.uuid), 10_000);
    (s as any).nodeUuid = node.uuid;
  });
  after(async () => {
    await agent.transport.stop();
    await again?.stop();
    rmSync(s.dir, { recursive: true, force: true });
  });

  it('reconnects on its own', async () => {
    const uuid = (s as any).nodeUuid as string;
    const port = new URL(s.url).port;
    await s.stop();
    await eventually(() => agent.transport.state !== 'socket-v2', 5000);
    const config = loadBootConfig({ listen: `127.0.0.1:${port}`, db: s.dbPath }, { KOMARI_LOG_LEVEL: 'silent', ADMIN_PASSWORD: 'x' });
    again = await startServer(config, () => {});
    await eventually(async () => (await feedOf(again!.url)).online.includes(uuid), 15_000);
    await eventually(() => agent.transport.state === 'socket-v2', 5000);
    assert.equal(again.ctx.live.socketOf(uuid)?.protocol, 2);
  });
});
