import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually } from '../../server/test/helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from '../../server/test/helpers/server.ts';
import { startProxy, type TestProxy } from './helpers/proxy.ts';
import { startAgent, type TestAgent } from './helpers/transport.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** The server's clock runs an hour behind: a finish time it stamps itself is told apart at once. */
const lagMs = 3_600_000;

interface Setup {
  s: TestServer;
  cookie: string;
  proxy: TestProxy;
  node: { uuid: string; token: string };
  agent: TestAgent;
}

async function setup(name: string, flags: string[]): Promise<Setup> {
  const { s, cookie } = await startWithAdmin({ clock: { now: () => Date.now() - lagMs } });
  const proxy = await startProxy(s.url, {});
  const node = await addNode(s, cookie, name);
  const agent = startAgent(proxy.url, node.token, flags);
  return { s, cookie, proxy, node, agent };
}

async function teardown(x: Setup | undefined): Promise<void> {
  await x?.agent.transport.stop();
  await x?.proxy.close();
  await x?.s.dispose();
}

/** Sends `command` to the node and waits for its stored result row. */
async function execAndWait(x: Setup, command: string): Promise<any> {
  const res = await http(x.s.url, '/api/admin/task/exec', { method: 'POST', cookie: x.cookie, body: { command, clients: [x.node.uuid] } });
  assert.equal(res.status, 200, res.text);
  const taskId = res.json.data.task_id as string;
  let row: any;
  await eventually(async () => {
    row = ((await http(x.s.url, `/api/admin/task/${taskId}/result`, { cookie: x.cookie })).json.data as any[])[0];
    return typeof row?.finished_at === 'string';
  }, 10_000);
  return row;
}

describe('agent exec results against a real server: agent.taskResult on v2 (Komari 1.5)', () => {
  let x: Setup;
  before(async () => {
    x = await setup('exec-v2', []);
    await eventually(() => x.s.ctx.live.socketOf(x.node.uuid)?.protocol === 2, 10_000);
  });
  after(() => teardown(x));

  it("sends agent.taskResult to /api/clients/v2/rpc, stored with the agent's finished_at", async () => {
    const started = Date.now();
    const row = await execAndWait(x, 'uptime');
    const finished = Date.parse(row.finished_at);
    assert.equal(row.result, 'ran uptime');
    assert.equal(row.exit_code, 0);
    // the agent's clock (the real one), not the server's an hour behind
    assert.ok(finished >= started - 1000 && finished <= Date.now() + 1000, `finished_at ${row.finished_at}`);
    assert.ok(!x.proxy.seen.includes('POST /api/clients/task/result'), 'the removed REST route was not used');
    assert.ok(x.proxy.seen.includes('POST /api/clients/v2/rpc'));
  });
});

describe('agent exec results against a real server: a v1-mode agent keeps the REST route', () => {
  let x: Setup;
  before(async () => {
    x = await setup('exec-v1', ['--protocol-version', '1']);
    await eventually(() => x.s.ctx.live.socketOf(x.node.uuid)?.protocol === 1, 10_000);
  });
  after(() => teardown(x));

  it('posts the result to /api/clients/task/result, stored with the server time', async () => {
    const started = Date.now();
    const row = await execAndWait(x, 'id');
    assert.equal(row.result, 'ran id');
    assert.ok(x.proxy.seen.includes('POST /api/clients/task/result'));
    assert.ok(!x.proxy.seen.includes('POST /api/clients/v2/rpc'), 'nothing went to the v2 endpoint');
    const finished = Date.parse(row.finished_at);
    assert.ok(finished <= started - lagMs + 60_000, `finished_at ${row.finished_at} is the server's clock`);
  });
});
