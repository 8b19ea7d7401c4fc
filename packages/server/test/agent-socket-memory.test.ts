import assert from 'node:assert/strict';
import { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, feedOf } from './helpers/agent-common.ts';
import { startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { V2SocketAgent } from './helpers/v2-agent.ts';

/**
 * An upgraded agent socket must not keep the HTTP response @fastify/websocket routed its upgrade
 * through: that response holds the fastify request, reply and headers for as long as the agent
 * stays connected (issue 16 §3, BENCHMARKS.md "Memory per agent").
 */
describe('agent sockets let go of their upgrade request', () => {
  let s: TestServer;
  let cookie: string;
  const sockets: Socket[] = [];

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    s.fastify.server.on('connection', (socket: Socket) => sockets.push(socket));
  });
  after(() => s.dispose());

  /** server-side sockets still holding an HTTP response, among those still open */
  const holding = () => sockets.filter((x) => !x.destroyed && (x as Socket & { _httpMessage?: unknown })._httpMessage instanceof ServerResponse);

  it('v1 and v2 (compressed and plain) sockets hold no response once open, and still work', async () => {
    const v1 = await addNode(s, cookie, 'v1');
    const v2 = await addNode(s, cookie, 'v2');
    const v2plain = await addNode(s, cookie, 'v2-plain');
    const agents = [await V1Agent.connect(s, v1.token), await V2SocketAgent.connect(s, v2.token), await V2SocketAgent.connect(s, v2plain.token, { compress: false })];
    (agents[0] as V1Agent).report();
    await eventually(async () => [v1.uuid, v2.uuid, v2plain.uuid].every((u) => s.ctx.live.isOnline(u)));
    assert.deepEqual(holding(), []);
    assert.equal((await feedOf(s.url)).online.includes(v1.uuid), true);
    for (const a of agents) await a.close();
    await eventually(async () => ![v1.uuid, v2.uuid, v2plain.uuid].some((u) => s.ctx.live.isOnline(u)), 500);
  });
});
