import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { agentInfo, V2SocketAgent, v2Post } from './helpers/v2-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('agent.taskResult keeps the agent finish time (komari-1.5.md §1.2); basic info takes agent_report_interval (§1.6)', () => {
  const clock = new ManualClock('2026-11-26T08:00:00Z');
  let s: TestServer;
  let cookie: string;
  let v1: V1Agent;
  let v2: V2SocketAgent;
  const nodes: Record<'v1' | 'v2', { uuid: string; token: string }> = {} as any;

  const exec = async (clients: string[]): Promise<string> => {
    const res = await http(s.url, '/api/admin/task/exec', { method: 'POST', cookie, body: { command: 'uptime', clients } });
    assert.equal(res.status, 200, res.text);
    return res.json.data.task_id;
  };
  const finishedAt = async (taskId: string, uuid: string) => (await http(s.url, `/api/admin/task/${taskId}/result/${uuid}`, { cookie })).json.data;

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ clock, limits: { agents: { readDeadlineMs: 10 * 60_000 } } }));
    nodes.v1 = await addNode(s, cookie, 'v1');
    nodes.v2 = await addNode(s, cookie, 'v2');
    v1 = await V1Agent.connect(s, nodes.v1.token);
    v1.report();
    v2 = await V2SocketAgent.connect(s, nodes.v2.token);
    await eventually(() => !!s.ctx.live.socketOf(nodes.v1.uuid) && !!s.ctx.live.socketOf(nodes.v2.uuid));
  });
  after(async () => {
    await v1.close();
    await v2.close();
    await s.dispose();
  });

  it("stores the agent's finished_at (nanoseconds and offset accepted), not the server's time", async () => {
    const taskId = await exec([nodes.v2.uuid]);
    await v2.next();
    clock.advance(60_000);
    const params = { task_id: taskId, result: 'up 3 days\n', exit_code: 0, finished_at: '2026-11-26T16:00:30.123456789+08:00' };
    assert.deepEqual(await v2.call('agent.taskResult', params, 't1'), { jsonrpc: '2.0', id: 't1', result: { status: 'success' } });
    const row = await finishedAt(taskId, nodes.v2.uuid);
    assert.deepEqual([row.result, row.exit_code, row.finished_at], ['up 3 days\n', 0, '2026-11-26T08:00:30.123Z']);
  });

  it("stores the server's time when finished_at is absent or Go's zero time", async () => {
    for (const finished of [undefined, '0001-01-01T00:00:00Z']) {
      const taskId = await exec([nodes.v2.uuid]);
      await v2.next();
      clock.advance(1_000);
      const answer = await v2.call('agent.taskResult', { task_id: taskId, result: '', exit_code: 1, finished_at: finished }, 't2');
      assert.equal(answer.error, undefined);
      assert.equal((await finishedAt(taskId, nodes.v2.uuid)).finished_at, new Date(clock.now()).toISOString().replace('.000', ''));
    }
  });

  it('refuses a finished_at that is not an RFC 3339 string with -32602 and the error as data, storing nothing', async () => {
    const taskId = await exec([nodes.v2.uuid]);
    await v2.next();
    for (const bad of [1764144000, true, {}, 'yesterday', '2026-02-30T00:00:00Z', '2026-11-26 08:00:00Z', '2026-11-26T25:00:00Z']) {
      const answer = await v2.call('agent.taskResult', { task_id: taskId, result: 'x', exit_code: 0, finished_at: bad }, 'bad');
      assert.deepEqual(answer.error, { code: -32602, message: 'invalid task result params', data: 'finished_at must be an RFC 3339 time string' }, JSON.stringify(bad));
    }
    const row = await finishedAt(taskId, nodes.v2.uuid);
    assert.deepEqual([row.result, row.exit_code, row.finished_at], ['', null, null]);
    const post = await v2Post(s, nodes.v2.token, { jsonrpc: '2.0', method: 'agent.taskResult', params: { task_id: taskId, result: 'x', exit_code: 0, finished_at: 5 }, id: 'p' });
    assert.equal(post.status, 400);
    assert.equal(post.json.error.message, 'invalid task result params');
  });

  it('keeps v1 POST /api/clients/task/result as it was: any finished_at is ignored and the server time stored', async () => {
    const taskId = await exec([nodes.v1.uuid]);
    await v1.next();
    clock.advance(2_000);
    const body = { task_id: taskId, result: 'v1', exit_code: 0, finished_at: 17 };
    const res = await http(s.url, `/api/clients/task/result?token=${nodes.v1.token}`, { method: 'POST', body });
    assert.equal(res.text, '{"status":"success","message":"Task result updated successfully"}');
    assert.equal((await finishedAt(taskId, nodes.v1.uuid)).finished_at, new Date(clock.now()).toISOString().replace('.000', ''));
  });

  it('accepts agent_report_interval in basic info, of any type, and stores it nowhere', async () => {
    for (const interval of [3, '3', null]) {
      const res = await v2Post(s, nodes.v2.token, { jsonrpc: '2.0', method: 'agent.basicInfo', params: { info: { ...agentInfo, agent_report_interval: interval } }, id: 'b' });
      assert.deepEqual(res.json, { jsonrpc: '2.0', id: 'b', result: { status: 'success' } });
    }
    const row = (await s.ctx.store.nodes.get(nodes.v2.uuid)) as unknown as Record<string, unknown>;
    assert.equal(row.cpu_name, agentInfo.cpu_name, 'the rest of the info was saved');
    assert.equal('agent_report_interval' in row, false);
    const wire = (await http(s.url, `/api/admin/client/${nodes.v2.uuid}`, { cookie })).json;
    assert.equal(JSON.stringify(wire).includes('agent_report_interval'), false);
  });
});
