import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, type CaptureLine, eventually, feedOf, readCapture } from './helpers/agent-common.ts';
import { startWithAdmin, type TestServer } from './helpers/server.ts';
import { V2SocketAgent, v2Post } from './helpers/v2-agent.ts';

/** The agent's HTTP request, replayed with its own headers; gzip bodies are compressed again. */
function replayHttp(s: TestServer, token: string, entry: CaptureLine) {
  const headers = { ...entry.headers };
  return v2Post(s, token, entry.body, { headers, gzip: headers['content-encoding'] === 'gzip' });
}

describe('replaying captured v2 agents', () => {
  let s: TestServer;
  let cookie: string;

  before(async () => ({ s, cookie } = await startWithAdmin()));
  after(() => s.dispose());

  it('the official agent: gzip basic-info notification → 200 with a JSON-RPC body and no error; socket report notifications get no reply', async () => {
    const { uuid, token } = await addNode(s, cookie, 'official');
    const lines = readCapture('official-agent-v2.jsonl');
    let agent: V2SocketAgent | undefined;
    let reports = 0;
    for (const entry of lines) {
      if (entry.kind === 'http') {
        const res = await replayHttp(s, token, entry);
        assert.equal(res.status, 200);
        // §8: the official agent accepts an empty body or JSON-RPC 2.0 without `error`.
        assert.ok(res.text === '' || (res.json.jsonrpc === '2.0' && res.json.error === undefined), res.text);
      } else if (entry.kind === 'ws-upgrade') {
        agent = await V2SocketAgent.connect(s, token);
        assert.equal(agent.ws.extensions, 'permessage-deflate');
      } else if (entry.kind === 'ws-frame') {
        agent!.send(entry.frame);
        if (entry.frame.method === 'agent.report') reports++;
      } else if (entry.kind === 'ws-close') {
        await agent!.assertQuiet();
        agent!.ws.terminate();
      }
    }
    assert.equal(reports, 6);
    await eventually(async () => !(await feedOf(s.url)).online.includes(uuid));
    const recent = s.ctx.live.recent(uuid);
    assert.equal(recent.length, 6);
    assert.deepEqual(recent.map((r) => r.report.uptime), [1728, 1729, 1730, 1731, 1732, 1733]);
    assert.equal(recent[4]!.report.cpu.usage, 0.001, 'the agent clamps idle CPU to 0.001');
    const node = await s.ctx.store.nodes.get(uuid);
    assert.equal(node?.os, 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(node?.cpu_physical_cores, 2);
    assert.equal(node?.virtualization, 'docker');
  });

  it('the C agent: basic info as a frame; reports with numeric ids get replies with those ids; numeric ack ids are fine', async () => {
    const { uuid, token } = await addNode(s, cookie, 'c-agent');
    const lines = readCapture('c-agent-v2.jsonl');
    let agent: V2SocketAgent | undefined;
    const ids: number[] = [];
    for (const entry of lines) {
      if (entry.kind === 'ws-upgrade') {
        agent = await V2SocketAgent.connect(s, token, { compress: false, headers: { 'user-agent': entry.headers!['user-agent']! } });
      } else if (entry.kind === 'ws-frame' && entry.frame.id === undefined) {
        agent!.send(entry.frame);
        await agent!.assertQuiet(100);
      } else if (entry.kind === 'ws-frame') {
        agent!.send(entry.frame);
        const reply = await agent!.next();
        assert.deepEqual(reply, { jsonrpc: '2.0', id: entry.frame.id, result: { status: 'success', events: [] } });
        ids.push(reply.id);
      }
      // The ping-result POST belongs to /api/clients/ping/result (v1 transport, Probes issue).
    }
    assert.deepEqual(ids, [1795481504, 1795481505, 1795481506, 1795481507, 1795481508, 1795481509, 1795481510]);
    const numericAck = await agent!.call('agent.report', { report: lines[2]!.frame.params.report, ack_event_ids: [3, 1795481504] }, 1795481511);
    assert.equal(numericAck.result.status, 'success');
    assert.equal(s.ctx.live.latest(uuid)?.report.connections.tcp, 10);
    assert.equal((await s.ctx.store.nodes.get(uuid))?.os, 'OpenWrt');
    await agent!.close();
  });
});
