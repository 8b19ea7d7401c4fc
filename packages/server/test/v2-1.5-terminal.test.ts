import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, sampleReport } from './helpers/agent-common.ts';
import { startWithAdmin, type TestServer } from './helpers/server.ts';
import { agentTerminal, browserTerminal } from './helpers/terminal.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { V2SocketAgent, v2Post } from './helpers/v2-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const waiting = '等待被控端连接 waiting for agent...\n';

describe('terminal requests to 1.5 agents (komari-1.5.md §1.3)', () => {
  let s: TestServer;
  let cookie: string;
  const nodes: Record<'v1' | 'v2' | 'post', { uuid: string; token: string }> = {} as any;
  let v1: V1Agent;
  let v2: V2SocketAgent;
  const v1Raw: string[] = [];

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ limits: { agents: { readDeadlineMs: 10 * 60_000 } } }));
    nodes.v1 = await addNode(s, cookie, 'v1-socket');
    nodes.v2 = await addNode(s, cookie, 'v2-socket');
    nodes.post = await addNode(s, cookie, 'v2-post-only');
    v1 = await V1Agent.connect(s, nodes.v1.token);
    v1.ws.on('message', (d) => v1Raw.push(d.toString()));
    v1.report();
    v2 = await V2SocketAgent.connect(s, nodes.v2.token);
    await eventually(() => !!s.ctx.live.socketOf(nodes.v1.uuid) && !!s.ctx.live.socketOf(nodes.v2.uuid));
  });
  after(async () => {
    await v1.close();
    await v2.close();
    await s.dispose();
  });

  it('sends agent.terminal.request on a v2 socket and the v1 frame with its newline on a v1 socket', async () => {
    const b2 = await browserTerminal(s, cookie, nodes.v2.uuid);
    assert.deepEqual(await v2.next(), { jsonrpc: '2.0', method: 'agent.terminal.request', params: { request_id: b2.requestId } });
    await b2.expectText(waiting);

    const b1 = await browserTerminal(s, cookie, nodes.v1.uuid);
    assert.deepEqual(await v1.next(), { message: 'terminal', request_id: b1.requestId });
    assert.equal(v1Raw.at(-1), `{"message":"terminal","request_id":"${b1.requestId}"}\n`);
    await b1.expectText(waiting);
    b1.closeTerminal();
    b2.closeTerminal();
    await eventually(() => s.ctx.terminal.size === 0);
  });

  it('reaches a POST-only v2 agent through agent.pull, which then attaches on the terminal route', async () => {
    const report = { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() }, id: 'r' };
    assert.equal((await v2Post(s, nodes.post.token, report, { gzip: true })).status, 200);
    assert.equal(s.ctx.live.socketOf(nodes.post.uuid), undefined, 'no socket: only the queue reaches it');

    const browser = await browserTerminal(s, cookie, nodes.post.uuid);
    await browser.expectText(waiting);
    const pull = { jsonrpc: '2.0', method: 'agent.pull', params: { capabilities: ['terminal'] }, id: 'p' };
    const events = (await v2Post(s, nodes.post.token, pull, { gzip: true })).json.result.events as any[];
    assert.equal(events.length, 1);
    assert.equal(events[0].method, 'agent.terminal.request');
    assert.deepEqual(events[0].params, { request_id: browser.requestId });

    const agent = await agentTerminal(s, nodes.post.token, events[0].params.request_id);
    agent.send(Buffer.from('post-only $ '), true);
    assert.equal((await browser.next()).text, 'post-only $ ');
    browser.send(Buffer.from('id\r'), true);
    assert.equal((await agent.next()).text, 'id\r');
    browser.closeTerminal();
    await agent.closed;
  });

  it('still tells the browser a client that is neither connected nor polling is offline', async () => {
    const gone = await addNode(s, cookie, 'never-seen');
    const browser = await browserTerminal(s, cookie, gone.uuid);
    await browser.expectText('Client offline!\n被控端离线!\n');
    await browser.closed;
    assert.equal(s.ctx.terminal.size, 0);
  });
});
