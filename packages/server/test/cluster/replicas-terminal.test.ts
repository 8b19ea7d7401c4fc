import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually } from '../helpers/agent-common.ts';
import { clusterSkipReason, startReplicas } from '../helpers/cluster.ts';
import type { TestServer } from '../helpers/server.ts';
import { agentTerminal, browserTerminal, refusedUpgrade, terminalRequestId, type TerminalPeer } from '../helpers/terminal.ts';
import { V2SocketAgent } from '../helpers/v2-agent.ts';

const waiting = '等待被控端连接 waiting for agent...\n';
/** short beats and timeouts, so a stopped replica is noticed in a fraction of a second */
const limits = {
  cluster: { heartbeatEveryMs: 100, replicaTimeoutMs: 800, terminalFindTimeoutMs: 500 },
  agents: { readDeadlineMs: 10 * 60_000 },
};

describe('web terminal across replicas: the browser on one, the agent on another (issue 16 §2)', { skip: clusterSkipReason }, () => {
  let cluster: Awaited<ReturnType<typeof startReplicas>>;
  let a: TestServer;
  let b: TestServer;
  let cookieA = '';
  let node = { uuid: '', token: '' };
  let other = { uuid: '', token: '' };
  let main: V2SocketAgent;

  before(async () => {
    cluster = await startReplicas(2, { limits });
    [a, b] = cluster.replicas as [TestServer, TestServer];
    cookieA = await a.login();
    node = await addNode(a, cookieA, 'terminal-on-b');
    other = await addNode(a, cookieA, 'another-node');
    await eventually(async () => (await b.ctx.store.nodes.byToken(node.token)) !== undefined);
    main = await V2SocketAgent.connect(b, node.token);
    await eventually(() => a.ctx.live.ownerOf(node.uuid) === b.ctx.cluster.replicaId);
  });
  after(async () => {
    main?.ws.terminate();
    await cluster?.dispose();
  });

  const terminalUrl = (s: TestServer, token: string, id: string) => `${s.url.replace(/^http/, 'ws')}/api/clients/terminal?token=${token}&id=${id}`;

  /** The browser opens on `browserOn`; the agent is asked on its socket on B and dials `agentOn`. */
  async function openPair(browserOn: TestServer, cookie: string, agentOn: TestServer): Promise<{ browser: TerminalPeer; agent: TerminalPeer; id: string }> {
    const browser = await browserTerminal(browserOn, cookie, node.uuid);
    const id = await terminalRequestId(main);
    assert.equal(id, browser.requestId, 'the request reached the agent on the replica holding its socket');
    await browser.expectText(waiting);
    const agent = await agentTerminal(agentOn, node.token, id);
    return { browser, agent, id };
  }

  async function relayedCount(holder: TestServer, agentSide: TestServer, n: number): Promise<void> {
    await eventually(() => holder.ctx.terminalRelay.agentsElsewhere === n && agentSide.ctx.terminalRelay.agentsHere === n);
  }

  it('relays bytes typed on A to the agent that dialled B and its output back, binary-safe both ways, keeping frame types', async () => {
    const browser = await browserTerminal(a, cookieA, node.uuid);
    const id = await terminalRequestId(main);
    await browser.expectText(waiting);
    // input before the agent dialled in waits on A and goes first
    browser.send(Buffer.from('early\r'), true);
    const agent = await agentTerminal(b, node.token, id);
    // output at once (a shell prompt), perhaps before A confirmed the join
    agent.send(Buffer.from('$ '), true);
    assert.deepEqual(await agent.next(), { data: Buffer.from('early\r'), binary: true, text: 'early\r' });
    assert.deepEqual((await browser.next()).data, Buffer.from('$ '));
    await relayedCount(a, b, 1);

    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    browser.send(every, true);
    const got = await agent.next();
    assert.equal(got.binary, true);
    assert.deepEqual(got.data, every, 'all 256 byte values, browser to agent');
    agent.send(every, true);
    const back = await browser.next();
    assert.equal(back.binary, true);
    assert.deepEqual(back.data, every, 'all 256 byte values, agent to browser');

    const resize = '{"type":"resize","cols":120,"rows":40}';
    browser.send(resize, false);
    assert.deepEqual(await agent.next(), { data: Buffer.from(resize), binary: false, text: resize }, 'control JSON stays a text frame');
    browser.send('whoami\r', false);
    assert.deepEqual(await agent.next(), { data: Buffer.from('whoami\r'), binary: true, text: 'whoami\r' }, 'other text goes binary, as locally');
    agent.send('agent error text', false);
    assert.equal((await browser.next()).binary, true, 'whatever the agent sends, the browser gets binary');

    // larger than a piece on the bus (128 KiB): one frame each way all the same
    const big = randomBytes(300 * 1024);
    agent.send(big, true);
    assert.deepEqual((await browser.next()).data, big);
    browser.send(big, true);
    assert.deepEqual((await agent.next()).data, big);

    browser.closeTerminal();
    assert.deepEqual(await agent.next(), { data: Buffer.from('{"type":"close"}'), binary: false, text: '{"type":"close"}' });
    assert.equal((await agent.closed).code, 1000, 'closing the browser closes the agent side on B');
    await relayedCount(a, b, 0);
    assert.equal(a.ctx.terminal.size, 0);
  });

  it('the agent closing on B closes the browser on A', async () => {
    const { browser, agent } = await openPair(a, cookieA, b);
    await relayedCount(a, b, 1);
    agent.ws.close();
    assert.equal((await browser.closed).code, 1000);
    await relayedCount(a, b, 0);
  });

  it('a browser that drops is suspended on A, and its re-attach there gets the output the agent on B wrote meanwhile', async () => {
    const { browser, agent, id } = await openPair(a, cookieA, b);
    await relayedCount(a, b, 1);
    browser.ws.close();
    await eventually(() => a.ctx.terminal.suspendedCount === 1);
    agent.send(Buffer.from('while away\r\n'), true);
    await eventually(() => (a.ctx.terminal.get(id)?.keptOutputBytes ?? 0) === 12);
    const again = await browserTerminal(a, cookieA, node.uuid, `?request_id=${id}`);
    assert.equal(again.requestId, id);
    assert.deepEqual((await again.next()).data, Buffer.from('while away\r\n'));
    again.send(Buffer.from('back\r'), true);
    assert.deepEqual((await agent.next()).data, Buffer.from('back\r'));
    again.closeTerminal();
    await agent.closed;
  });

  it("refuses on B an id no replica holds (404), another node's token (403) and a second agent (409), leaving the session as it was", async () => {
    assert.equal((await refusedUpgrade(terminalUrl(b, node.token, 'A'.repeat(32)))).status, 404);
    assert.equal((await refusedUpgrade(terminalUrl(b, node.token, 'not-an-id'))).status, 404);
    const browser = await browserTerminal(a, cookieA, node.uuid);
    const id = await terminalRequestId(main);
    await browser.expectText(waiting);
    const refused = await refusedUpgrade(terminalUrl(b, other.token, id));
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error, 'This terminal session was requested for another client');
    assert.equal(a.ctx.terminal.get(id)?.waiting, true, 'the session still waits for its own agent');
    assert.equal((await refusedUpgrade(terminalUrl(b, 'no-such-token', id))).status, 401);
    const agent = await agentTerminal(b, node.token, id);
    await relayedCount(a, b, 1);
    assert.equal((await refusedUpgrade(terminalUrl(b, node.token, id))).status, 409);
    assert.equal((await refusedUpgrade(terminalUrl(a, node.token, id))).status, 409, 'on the holder too');
    browser.send(Buffer.from('still here'), true);
    assert.deepEqual((await agent.next()).data, Buffer.from('still here'));
    browser.closeTerminal();
    await agent.closed;
  });

  it('ignores and counts malformed relay messages, and frames claiming to come from another replica', async () => {
    const { browser, agent, id } = await openPair(a, cookieA, b);
    await relayedCount(a, b, 1);
    const badBefore = b.ctx.terminalRelay.badMessages;
    const to = `term.data.${b.ctx.cluster.replicaId}`;
    const from = a.ctx.cluster.replicaId;
    a.ctx.cluster.publish(to, 'junk');
    a.ctx.cluster.publish(to, { id: 'short', from, d: 'AAAA' });
    a.ctx.cluster.publish(to, { id, from, d: '!!!!' });
    a.ctx.cluster.publish(to, { id, from, end: 'x'.repeat(500) });
    a.ctx.cluster.publish(to, { id, from, d: 'AAAA', more: true });
    assert.equal(await a.ctx.cluster.request('term.find', { id: '../../x' }, 300), undefined);
    assert.equal(await a.ctx.cluster.request(`term.claim.${b.ctx.cluster.replicaId}`, { id }, 300), undefined);
    await eventually(() => b.ctx.terminalRelay.badMessages === badBefore + 7);
    // a frame for the live session, but not from the replica holding it
    a.ctx.cluster.publish(to, { id, from: 'someone-else', d: Buffer.from('spoofed').toString('base64') });
    b.ctx.cluster.publish(`term.data.${from}`, { id, from: 'someone-else', d: Buffer.from('spoofed').toString('base64') });
    browser.send(Buffer.from('real input'), true);
    assert.deepEqual((await agent.next()).data, Buffer.from('real input'), 'the session goes on; the spoofed frame never arrived');
    agent.send(Buffer.from('real output'), true);
    assert.deepEqual((await browser.next()).data, Buffer.from('real output'));
    browser.closeTerminal();
    await agent.closed;
  });

  it("a replica holding the agent side that stops ends the session on the browser's replica", async () => {
    const c = await cluster.start();
    await eventually(async () => (await c.ctx.store.nodes.byToken(node.token)) !== undefined);
    const { browser } = await openPair(a, cookieA, c);
    await relayedCount(a, c, 1);
    await c.stop();
    assert.equal((await browser.closed).code, 1000);
    assert.equal(a.ctx.terminalRelay.agentsElsewhere, 0);
    assert.equal(a.ctx.terminal.size, 0);
  });

  it("a replica holding the browser side that stops closes the agent's socket on the other", async () => {
    const d = await cluster.start();
    const cookieD = await d.login();
    await eventually(() => d.ctx.live.ownerOf(node.uuid) === b.ctx.cluster.replicaId);
    const { agent } = await openPair(d, cookieD, b);
    await relayedCount(d, b, 1);
    await d.stop();
    assert.equal((await agent.closed).code, 1000);
    await eventually(() => b.ctx.terminalRelay.agentsHere === 0);
  });
});
