import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { addNode, eventually, feedOf } from './helpers/agent-common.ts';
import { V1Agent } from './helpers/v1-agent.ts';

/** Komari's 11 s, shortened: the rule is the same at any length (limits.agents). */
const readDeadlineMs = 1200;

describe('v1 socket read deadline (agent-protocol.md §6.1, §11.3)', () => {
  let s: TestServer;

  before(async () => {
    s = await startTestServer({ limits: { agents: { readDeadlineMs } } });
  });
  after(() => s.dispose());

  it('a registered socket silent for the read deadline (Komari: 11 s) is closed and goes offline; pings do not re-arm it; before its first frame there is no deadline', async () => {
    const cookie = await s.login();
    const silent = await addNode(s, cookie, 'silent');
    const waiting = await addNode(s, cookie, 'waiting');
    const agent = await V1Agent.connect(s, silent.token);
    const idle = await V1Agent.connect(s, waiting.token);
    agent.report();
    const sent = Date.now();
    await eventually(async () => (await feedOf(s.url)).online.includes(silent.uuid));
    // The official agent pings every 30 s; even pings several times a deadline do not re-arm it.
    let pongs = 0;
    agent.ws.on('pong', () => pongs++);
    const pinger = setInterval(() => agent.open && agent.ws.ping(), readDeadlineMs / 6);
    const closed = await agent.closed;
    clearInterval(pinger);
    const elapsed = closed.at - sent;
    assert.ok(pongs >= 3, `the server answered pings (${pongs})`);
    assert.ok(elapsed >= readDeadlineMs - 100 && elapsed < readDeadlineMs + 5000, `closed after ${elapsed} ms`);
    await eventually(async () => !(await feedOf(s.url)).online.includes(silent.uuid), 500);
    // The socket that never sent a frame has been open longer than the deadline by now: still open,
    // and not online, until it does.
    assert.ok(idle.open, 'no deadline before the first frame');
    assert.equal((await feedOf(s.url)).online.includes(waiting.uuid), false);
    idle.report();
    await eventually(async () => (await feedOf(s.url)).online.includes(waiting.uuid));
    await idle.close();
  });
});

describe('v1 sockets waiting for their first frame (issue 12: what one agent token can hold)', () => {
  let s: TestServer;

  before(async () => {
    s = await startTestServer();
  });
  after(() => s.dispose());

  it('a node holds one such socket: a newer one closes the one before (1000), so a token cannot pile up idle sockets; the newest registers', async () => {
    const cookie = await s.login();
    const node = await addNode(s, cookie, 'piling');
    const other = await addNode(s, cookie, 'other');
    const bystander = await V1Agent.connect(s, other.token);
    const first = await V1Agent.connect(s, node.token);
    const second = await V1Agent.connect(s, node.token);
    const third = await V1Agent.connect(s, node.token);
    const within = <T>(p: Promise<T>, what: string) =>
      Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} still open`)), 3000))]);
    for (const [agent, what] of [[first, 'the first'], [second, 'the second']] as const) {
      const closed = await within(agent.closed, what);
      assert.equal(closed.code, 1000);
    }
    third.report();
    bystander.report();
    await eventually(async () => {
      const online = (await feedOf(s.url)).online;
      return online.includes(node.uuid) && online.includes(other.uuid);
    });
    assert.ok(third.open && bystander.open);
    await third.close();
    await bystander.close();
  });
});
