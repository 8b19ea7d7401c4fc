import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, feedOf } from '../../server/test/helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from '../../server/test/helpers/server.ts';
import { startProxy, type TestProxy } from './helpers/proxy.ts';
import { fixedInfo, fixedReport, startAgent, type TestAgent } from './helpers/transport.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

interface Setup {
  s: TestServer;
  cookie: string;
  proxy: TestProxy;
  node: { uuid: string; token: string };
  agent: TestAgent;
}

async function setup(name: string, proxyOptions: Parameters<typeof startProxy>[1]): Promise<Setup> {
  const { s, cookie } = await startWithAdmin();
  const proxy = await startProxy(s.url, proxyOptions);
  const node = await addNode(s, cookie, name);
  const agent = startAgent(proxy.url, node.token);
  return { s, cookie, proxy, node, agent };
}

async function teardown(x: Setup | undefined): Promise<void> {
  await x?.agent.transport.stop();
  await x?.proxy.close();
  await x?.s.dispose();
}

const online = async (x: Setup) => (await feedOf(x.s.url)).online.includes(x.node.uuid);

describe('agent transport: the WebSocket path is cut (connections reset), POSTs pass', () => {
  let x: Setup;
  before(async () => (x = await setup('ws-blocked', { refuseUpgrades: 'reset' })));
  after(() => teardown(x));

  it('reports over POST (agent.report + agent.pull) and shows online', async () => {
    await eventually(() => online(x), 10_000);
    assert.equal(x.agent.transport.state, 'post');
    assert.equal(x.s.ctx.live.socketOf(x.node.uuid), undefined, 'no socket reached the server');
    assert.ok(x.proxy.seen.includes('POST /api/clients/v2/rpc'));
    assert.equal((await feedOf(x.s.url)).data[x.node.uuid].ram.total, fixedReport.ram.total);
  });

  it('offers permessage-deflate on the socket and gzips the v2 POST bodies', () => {
    const upgrade = x.proxy.seen.indexOf('UPGRADE /api/clients/v2/rpc');
    assert.match(String(x.proxy.headers[upgrade]!['sec-websocket-extensions']), /permessage-deflate/);
    const post = x.proxy.seen.indexOf('POST /api/clients/v2/rpc');
    assert.equal(x.proxy.headers[post]!['content-encoding'], 'gzip');
  });

  it('keeps retrying the socket every reconnect interval', async () => {
    const upgrades = () => x.proxy.seen.filter((l) => l === 'UPGRADE /api/clients/v2/rpc').length;
    const before = upgrades();
    await eventually(() => upgrades() >= before + 2, 3000);
  });

  it('receives an exec as a queued event through agent.pull and posts its result', async () => {
    const res = await http(x.s.url, '/api/admin/task/exec', { method: 'POST', cookie: x.cookie, body: { command: 'hostname', clients: [x.node.uuid] } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.data.queued_clients, [x.node.uuid]);
    const taskId = res.json.data.task_id as string;
    await eventually(async () => {
      const rows = (await http(x.s.url, `/api/admin/task/${taskId}/result`, { cookie: x.cookie })).json.data as any[];
      return rows[0]?.result === 'ran hostname';
    }, 5000);
    // acked on the next POST: the event is not run twice
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(x.agent.handlers.execs, ['hostname']);
  });
});

describe('agent transport: --disable-compression', () => {
  let x: Setup | undefined;
  after(() => teardown(x));

  it('offers no permessage-deflate and sends plain JSON bodies', async () => {
    const { s, cookie } = await startWithAdmin();
    const proxy = await startProxy(s.url);
    const node = await addNode(s, cookie, 'plain');
    x = { s, cookie, proxy, node, agent: startAgent(proxy.url, node.token, ['--disable-compression']) };
    await eventually(() => online(x!), 10_000);
    const upgrade = proxy.seen.indexOf('UPGRADE /api/clients/v2/rpc');
    assert.equal(proxy.headers[upgrade]!['sec-websocket-extensions'], undefined);
    const post = proxy.seen.indexOf('POST /api/clients/v2/rpc');
    assert.equal(proxy.headers[post]!['content-encoding'], undefined);
  });
});

describe('agent transport: upgrades answered 403 by a proxy, POSTs pass', () => {
  let x: Setup;
  before(async () => (x = await setup('ws-forbidden', { refuseUpgrades: 'status' })));
  after(() => teardown(x));

  it('tries v2, then v1, then reports over v2 POST (komari-ts: the official agent starts over)', async () => {
    await eventually(() => online(x), 15_000);
    assert.equal(x.agent.transport.state, 'post');
    assert.ok(x.proxy.seen.includes('UPGRADE /api/clients/report'), 'the v1 socket was tried');
  });
});

describe('agent transport: a server that only speaks v1 (404 on /api/clients/v2/rpc)', () => {
  let x: Setup;
  before(async () => (x = await setup('v1-only', { v1Only: true })));
  after(() => teardown(x));

  it('falls back to v1 after three protocol failures and reports bare frames on /api/clients/report', async () => {
    await eventually(() => online(x), 10_000);
    assert.equal(x.agent.transport.state, 'socket-v1');
    assert.equal(x.s.ctx.live.socketOf(x.node.uuid)?.protocol, 1);
    assert.equal((await feedOf(x.s.url)).data[x.node.uuid].process, fixedReport.process);
  });

  it('uploads basic info through /api/clients/uploadBasicInfo once on v1', async () => {
    const row = async () => (await http(x.s.url, `/api/admin/client/${x.node.uuid}`, { cookie: x.cookie })).json;
    await eventually(async () => (await row()).cpu_name === fixedInfo.cpu_name, 5000);
    assert.ok(x.proxy.seen.includes('POST /api/clients/uploadBasicInfo'));
  });

  it('runs an exec from the v1 frame and posts the result', async () => {
    const res = await http(x.s.url, '/api/admin/task/exec', { method: 'POST', cookie: x.cookie, body: { command: 'id', clients: [x.node.uuid] } });
    assert.equal(res.status, 200, res.text);
    const taskId = res.json.data.task_id as string;
    await eventually(async () => {
      const rows = (await http(x.s.url, `/api/admin/task/${taskId}/result`, { cookie: x.cookie })).json.data as any[];
      return rows[0]?.result === 'ran id' && rows[0]?.exit_code === 0;
    }, 5000);
  });

  it('answers a ping task with a v1 ping_result frame', async () => {
    const res = await http(x.s.url, '/api/admin/ping/add', {
      method: 'POST',
      cookie: x.cookie,
      body: { name: 'probe', type: 'tcp', target: '127.0.0.1:9', interval: 1, clients: [x.node.uuid] },
    });
    assert.equal(res.status, 200, res.text);
    await eventually(() => x.agent.handlers.pings.length > 0, 5000);
    assert.deepEqual(x.agent.handlers.pings[0], ['tcp', '127.0.0.1:9']);
    const stored = async () => (await http(x.s.url, `/api/records/ping?uuid=${x.node.uuid}&hours=1`)).json?.data?.records ?? [];
    await eventually(async () => (await stored()).some((r: any) => r.value === 5), 5000);
  });
});
