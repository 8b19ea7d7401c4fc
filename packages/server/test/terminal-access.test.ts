import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually } from './helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { agentTerminal, browserTerminal, refusedUpgrade, terminalRequestId, type TerminalPeer } from './helpers/terminal.ts';
import { V1Agent } from './helpers/v1-agent.ts';

const waiting = '等待被控端连接 waiting for agent...\n';

describe('web terminal access and lifetime', () => {
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };
  let other: { uuid: string; token: string };
  let main: V1Agent;
  const ws = () => s.url.replace(/^http/, 'ws');

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    node = await addNode(s, cookie, 'terminal-node');
    other = await addNode(s, cookie, 'other-node');
    main = await V1Agent.connect(s, node.token);
    main.report();
    await eventually(() => s.ctx.live.socketOf(node.uuid) !== undefined);
  });
  after(async () => {
    await main.close();
    await s.dispose();
  });

  async function waitingBrowser(): Promise<{ browser: TerminalPeer; id: string }> {
    const browser = await browserTerminal(s, cookie, node.uuid);
    const id = await terminalRequestId(main);
    await browser.expectText(waiting);
    return { browser, id };
  }

  it('refuses a caller who is not admin with 401 before the upgrade', async () => {
    const res = await refusedUpgrade(`${ws()}/api/admin/client/${node.uuid}/terminal`, { Origin: s.url });
    assert.deepEqual(res, { status: 401, json: { status: 'error', message: 'Unauthorized.' } });
  });

  it('answers an unknown client with 400 Client not found, and a plain GET with 400 Require WebSocket upgrade', async () => {
    const headers = { Origin: s.url, cookie: `session_token=${cookie}` };
    const res = await refusedUpgrade(`${ws()}/api/admin/client/no-such-client/terminal`, headers);
    assert.deepEqual(res, { status: 400, json: { status: 'error', message: 'Client not found' } });
    const plain = await http(s.url, `/api/admin/client/${node.uuid}/terminal`, { cookie });
    assert.deepEqual([plain.status, plain.json], [400, { status: 'error', message: 'Require WebSocket upgrade' }]);
  });

  it('tells the browser an offline client is offline and closes', async () => {
    const browser = await browserTerminal(s, cookie, other.uuid);
    await browser.expectText('Client offline!\n被控端离线!\n');
    await browser.closed;
    assert.equal(s.ctx.terminal.size, 0);
  });

  it('answers an unknown session id with 404 before the upgrade, and a token of no client with 401', async () => {
    const unknown = await refusedUpgrade(`${ws()}/api/clients/terminal?token=${node.token}&id=nosuchsession`);
    assert.deepEqual(unknown, { status: 404, json: { status: 'error', error: 'Session not found' } });
    const { browser, id } = await waitingBrowser();
    const bad = await refusedUpgrade(`${ws()}/api/clients/terminal?token=not-a-token&id=${id}`);
    assert.equal(bad.status, 401);
    browser.ws.close();
    await browser.closed;
  });

  it('refuses another client token with 403 and leaves the session for the right client (decision 4)', async () => {
    const { browser, id } = await waitingBrowser();
    const wrong = await refusedUpgrade(`${ws()}/api/clients/terminal?token=${other.token}&id=${id}`);
    assert.deepEqual(wrong, { status: 403, json: { status: 'error', error: 'This terminal session was requested for another client' } });
    assert.equal(browser.open, true);
    const agent = await agentTerminal(s, node.token, id);
    agent.send(Buffer.from('ok'), true);
    assert.equal((await browser.next()).text, 'ok');
    const again = await refusedUpgrade(`${ws()}/api/clients/terminal?token=${node.token}&id=${id}`);
    assert.equal(again.status, 409);
    browser.closeTerminal();
    await agent.closed;
  });

  it('negotiates no compression on the agent terminal socket, though the agent offers it', async () => {
    const { browser, id } = await waitingBrowser();
    const agent = await agentTerminal(s, node.token, id);
    assert.equal(agent.ws.extensions, '');
    agent.ws.close();
    await browser.closed;
  });

  it('closes the browser with the timeout text when the agent does not dial in within the join timeout', async () => {
    s.ctx.terminal.limits.joinTimeoutMs = 200;
    try {
      const { browser, id } = await waitingBrowser();
      await browser.expectText('被控端连接超时 timeout\n', 3000);
      await browser.closed;
      const late = await refusedUpgrade(`${ws()}/api/clients/terminal?token=${node.token}&id=${id}`);
      assert.equal(late.status, 404);
    } finally {
      s.ctx.terminal.limits.joinTimeoutMs = 30_000;
    }
  });

  it('ends a waiting session whose held browser input passes the bound, with a clear text', async () => {
    s.ctx.terminal.limits.pendingFrames = 2;
    try {
      const { browser, id } = await waitingBrowser();
      for (const k of ['a', 'b', 'c']) browser.send(Buffer.from(k), true);
      await browser.expectText('输入过多 too much input before the agent connected\n');
      await browser.closed;
      assert.equal((await refusedUpgrade(`${ws()}/api/clients/terminal?token=${node.token}&id=${id}`)).status, 404);
    } finally {
      s.ctx.terminal.limits.pendingFrames = 1024;
    }
  });

  it('closes both sides after the idle timeout when no frame passes either way', async () => {
    s.ctx.terminal.limits.idleTimeoutMs = 300;
    try {
      const { browser, id } = await waitingBrowser();
      const agent = await agentTerminal(s, node.token, id);
      const opened = Date.now();
      // Traffic keeps the session open past one idle period.
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 100));
        browser.send(Buffer.from('x'), true);
        await agent.next();
      }
      assert.equal(browser.open, true);
      await browser.expectText('终端空闲超时 idle timeout\n', 3000);
      await Promise.all([browser.closed, agent.closed]);
      assert.ok(Date.now() - opened >= 600, 'closed only after a quiet idle period');
    } finally {
      s.ctx.terminal.limits.idleTimeoutMs = 30 * 60_000;
    }
  });
});
