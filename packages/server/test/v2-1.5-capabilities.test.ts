import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, sampleReport } from './helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V2SocketAgent, v2Post } from './helpers/v2-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const official = ['exec', 'ping', 'message', 'event', 'terminal', 'file', 'startup_config', 'switch_version'];

describe('agent capabilities: recorded per node, bounded, admins only (komari-1.5.md §1.5)', () => {
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };

  const pull = (token: string, params: unknown) => v2Post(s, token, { jsonrpc: '2.0', method: 'agent.pull', params, id: 'p' });
  const adminList = async (): Promise<any[]> => (await http(s.url, '/api/admin/client/list', { cookie })).json;
  const capsOf = async (uuid: string) => (await adminList()).find((n) => n.uuid === uuid)?.capabilities;

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ limits: { agents: { pullHoldMs: 0 } } }));
    node = await addNode(s, cookie, 'caps-node');
  });
  after(() => s.dispose());

  it('shows null for a node whose agent never sent any, in the list and in admin:getClient', async () => {
    assert.equal(await capsOf(node.uuid), null);
    const one = await http(s.url, `/api/admin/client/${node.uuid}`, { cookie });
    assert.equal(one.json.capabilities, null);
  });

  it('records the list agent.pull sends, unknown names kept', async () => {
    const res = await pull(node.token, { capabilities: [...official, 'teleport'], ack_event_ids: [] });
    assert.equal(res.status, 200);
    assert.deepEqual(await capsOf(node.uuid), [...official, 'teleport']);
    const one = await http(s.url, `/api/admin/client/${node.uuid}`, { cookie });
    assert.deepEqual(one.json.capabilities, [...official, 'teleport']);
  });

  it('keeps the last list when a pull carries none, and takes the list at the top of agent.report params', async () => {
    await pull(node.token, {});
    assert.deepEqual(await capsOf(node.uuid), [...official, 'teleport']);
    const report = { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport(), capabilities: ['exec', 'ping'] }, id: 'r' };
    assert.equal((await v2Post(s, node.token, report)).status, 200);
    assert.deepEqual(await capsOf(node.uuid), ['exec', 'ping']);
    const agent = await V2SocketAgent.connect(s, node.token);
    const answer = await agent.call('agent.pull', { capabilities: [] }, 'ws');
    assert.deepEqual(answer.result, { events: [] });
    assert.deepEqual(await capsOf(node.uuid), [], 'an empty list is a list');
    await agent.close();
  });

  it('cuts a hostile list: at most 32 names, none over 64 bytes, no nulls or repeats; the pull still answers', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `cap-${i}`);
    const list = ['x'.repeat(65), null, 'exec', 'exec', '能'.repeat(22), ...many];
    const res = await pull(node.token, { capabilities: list });
    assert.deepEqual(res.json.result, { events: [] });
    const kept = await capsOf(node.uuid);
    assert.equal(kept.length, 32);
    assert.deepEqual(kept.slice(0, 3), ['exec', 'cap-0', 'cap-1'], 'the 65-byte name and the 66-byte one are dropped, not cut');
    assert.equal(kept.at(-1), 'cap-30');
    const exactly64 = 'y'.repeat(64);
    await pull(node.token, { capabilities: [exactly64] });
    assert.deepEqual(await capsOf(node.uuid), [exactly64]);
  });

  it('refuses a list of the wrong type with -32602 and leaves the recorded one', async () => {
    for (const bad of ['exec', [1, 2], [{}], { exec: true }]) {
      const p = await pull(node.token, { capabilities: bad });
      assert.deepEqual(p.json.error, { code: -32602, message: 'invalid pull params', data: 'capabilities must be an array of strings' });
      const r = await v2Post(s, node.token, { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport(), capabilities: bad }, id: 'r' });
      assert.deepEqual(r.json.error, { code: -32602, message: 'invalid report params', data: 'capabilities must be an array of strings' });
    }
    assert.deepEqual(await capsOf(node.uuid), ['y'.repeat(64)]);
  });

  it('never shows them to guests: /api/nodes and common:getNodes carry no capabilities', async () => {
    await pull(node.token, { capabilities: official });
    const rest = await http(s.url, '/api/nodes');
    assert.equal(rest.status, 200);
    assert.equal(rest.text.includes('capabilities'), false);
    const rpc = await http(s.url, '/api/rpc2', { method: 'POST', body: { jsonrpc: '2.0', method: 'common:getNodes', id: 1 } });
    assert.equal(rpc.json.error, undefined);
    assert.equal(rpc.text.includes('capabilities'), false);
  });

  it('forgets them when the node is deleted', async () => {
    const doomed = await addNode(s, cookie, 'doomed');
    await pull(doomed.token, { capabilities: ['exec'] });
    assert.deepEqual(await capsOf(doomed.uuid), ['exec']);
    const del = await http(s.url, `/api/admin/client/${doomed.uuid}/remove`, { method: 'POST', cookie });
    assert.equal(del.status, 200, del.text);
    assert.equal(s.ctx.agentCapabilities.of(doomed.uuid), null);
  });
});
