import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, feedOf, sampleReport } from '../helpers/agent-common.ts';
import { clusterSkipReason, natsClusterOf, startReplicas } from '../helpers/cluster.ts';
import { http, type TestServer } from '../helpers/server.ts';
import { V2SocketAgent } from '../helpers/v2-agent.ts';

const report = (cpu: number) => ({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport({ cpu: { usage: cpu } }) } });

describe('two replicas on one PostgreSQL, joined through NATS (issue 16 §2)', { skip: clusterSkipReason }, () => {
  let cluster: Awaited<ReturnType<typeof startReplicas>>;
  let a: TestServer;
  let b: TestServer;
  let cookieA = '';
  let cookieB = '';
  let node = { uuid: '', token: '' };
  let agent: V2SocketAgent;

  before(async () => {
    cluster = await startReplicas(2);
    [a, b] = cluster.replicas as [TestServer, TestServer];
    cookieA = await a.login();
    cookieB = await b.login();
  });
  after(async () => {
    agent?.ws.terminate();
    await cluster?.dispose();
  });

  it('exactly one replica leads', async () => {
    const leads = await Promise.all([natsClusterOf(a).checkLeadership(), natsClusterOf(b).checkLeadership()]);
    assert.deepEqual(leads, [true, false], 'the first replica took the lock; the second waits');
  });

  it('a node added on one replica authenticates an agent on the other, whose reports show live on both within a second', async () => {
    node = await addNode(a, cookieA, 'moves-around');
    await eventually(async () => (await b.ctx.store.nodes.byToken(node.token)) !== undefined);
    agent = await V2SocketAgent.connect(b, node.token);
    agent.send(report(37.5));
    await eventually(() => b.ctx.live.socketOf(node.uuid) !== undefined);
    await eventually(async () => {
      const feed = await feedOf(a.url);
      return feed.online.includes(node.uuid) && feed.data[node.uuid]?.cpu?.usage === 37.5;
    }, 1000);
    const recentA = await http(a.url, `/api/recent/${node.uuid}`);
    assert.equal(recentA.json.data.at(-1).cpu.usage, 37.5, '/api/recent on the other replica');
    assert.equal(a.ctx.live.ownerOf(node.uuid), b.ctx.cluster.replicaId);
  });

  it('exec sent through the replica without the socket reaches the agent on the other', async () => {
    const res = await http(a.url, '/api/admin/task/exec', { method: 'POST', cookie: cookieA, body: { command: 'uptime', clients: [node.uuid] } });
    assert.equal(res.status, 200, res.text);
    const frame = await agent.next(2000);
    assert.equal(frame.method, 'agent.exec');
    assert.equal(frame.params.command, 'uptime');
    assert.equal(frame.params.task_id, res.json.data.task_id);
  });

  it('a ping task added on one replica is scheduled by the replica holding the agent', async () => {
    const res = await http(a.url, '/api/admin/ping/add', { method: 'POST', cookie: cookieA, body: { name: 'probe', type: 'tcp', target: '127.0.0.1:1', interval: 1, clients: [node.uuid] } });
    assert.equal(res.status, 200, res.text);
    const id = res.json.data.task_id;
    let frame = await agent.next(3000);
    while (frame.method !== 'agent.ping') frame = await agent.next(3000);
    assert.equal(frame.params.task_id ?? frame.params.ping_task_id ?? id, id);
    assert.equal(a.ctx.ping.timerCount > 0 && b.ctx.ping.timerCount > 0, true, 'both replicas know the task');
    await http(a.url, '/api/admin/ping/delete', { method: 'POST', cookie: cookieA, body: { id: [id] } });
    await eventually(() => b.ctx.ping.tasks().length === 0);
  });

  it('settings and node edits made on one replica are seen on the other', async () => {
    const set = await http(b.url, '/api/admin/settings', { method: 'POST', cookie: cookieB, body: { sitename: 'Shared name' } });
    assert.equal(set.status, 200, set.text);
    await eventually(async () => (await http(a.url, '/api/public')).json.data.sitename === 'Shared name');
    const edit = await http(a.url, `/api/admin/client/${node.uuid}/edit`, { method: 'POST', cookie: cookieA, body: { name: 'renamed on a' } });
    assert.equal(edit.status, 200, edit.text);
    await eventually(async () => (await http(b.url, '/api/nodes')).json.data.some((n: { uuid: string; name: string }) => n.uuid === node.uuid && n.name === 'renamed on a'));
  });

  it('a session ended on one replica is refused on the other', async () => {
    const extra = await a.login();
    assert.equal((await http(b.url, '/api/me', { cookie: extra })).json.logged_in, true);
    await http(a.url, '/api/logout', { cookie: extra });
    assert.equal((await http(b.url, '/api/me', { cookie: extra })).json.logged_in, false);
  });

  it('the agent going away shows offline on the other replica within a second', async () => {
    agent.ws.terminate();
    await eventually(async () => !(await feedOf(a.url)).online.includes(node.uuid), 1500);
  });

  it('a node deleted on one replica loses its socket on the other, and its token stops working there', async () => {
    agent = await V2SocketAgent.connect(b, node.token);
    agent.send(report(1));
    await eventually(() => a.ctx.live.ownerOf(node.uuid) === b.ctx.cluster.replicaId);
    const res = await http(a.url, `/api/admin/client/${node.uuid}/remove`, { method: 'POST', cookie: cookieA });
    assert.equal(res.status, 200, res.text);
    const closed = await agent.closed;
    assert.equal(closed.code, 1000);
    await eventually(async () => (await b.ctx.store.nodes.byToken(node.token)) === undefined);
    await assert.rejects(V2SocketAgent.connect(b, node.token), 'the deleted token is refused on the other replica');
  });

  it('when the leader stops, the other replica takes over', async () => {
    await a.stop();
    assert.equal(await natsClusterOf(b).checkLeadership(), true);
  });
});
