import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, feedOf, sampleReport } from './helpers/agent-common.ts';
import { http, rpc, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { V2SocketAgent, v2Post } from './helpers/v2-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

// Issue 12, hole 1: ~1 MiB `message` frames over one v1 socket pinned ~1 MiB per report in the
// recent window (heap OOM in 34 s) and one `/api/recent/<uuid>` answered 335 MB.
const maxTextBytes = 4096;
const limits = {
  report: { maxTextBytes, maxGpuDevices: 4 },
  recent: { maxReportsPerNode: 12, maxBytesPerNode: 48 * 1024 },
};
/** a frame just under the 1 MiB frame limit once the report's other fields (and an 8 KiB cpu name) are added */
const floodBytes = 1024 * 1024 - 12 * 1024;

/** `prefix` then `unit` repeated to ~`bytes` UTF-8 bytes: a cut at 4096 bytes falls inside a character. */
function longText(prefix: string, unit: string, bytes = floodBytes): string {
  return prefix + unit.repeat(Math.floor((bytes - prefix.length) / Buffer.byteLength(unit)));
}
/** What a text of `longText(prefix, unit)` must be cut to: whole characters within maxTextBytes. */
function cutOf(prefix: string, unit: string): string {
  return prefix + unit.repeat(Math.floor((maxTextBytes - prefix.length) / Buffer.byteLength(unit)));
}

/** A plain report's `/api/recent` entry is ~400 bytes; each report carries at most two cut texts here. */
const entryBound = 1024 + 2 * maxTextBytes;

async function recentOf(s: TestServer, uuid: string): Promise<{ entries: any[]; bytes: number }> {
  const res = await http(s.url, `/api/recent/${uuid}`);
  assert.equal(res.status, 200);
  return { entries: res.json.data, bytes: Buffer.byteLength(res.text) };
}

describe('what one agent can pin: report texts and the recent window are bounded', () => {
  let s: TestServer;
  let cookie: string;

  before(async () => ({ s, cookie } = await startWithAdmin({ limits })));
  after(() => s.dispose());

  it('1 MiB message frames over a v1 socket are cut to 4 KiB on a character boundary and the node window stays bounded', async () => {
    const { uuid, token } = await addNode(s, cookie, 'v1-flood');
    const agent = await V1Agent.connect(s, token);
    const message = longText('ab', '日');
    const name = longText('abc', '😀', 8192);
    const frames = 40;
    for (let i = 0; i < frames; i++) {
      agent.report({ message, cpu: { usage: 5, name, arch: 'amd64' }, uptime: i });
      // one frame at a time: the server has taken it once it shows as the latest
      await eventually(() => s.ctx.live.latest(uuid)?.report.uptime === i);
      assert.ok(s.ctx.live.recentBytes(uuid) <= limits.recent.maxBytesPerNode, `window holds ${s.ctx.live.recentBytes(uuid)} bytes`);
    }
    const { entries, bytes } = await recentOf(s, uuid);
    assert.ok(entries.length >= 1 && entries.length <= limits.recent.maxReportsPerNode, `${entries.length} reports kept`);
    assert.equal(entries.at(-1).uptime, frames - 1, 'the newest are kept');
    for (const e of entries) {
      assert.equal(Buffer.byteLength(e.message), maxTextBytes - 2);
      assert.equal(e.message, cutOf('ab', '日'));
      assert.equal(e.cpu.name, cutOf('abc', '😀'));
    }
    assert.ok(bytes < limits.recent.maxReportsPerNode * entryBound, `/api/recent answered ${bytes} bytes`);
    const status = await rpc(s.url, 'common:getNodeRecentStatus', { uuid });
    assert.ok(status.result.count <= limits.recent.maxReportsPerNode);
    assert.equal((await feedOf(s.url)).data[uuid].message, cutOf('ab', '日'));
    await agent.close();
  });

  it('the window holds at most maxReportsPerNode plain reports when they come faster than the window', async () => {
    const { uuid, token } = await addNode(s, cookie, 'v1-fast');
    const agent = await V1Agent.connect(s, token);
    for (let i = 0; i < 100; i++) agent.report({ uptime: i });
    await eventually(() => s.ctx.live.latest(uuid)?.report.uptime === 99);
    const { entries } = await recentOf(s, uuid);
    assert.deepEqual(entries.map((e) => e.uptime), Array.from({ length: limits.recent.maxReportsPerNode }, (_, k) => 100 - limits.recent.maxReportsPerNode + k));
    await agent.close();
  });

  it('a v1 POST report with a 600 KB message and a 300 KB method is cut the same way', async () => {
    const { uuid, token } = await addNode(s, cookie, 'v1-post');
    const body = sampleReport({ message: longText('x', 'é', 600_000), method: longText('', '😀', 300_000) });
    const res = await http(s.url, `/api/clients/report?token=${token}`, { method: 'POST', body });
    assert.equal(res.status, 200, res.text);
    const [entry] = (await recentOf(s, uuid)).entries;
    assert.deepEqual([Buffer.byteLength(entry.message), Buffer.byteLength(entry.method)], [maxTextBytes - 1, maxTextBytes]);
    assert.equal(entry.message, cutOf('x', 'é'));
    assert.equal(entry.method, cutOf('', '😀'));
  });

  it('v2 reports over the socket and POST are cut, and a GPU list keeps maxGpuDevices devices with cut names', async () => {
    const ws = await addNode(s, cookie, 'v2-ws');
    const post = await addNode(s, cookie, 'v2-post');
    const device = { name: longText('g', '日', 6000), memory_total: 1, memory_used: 1, utilization: 50, temperature: 40 };
    const gpu = { count: 100, average_usage: 50, detailed_info: Array.from({ length: 100 }, () => device) };
    const report = sampleReport({ message: longText('ab', '日', 300_000), gpu });
    const agent = await V2SocketAgent.connect(s, ws.token);
    agent.send({ jsonrpc: '2.0', method: 'agent.report', params: { report } });
    const posted = await v2Post(s, post.token, { jsonrpc: '2.0', method: 'agent.report', params: { report }, id: 1 }, { gzip: true });
    assert.equal(posted.json.result?.status, 'success', posted.text);
    await eventually(() => s.ctx.live.latest(ws.uuid) !== undefined);
    for (const uuid of [ws.uuid, post.uuid]) {
      const [entry] = (await recentOf(s, uuid)).entries;
      assert.equal(Buffer.byteLength(entry.message), maxTextBytes - 2);
      assert.equal(entry.message, cutOf('ab', '日'));
      assert.equal(entry.gpu.detailed_info.length, limits.report.maxGpuDevices);
      assert.equal(entry.gpu.detailed_info[0].name, cutOf('g', '日'));
      assert.equal(entry.gpu.count, 100, 'the figures the agent sent are kept');
    }
    await agent.close();
  });

  it('basic info with 200 KB strings is cut to its column width without splitting a character', async () => {
    const v1 = await addNode(s, cookie, 'info-v1');
    const v2 = await addNode(s, cookie, 'info-v2');
    // 99 units, then a surrogate pair across the 100-unit column width
    const huge = longText('a'.repeat(99), '😀', 200_000);
    const info = { cpu_name: huge, os: huge, gpu_name: huge, kernel_version: huge };
    const up = await http(s.url, `/api/clients/uploadBasicInfo?token=${v1.token}`, { method: 'POST', body: info });
    assert.equal(up.status, 200, up.text);
    const res = await v2Post(s, v2.token, { jsonrpc: '2.0', method: 'agent.basicInfo', params: { info }, id: 1 }, { gzip: true });
    assert.equal(res.json.result?.status, 'success', res.text);
    const nodes = (await http(s.url, '/api/nodes')).json.data;
    for (const { uuid } of [v1, v2]) {
      const node = nodes.find((n: { uuid: string }) => n.uuid === uuid);
      for (const key of ['cpu_name', 'os', 'gpu_name', 'kernel_version']) assert.equal(node[key], 'a'.repeat(99), key);
    }
  });
});
