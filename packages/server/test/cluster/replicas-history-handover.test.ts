import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, sampleReport } from '../helpers/agent-common.ts';
import { ManualClock } from '../helpers/clock.ts';
import { clusterSkipReason, startReplicas, untilTokenKnown } from '../helpers/cluster.ts';
import type { TestServer } from '../helpers/server.ts';
import { V2SocketAgent } from '../helpers/v2-agent.ts';

const report = () => ({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() } });

describe('a node whose agent moves to another replica keeps one history (issue 16 §2)', { skip: clusterSkipReason }, () => {
  // one shared clock standing still: every sample falls in the same one-minute bucket
  const clock = new ManualClock('2026-12-07T10:00:10Z');
  const minute = Date.parse('2026-12-07T10:00:00Z');
  let cluster: Awaited<ReturnType<typeof startReplicas>>;
  let a: TestServer;
  let b: TestServer;

  before(async () => {
    cluster = await startReplicas(2, { clock });
    [a, b] = cluster.replicas as [TestServer, TestServer];
  });
  after(() => cluster?.dispose());

  const countIn = async (s: TestServer, uuid: string) => (await s.ctx.history.buckets(uuid, 60, minute, minute))[0]?.count ?? 0;

  it('the second replica reads the first one\'s open bucket back before adding to it', async () => {
    const node = await addNode(a, await a.login(), 'mover');
    const first = await V2SocketAgent.connect(a, node.token);
    for (let i = 0; i < 3; i++) first.send(report());
    await eventually(async () => (await countIn(a, node.uuid)) === 3);
    await a.ctx.history.flush();
    // b hears that a holds the node, and lets go of whatever it had of it
    await eventually(() => b.ctx.live.ownerOf(node.uuid) === a.ctx.cluster.replicaId);
    first.ws.terminate();
    await eventually(() => a.ctx.live.ownerOf(node.uuid) === undefined);

    await untilTokenKnown(b, node.token);
    const second = await V2SocketAgent.connect(b, node.token);
    for (let i = 0; i < 2; i++) second.send(report());
    await eventually(async () => (await countIn(b, node.uuid)) === 5, 3000);
    await b.ctx.history.flush();
    const { rows } = await b.ctx.store.history.range(node.uuid, 60, minute, minute).then((r) => ({ rows: r }));
    assert.equal(rows[0]?.count, 5, 'the stored bucket holds both replicas\' samples, not only the second one\'s');
    second.ws.terminate();
  });
});
