import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually } from './helpers/agent-common.ts';
import { http, rpc, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V2SocketAgent, v2Post } from './helpers/v2-agent.ts';

describe('remote exec: bad inputs get clear answers and change nothing', () => {
  let s: TestServer;
  let cookie: string;
  let online: { uuid: string; token: string };
  let other: { uuid: string; token: string };
  let agent: V2SocketAgent;

  const exec = (body: unknown) => http(s.url, '/api/admin/task/exec', { method: 'POST', cookie, body });
  const postResult = (token: string, body: unknown) => http(s.url, `/api/clients/task/result?token=${token}`, { method: 'POST', body });
  const snapshot = async () => ({
    tasks: await s.ctx.store.execTasks.list(),
    results: await s.ctx.store.execTasks.results(),
    recs: (await s.ctx.store.audit.list({ limit: 1000, offset: 0 })).filter((l) => l.message.startsWith('REC')).length,
  });

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    online = await addNode(s, cookie, 'online');
    other = await addNode(s, cookie, 'other');
    agent = await V2SocketAgent.connect(s, online.token);
    await eventually(() => !!s.ctx.live.socketOf(online.uuid));
  });
  after(async () => {
    await agent.close();
    await s.dispose();
  });

  it('exec refuses an empty command, no clients, unknown clients, wrong types and unreachable clients', async () => {
    const before = await snapshot();
    const cases: Array<[unknown, string]> = [
      [{ command: '', clients: [online.uuid] }, 'Command cannot be empty'],
      [{ command: ' \n\t ', clients: [online.uuid] }, 'Command cannot be empty'],
      [{ clients: [online.uuid] }, 'Command cannot be empty'],
      [{ command: 'id', clients: [] }, 'clients is required'],
      [{ command: 'id' }, 'clients is required'],
      [{ command: 'id', clients: [online.uuid, 'no-such-node'] }, 'Unknown client: no-such-node'],
      [{ command: 'id', clients: [other.uuid] }, 'No clients connected'],
    ];
    for (const [body, message] of cases) {
      const res = await exec(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.deepEqual(res.json, { status: 'error', message }, JSON.stringify(body));
    }
    const typed = await exec({ command: 'id', clients: online.uuid });
    assert.equal(typed.status, 400);
    assert.match(typed.json.message, /^Invalid request body: clients: /);
    const notJson = await exec('{"command":');
    assert.deepEqual([notJson.status, notJson.json], [400, { status: 'error', message: 'Invalid or missing request body' }]);
    assert.deepEqual(await snapshot(), before);
    await agent.assertQuiet(200);
  });

  it('malformed result bodies are 400 "Invalid request…" and store nothing', async () => {
    const res = await exec({ command: 'id', clients: [online.uuid, other.uuid] });
    const taskId = res.json.data.task_id as string;
    await agent.next();
    const before = await snapshot();
    const bodies: unknown[] = [
      {},
      { task_id: taskId, result: 'x' },
      { task_id: taskId, result: 'x', exit_code: 1.5 },
      { task_id: taskId, result: 'x', exit_code: '0' },
      { task_id: 42, result: 'x', exit_code: 0 },
      { task_id: taskId, result: ['x'], exit_code: 0 },
      [taskId, 'x', 'zero'],
    ];
    for (const body of bodies) {
      const r = await postResult(online.token, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.json.message, /^Invalid request: /, JSON.stringify(body));
    }
    const notJson = await postResult(online.token, 'not json');
    assert.deepEqual([notJson.status, notJson.json], [400, { status: 'error', message: 'Invalid or missing request body' }]);

    const v2 = await v2Post(s, online.token, { jsonrpc: '2.0', method: 'agent.taskResult', params: { task_id: taskId, exit_code: 'x' }, id: 1 });
    assert.equal(v2.status, 400);
    assert.equal(v2.json.error.code, -32602);
    assert.equal(v2.json.error.message, 'invalid task result params');
    assert.deepEqual(await snapshot(), before);
  });

  it('a result for an unknown task, or for a task the node was not given, is refused', async () => {
    const res = await exec({ command: 'id', clients: [online.uuid] });
    const taskId = res.json.data.task_id as string;
    await agent.next();
    const before = await snapshot();
    const unknown = await postResult(online.token, { task_id: 'AAAAAAAAAAAAAAAA', result: 'x', exit_code: 0 });
    assert.deepEqual([unknown.status, unknown.json], [404, { status: 'error', message: 'Task not found for this client' }]);
    const foreign = await postResult(other.token, { task_id: taskId, result: 'spoofed', exit_code: 0 });
    assert.deepEqual([foreign.status, foreign.json], [404, { status: 'error', message: 'Task not found for this client' }]);
    const call = { jsonrpc: '2.0', method: 'agent.taskResult', params: { task_id: 'AAAAAAAAAAAAAAAA', result: '', exit_code: 0 }, id: 'x' };
    const v2 = await agent.call(call.method, call.params, call.id);
    assert.deepEqual(v2.error, { code: -32000, message: 'failed to save task result', data: 'Task not found for this client' });
    assert.deepEqual(await snapshot(), before);
  });

  it('the task queries answer Komari texts for missing ids and unknown tasks', async () => {
    const get = (path: string) => http(s.url, `/api/admin/task${path}`, { cookie });
    const expect404 = async (path: string, message: string) => {
      const res = await get(path);
      assert.deepEqual([res.status, res.json], [404, { status: 'error', message }], path);
    };
    await expect404('/nope', 'Failed to retrieve task: record not found');
    await expect404('/nope/result', 'No results found for this task');
    await expect404(`/nope/result/${online.uuid}`, 'Failed to retrieve task result: record not found');
    await expect404('/client/no-such-node', 'No tasks found for this client');
    const missing: Array<[string, unknown, string]> = [
      ['admin:getTaskById', {}, 'Task ID is required'],
      ['admin:getTaskResultsByTaskId', {}, 'Task ID is required'],
      ['admin:getSpecificTaskResult', { task_id: 'x' }, 'Task ID and client UUID are required'],
      ['admin:getTasksByClientId', {}, 'Client UUID is required'],
    ];
    for (const [method, params, message] of missing) {
      assert.deepEqual((await rpc(s.url, method, params, { cookie })).error, { code: -32602, message }, method);
    }
    const all = await get('/all');
    assert.equal(all.status, 200);
    assert.ok(Array.isArray(all.json.data));
  });
});
