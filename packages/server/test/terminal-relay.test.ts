import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually } from './helpers/agent-common.ts';
import { startWithAdmin, type TestServer } from './helpers/server.ts';
import { agentTerminal, browserTerminal, terminalRequestId, type TerminalPeer } from './helpers/terminal.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { V2SocketAgent } from './helpers/v2-agent.ts';

const waiting = '等待被控端连接 waiting for agent...\n';

describe('web terminal relay', () => {
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };
  let main: V1Agent;

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    node = await addNode(s, cookie, 'terminal-node');
    main = await V1Agent.connect(s, node.token);
    main.report();
    await eventually(() => s.ctx.live.socketOf(node.uuid) !== undefined);
  });
  after(async () => {
    await main.close();
    await s.dispose();
  });

  /** Browser opens, the agent is asked on its main socket and dials in: both ends of a live terminal. */
  async function openPair(): Promise<{ browser: TerminalPeer; agent: TerminalPeer; id: string }> {
    const browser = await browserTerminal(s, cookie, node.uuid);
    const id = await terminalRequestId(main);
    await browser.expectText(waiting);
    const agent = await agentTerminal(s, node.token, id);
    return { browser, agent, id };
  }

  it('asks the agent on its main socket with the v1 terminal frame and a 32-character id', async () => {
    const browser = await browserTerminal(s, cookie, node.uuid);
    const id = await terminalRequestId(main);
    assert.match(id, /^[0-9A-Za-z]{32}$/);
    assert.equal(id, browser.requestId, 'the browser was told the same id first');
    await browser.expectText(waiting);
    browser.closeTerminal();
    await browser.closed;
  });

  it('relays browser keystrokes to the agent as binary, and agent output to the browser as binary', async () => {
    const { browser, agent } = await openPair();
    browser.send(Buffer.from('ls -la\r'), true);
    assert.deepEqual(await agent.next(), { data: Buffer.from('ls -la\r'), binary: true, text: 'ls -la\r' });
    browser.send('whoami\r', false); // a non-JSON text frame goes out binary
    assert.deepEqual(await agent.next(), { data: Buffer.from('whoami\r'), binary: true, text: 'whoami\r' });
    const output = Buffer.from([0x1b, 0x5b, 0x33, 0x31, 0x6d, 0xe4, 0xbd, 0xa0, 0x0d, 0x0a]);
    agent.send(output, true);
    assert.deepEqual(await browser.next(), { data: output, binary: true, text: output.toString('utf8') });
    agent.send('agent error text', false); // whatever the agent sends, the browser gets binary
    assert.equal((await browser.next()).binary, true);
    browser.closeTerminal();
    await agent.closed;
  });

  it('passes resize and heartbeat JSON to the agent as text, unchanged', async () => {
    const { browser, agent } = await openPair();
    const resize = '{"type":"resize","cols":120,"rows":40}';
    browser.send(resize, false);
    assert.deepEqual(await agent.next(), { data: Buffer.from(resize), binary: false, text: resize });
    const heartbeat = '{"type":"heartbeat","timestamp":"2025-06-01T00:00:00.000Z"}';
    browser.send(heartbeat, false);
    assert.deepEqual(await agent.next(), { data: Buffer.from(heartbeat), binary: false, text: heartbeat });
    agent.ws.close();
    await browser.closed;
  });

  it('delivers browser frames sent before the agent attached, in order, once it attaches', async () => {
    const browser = await browserTerminal(s, cookie, node.uuid);
    const id = await terminalRequestId(main);
    await browser.expectText(waiting);
    browser.send('{"type":"resize","cols":80,"rows":24}', false);
    browser.send(Buffer.from('echo early\r'), true);
    await new Promise((r) => setTimeout(r, 100));
    const agent = await agentTerminal(s, node.token, id);
    assert.deepEqual(await agent.next(), { data: Buffer.from('{"type":"resize","cols":80,"rows":24}'), binary: false, text: '{"type":"resize","cols":80,"rows":24}' });
    assert.deepEqual((await agent.next()).text, 'echo early\r');
    browser.closeTerminal();
    await agent.closed;
  });

  it("the browser's close control closes the agent socket after passing it on, and the session is gone", async () => {
    const { browser, agent } = await openPair();
    browser.closeTerminal();
    assert.deepEqual(await agent.next(), { data: Buffer.from('{"type":"close"}'), binary: false, text: '{"type":"close"}' });
    const closed = await agent.closed;
    assert.equal(closed.code, 1000);
    await eventually(() => s.ctx.terminal.size === 0);
  });

  it('closing the agent socket closes the browser', async () => {
    const { browser, agent } = await openPair();
    agent.ws.close();
    assert.equal((await browser.closed).code, 1000);
    await eventually(() => s.ctx.terminal.size === 0);
  });

  it('writes the established and disconnected audit lines with the user, the IP and a Go duration', async () => {
    const { browser, agent, id } = await openPair();
    await new Promise((r) => setTimeout(r, 20));
    browser.closeTerminal();
    await agent.closed;
    const account = await s.ctx.store.accounts.first();
    const lines = async () => (await s.ctx.store.audit.list({ limit: 100, offset: 0, msgType: 'terminal' })).filter((e) => e.message.includes(id));
    await eventually(async () => (await lines()).length === 2);
    const byMessage = (await lines()).sort((a, b) => a.id - b.id);
    assert.equal(byMessage[0]!.message, `established, terminal id:${id}`);
    assert.match(byMessage[1]!.message, new RegExp(`^disconnected, terminal id:${id}, duration:(\\d+(\\.\\d+)?(ms|s)|\\d+m[\\d.]+s)$`));
    for (const e of byMessage) assert.deepEqual({ uuid: e.uuid, ip: e.ip, type: e.msgType }, { uuid: account!.uuid, ip: '127.0.0.1', type: 'terminal' });
  });

  it('asks a v2 socket agent with agent.terminal.request (Komari 1.5), not the v1 frame', async () => {
    const other = await addNode(s, cookie, 'terminal-v2-node');
    const v2 = await V2SocketAgent.connect(s, other.token);
    await eventually(() => s.ctx.live.socketOf(other.uuid) !== undefined);
    const browser = await browserTerminal(s, cookie, other.uuid);
    const id = browser.requestId;
    assert.deepEqual(await v2.next(), { jsonrpc: '2.0', method: 'agent.terminal.request', params: { request_id: id } });
    await browser.expectText(waiting);
    const agent = await agentTerminal(s, other.token, id);
    agent.send(Buffer.from('$ '), true);
    assert.equal((await browser.next()).text, '$ ');
    await v2.close();
    browser.closeTerminal();
    await agent.closed;
  });
});
