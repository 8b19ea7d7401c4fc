import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually } from './helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';

describe('removing a node', () => {
  let s: TestServer;
  let cookie: string;
  before(async () => {
    ({ s, cookie } = await startWithAdmin());
  });
  after(() => s.dispose());

  it('deletes its exec results with it (Komari cascades them), keeping the other nodes’ results', async () => {
    const gone = await addNode(s, cookie, 'gone');
    const kept = await addNode(s, cookie, 'kept');
    const agent = await V1Agent.connect(s, gone.token);
    agent.report();
    await eventually(() => !!s.ctx.live.socketOf(gone.uuid));
    const exec = await http(s.url, '/api/admin/task/exec', { method: 'POST', cookie, body: { command: 'uptime', clients: [gone.uuid, kept.uuid] } });
    assert.equal(exec.status, 200, exec.text);
    const taskId = exec.json.data.task_id;
    assert.equal((await s.ctx.store.execTasks.results(taskId)).length, 2);
    const removed = await http(s.url, `/api/admin/client/${gone.uuid}/remove`, { method: 'POST', cookie });
    assert.equal(removed.status, 200);
    const left = await s.ctx.store.execTasks.results(taskId);
    assert.deepEqual(left.map((r) => r.client), [kept.uuid]);
    await agent.close();
  });
});
