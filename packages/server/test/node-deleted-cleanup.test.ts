import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually } from './helpers/agent-common.ts';
import { rpc, startWithAdmin, type TestServer } from './helpers/server.ts';
import { agentTerminal, browserTerminal, terminalRequestId, type TerminalPeer } from './helpers/terminal.ts';
import { V2SocketAgent } from './helpers/v2-agent.ts';

const waiting = '等待被控端连接 waiting for agent...\n';
const nodeDeleted = '节点已删除 node deleted\n';

/**
 * Deleting a node ends what the server holds for it at once, not at its timeouts: its terminals
 * (live, suspended, waiting), its pending file and startup-config calls, its files 2FA grants.
 * The timeouts are a minute, so an answer within the test is the deletion's doing.
 */
describe('a deleted node: its terminals, pending agent calls and file grants end (issue 18)', () => {
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };
  let kept: { uuid: string; token: string };
  let agent: V2SocketAgent;
  let keptAgent: V2SocketAgent;
  const call = (method: string, params: unknown) => rpc(s.url, method, params, { cookie });

  before(async () => {
    ({ s, cookie } = await startWithAdmin({
      limits: { agents: { readDeadlineMs: 10 * 60_000, startupConfigTimeoutMs: 60_000 }, files: { callTimeoutMs: 60_000 } },
    }));
    node = await addNode(s, cookie, 'doomed');
    kept = await addNode(s, cookie, 'kept');
    agent = await V2SocketAgent.connect(s, node.token);
    keptAgent = await V2SocketAgent.connect(s, kept.token);
    await eventually(() => s.ctx.live.socketOf(node.uuid) !== undefined && s.ctx.live.socketOf(kept.uuid) !== undefined);
  });
  after(async () => {
    await Promise.all([agent.close(), keptAgent.close()]);
    await s.dispose();
  });

  /** A browser and its agent side, relaying. */
  async function livePair(a: V2SocketAgent, uuid: string, token: string): Promise<{ browser: TerminalPeer; agentSide: TerminalPeer }> {
    const browser = await browserTerminal(s, cookie, uuid);
    assert.equal(await terminalRequestId(a), browser.requestId);
    await browser.expectText(waiting);
    const agentSide = await agentTerminal(s, token, browser.requestId);
    agentSide.send(Buffer.from('hi'), true);
    assert.equal((await browser.next()).text, 'hi');
    return { browser, agentSide };
  }

  it('ends live, suspended and waiting terminals, fails pending calls and drops grants; other nodes keep theirs', async () => {
    const live = await livePair(agent, node.uuid, node.token);
    const suspended = await livePair(agent, node.uuid, node.token);
    suspended.browser.ws.close();
    await suspended.browser.closed;
    await eventually(() => s.ctx.terminal.suspendedCount === 1);
    const waitingBrowser = await browserTerminal(s, cookie, node.uuid);
    assert.equal(await terminalRequestId(agent), waitingBrowser.requestId);
    await waitingBrowser.expectText(waiting);
    const other = await livePair(keptAgent, kept.uuid, kept.token);
    assert.equal(s.ctx.terminal.size, 4);

    const fileAnswer = call('admin:fileList', { uuid: node.uuid, path: '/' });
    assert.equal((await agent.next()).method, 'agent.file');
    const configAnswer = call('admin:getAgentStartupConfig', { uuid: node.uuid });
    assert.equal((await agent.next()).method, 'agent.startupConfig');

    const admin = (await s.ctx.store.accounts.first())!.uuid;
    s.ctx.fileGrants.grant(admin, node.uuid);
    s.ctx.fileGrants.grant(admin, kept.uuid);

    const removed = await call('admin:removeClient', { uuid: node.uuid });
    assert.equal(removed.error, undefined, JSON.stringify(removed));

    // the browser is told, then both sockets close
    await live.browser.expectText(nodeDeleted);
    assert.deepEqual(await live.browser.closed, { code: 1000, reason: 'node deleted' });
    assert.deepEqual(await live.agentSide.closed, { code: 1000, reason: 'node deleted' });
    assert.deepEqual(await suspended.agentSide.closed, { code: 1000, reason: 'node deleted' });
    await waitingBrowser.expectText(nodeDeleted);
    assert.equal((await waitingBrowser.closed).reason, 'node deleted');
    assert.equal(s.ctx.terminal.suspendedCount, 0);
    assert.equal(s.ctx.terminal.size, 1, "the other node's terminal stays");
    assert.ok(other.browser.open && other.agentSide.open);

    const file = await fileAnswer;
    assert.equal(file.result, undefined);
    assert.equal(file.error?.message, 'agent is not connected');
    const config = await configAnswer;
    assert.equal(config.result, undefined);
    assert.equal(config.error?.message, 'agent is not connected');
    assert.equal(s.ctx.startupConfigCalls.size, 0);

    assert.equal(s.ctx.fileGrants.use(admin, node.uuid), false, "the deleted node's grant is gone");
    assert.equal(s.ctx.fileGrants.use(admin, kept.uuid), true, "another node's grant stays");

    other.browser.closeTerminal();
    await other.agentSide.closed;
  });
});
