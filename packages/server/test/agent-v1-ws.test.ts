import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, feedKeys, feedOf, sampleReport } from './helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent, v1SocketUrl } from './helpers/v1-agent.ts';
import { upgradeStatus } from './helpers/ws.ts';

describe('v1 agent WebSocket /api/clients/report', () => {
  let s: TestServer;
  let cookie: string;

  before(async () => ({ s, cookie } = await startWithAdmin()));
  after(() => s.dispose());

  it('a v1 socket agent is online with its report echoed in the seed shape and its basic info in /api/nodes', async () => {
    const { uuid, token } = await addNode(s, cookie, 'ws-agent');
    const info = { cpu_name: 'Intel(R) Xeon(R) Processor', os: 'Debian GNU/Linux 12 (bookworm)', mem_total: 25276063744, cpu_cores: 2 };
    const up = await http(s.url, `/api/clients/uploadBasicInfo?token=${token}`, { method: 'POST', body: info });
    assert.deepEqual([up.status, up.json], [200, { status: 'success' }]);
    const agent = await V1Agent.connect(s, token);
    // Komari never negotiates permessage-deflate on this route, though the client offers it.
    assert.equal(agent.ws.extensions, '');
    assert.equal((await feedOf(s.url)).online.includes(uuid), false, 'not online before the first frame');
    agent.report();
    await eventually(async () => (await feedOf(s.url)).online.includes(uuid));
    const shown = (await feedOf(s.url)).data[uuid];
    assert.deepEqual(Object.keys(shown), feedKeys);
    const { cpu, ram, network, uptime } = sampleReport();
    assert.deepEqual([shown.cpu, shown.ram, shown.network, shown.uptime], [cpu, ram, network, uptime]);
    const node = (await http(s.url, '/api/nodes')).json.data.find((n: { uuid: string }) => n.uuid === uuid);
    assert.deepEqual([node.cpu_name, node.os, node.mem_total, node.cpu_cores], [info.cpu_name, info.os, info.mem_total, info.cpu_cores]);
    await agent.close();
    await eventually(async () => !(await feedOf(s.url)).online.includes(uuid), 500);
  });

  it('a bad or missing token is refused with 401 before the upgrade; a plain GET gets 400', async () => {
    const { token } = await addNode(s, cookie, 'refused');
    assert.equal(await upgradeStatus(v1SocketUrl(s, '?token=not-a-token')), 401);
    assert.equal(await upgradeStatus(v1SocketUrl(s, '')), 401);
    const plain = await http(s.url, `/api/clients/report?token=${token}`);
    assert.deepEqual([plain.status, plain.json], [400, { status: 'error', error: 'Require WebSocket upgrade' }]);
    assert.ok(plain.headers.get('content-length'));
  });

  it('a token only in ?Authorization= gets {"error":""} after the first frame and is closed, never online', async () => {
    const { uuid, token } = await addNode(s, cookie, 'authz-only');
    const agent = await V1Agent.connect(s, token, { query: `?Authorization=${token}`, headers: { Origin: s.url } });
    assert.deepEqual(await agent.ask(sampleReport()), { error: '', status: 'error' });
    await agent.closed;
    assert.equal((await feedOf(s.url)).data[uuid], undefined);
  });

  it('a non-JSON first frame gets "Invalid JSON" and the socket is closed before registering', async () => {
    const { uuid, token } = await addNode(s, cookie, 'garbled-first');
    const agent = await V1Agent.connect(s, token);
    assert.deepEqual(await agent.ask('not json'), { error: 'Invalid JSON', status: 'error' });
    await agent.closed;
    assert.equal((await feedOf(s.url)).online.includes(uuid), false);
  });

  it('bad frames get their error, store nothing and never close a registered socket', async () => {
    const { uuid, token } = await addNode(s, cookie, 'bad-frames');
    const agent = await V1Agent.connect(s, token);
    agent.report({ uptime: 100 });
    await eventually(async () => (await feedOf(s.url)).data[uuid]?.uptime === 100);
    const before = (await feedOf(s.url)).data[uuid];
    const cases: Array<[unknown, string]> = [
      [{ cpu: { usage: 'high' } }, 'Invalid report format'],
      [{ type: 'report', ram: { total: 1.5 } }, 'Invalid report format'],
      [sampleReport({ cpu: { usage: 101 } }), 'CPU.Usage must be between 0 and 100'],
      [sampleReport({ network: { up: 0, down: 0, totalUp: -1, totalDown: 0 } }), 'Network.TotalUp must be non-negative, got -1'],
      ['{"cpu":', 'Invalid JSON'],
      ['[1,2]', 'Invalid JSON'],
      [{ type: 7 }, 'Invalid JSON'],
      [{ type: 'bogus' }, 'Unknown message type'],
      [{ type: 'ping_result', task_id: 'seven', value: 3 }, 'Invalid ping result format'],
      [{ type: 'ping_result', task_id: 7, value: 1.5 }, 'Invalid ping result format'],
    ];
    for (const [frame, error] of cases) assert.deepEqual(await agent.ask(frame), { error, status: 'error' }, JSON.stringify(frame));
    assert.deepEqual((await feedOf(s.url)).data[uuid], before, 'nothing was stored');
    // A good ping result is accepted silently: the next reply is the one for the frame after it.
    agent.send({ type: 'ping_result', task_id: 7, ping_type: 'tcp', value: 0, finished_at: '2026-11-24T00:51:40.038133338Z' });
    assert.deepEqual(await agent.ask({ type: 'bogus' }), { error: 'Unknown message type', status: 'error' });
    assert.ok(agent.open);
    agent.report({ uptime: 101, type: 'report' });
    await eventually(async () => (await feedOf(s.url)).data[uuid]?.uptime === 101);
    await agent.close();
  });

  it('an oversized frame closes that socket with 1009; another agent keeps reporting', async () => {
    const big = await addNode(s, cookie, 'oversized');
    const good = await addNode(s, cookie, 'good');
    const bad = await V1Agent.connect(s, big.token);
    const fine = await V1Agent.connect(s, good.token);
    bad.report();
    fine.report({ uptime: 1 });
    await eventually(async () => (await feedOf(s.url)).online.includes(big.uuid) && (await feedOf(s.url)).online.includes(good.uuid));
    bad.report({ message: 'x'.repeat(1024 * 1024 + 1) });
    assert.equal((await bad.closed).code, 1009);
    await eventually(async () => !(await feedOf(s.url)).online.includes(big.uuid));
    assert.ok(fine.open);
    fine.report({ uptime: 2 });
    await eventually(async () => (await feedOf(s.url)).data[good.uuid]?.uptime === 2);
    assert.equal((await feedOf(s.url)).data[big.uuid].message, '', 'the oversized report was not stored');
    await fine.close();
  });

  it('newest connection wins: a second socket with the same token replaces the first, the node stays online', async () => {
    const { uuid, token } = await addNode(s, cookie, 'twice');
    const first = await V1Agent.connect(s, token);
    first.report({ uptime: 1 });
    await eventually(async () => (await feedOf(s.url)).online.includes(uuid));
    const second = await V1Agent.connect(s, token);
    second.report({ uptime: 2 });
    await first.closed;
    // The replaced socket's end does not evict its successor.
    await new Promise((r) => setTimeout(r, 100));
    assert.ok((await feedOf(s.url)).online.includes(uuid));
    assert.ok(second.open);
    second.report({ uptime: 3 });
    await eventually(async () => (await feedOf(s.url)).data[uuid]?.uptime === 3);
    await second.close();
    await eventually(async () => !(await feedOf(s.url)).online.includes(uuid), 500);
  });
});
