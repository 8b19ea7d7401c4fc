import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, sampleReport } from '../helpers/agent-common.ts';
import { answerJson, startCaptureServer, type CaptureServer } from '../helpers/capture-server.ts';
import { clusterSkipReason, natsClusterOf, startReplicas, untilTokenKnown } from '../helpers/cluster.ts';
import { http, type TestServer } from '../helpers/server.ts';
import { V2SocketAgent } from '../helpers/v2-agent.ts';

// Offline alert state across a leader change (issue 16 §2). Leadership moves only when a test
// asks (checkLeadership), never on the timer, so "while no replica leads" is a real interval.
const limits = { alerts: { offlineTickMs: 50, startupGraceMs: 200 }, cluster: { leaderTryEveryMs: 600_000 } };
const report = { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() } };

describe('offline alerts when the leader changes (issue 16 §2)', { skip: clusterSkipReason }, () => {
  let cluster: Awaited<ReturnType<typeof startReplicas>>;
  let a: TestServer;
  let b: TestServer;
  let cookie = '';
  let hook: CaptureServer;
  const agents: V2SocketAgent[] = [];

  const stored = async (uuid: string) => (await a.ctx.store.alerts.offlineStates()).find((s) => s.client === uuid)?.state;
  const sent = (name: string) => hook.seen.map((r) => JSON.parse(r.body) as { event: string; message: string }).filter((e) => e.message.includes(`Clients: ${name}\n`));
  async function watched(name: string): Promise<{ uuid: string; token: string }> {
    const node = await addNode(a, cookie, name);
    const edit = await http(a.url, '/api/admin/notification/offline/edit', { method: 'POST', cookie, body: [{ client: node.uuid, enable: true, grace_period: 1 }] });
    assert.equal(edit.status, 200, edit.text);
    return node;
  }
  async function connect(s: TestServer, token: string): Promise<V2SocketAgent> {
    await untilTokenKnown(s, token);
    const agent = await V2SocketAgent.connect(s, token);
    agents.push(agent);
    agent.send(report);
    return agent;
  }

  before(async () => {
    hook = await startCaptureServer((_req, res) => answerJson(res, 200, {}));
    cluster = await startReplicas(2, { limits });
    [a, b] = cluster.replicas as [TestServer, TestServer];
    cookie = await a.login();
    const add = await http(a.url, '/api/admin/alerts/channels/add', {
      method: 'POST',
      cookie,
      body: { name: 'hook', kind: 'webhook', config: { url: `${hook.url}/hook`, method: 'POST', body: '{"event":"{{event}}","message":"{{message}}"}' } },
    });
    assert.equal(add.status, 200, add.text);
  });
  after(async () => {
    for (const agent of agents) agent.ws.terminate();
    await cluster?.dispose();
    await hook?.close();
  });

  it('a replica joining a running cluster leaves the states the leader keeps; the next leader keeps a node online elsewhere up, and sends Online for one that came back while no replica led', async () => {
    const stays = await watched('stays-up');
    const returns = await watched('comes-back');
    await connect(b, stays.token);
    const leaving = await connect(b, returns.token);
    await eventually(async () => (await stored(stays.uuid)) === 'up' && (await stored(returns.uuid)) === 'up', 3000);

    // comes-back goes down while a leads, just after a report b has not forwarded yet: one
    // Offline, from a, and the late report did not bring the node back there meanwhile
    const last = b.ctx.live.latest(returns.uuid)!.at;
    leaving.send(report);
    await eventually(() => b.ctx.live.latest(returns.uuid)!.at > last);
    leaving.ws.terminate();
    await eventually(() => sent('comes-back').length === 1, 5000);
    const flips = a.ctx.live.transitions().filter((t) => t.uuid === returns.uuid).map((t) => t.online);
    assert.deepEqual(flips, [true, false]);
    assert.equal(await stored(returns.uuid), 'down');

    // a third replica starts: reading the states back is no reason to rewrite them
    await cluster.start();
    assert.equal(await stored(stays.uuid), 'up', 'the joining replica did not mark an online node pending');

    // the leader goes; comes-back returns to b while nobody leads; then b takes over
    await a.stop();
    await connect(b, returns.token);
    await eventually(() => b.ctx.live.isOnline(returns.uuid));
    assert.equal(await natsClusterOf(b).checkLeadership(), true);
    await b.ctx.alerts.idle();
    assert.equal(b.ctx.alerts.offline.state(stays.uuid)?.state, 'up', 'online on a replica: nothing to wait for, no outage to report');
    assert.equal(b.ctx.alerts.offline.state(returns.uuid)?.state, 'up');
    assert.deepEqual(sent('stays-up'), []);
    await eventually(() => sent('comes-back').length === 2, 5000);
    assert.deepEqual(sent('comes-back').map((e) => e.event), ['Offline', 'Online'], 'the outage is closed by the new leader');
  });
});
