import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runMaintenance } from '../src/app.ts';
import { addNode, eventually, sampleReport } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { V2SocketAgent, v2Post } from './helpers/v2-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const start = '2026-11-26T08:00:00Z';

describe('remote exec: dispatch over v1 and v2, results, queries (admin-api.md §5)', () => {
  const clock = new ManualClock(start);
  let s: TestServer;
  let cookie: string;
  let v1: V1Agent;
  let v2: V2SocketAgent;
  const nodes: Record<'v1' | 'v2' | 'offline' | 'post', { uuid: string; token: string }> = {} as any;
  const v1Raw: string[] = [];
  let taskId = '';

  const exec = (body: unknown) => http(s.url, '/api/admin/task/exec', { method: 'POST', cookie, body });
  const get = (path: string) => http(s.url, `/api/admin/task${path}`, { cookie });

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ clock }));
    nodes.v1 = await addNode(s, cookie, 'v1-socket');
    nodes.v2 = await addNode(s, cookie, 'v2-socket');
    nodes.offline = await addNode(s, cookie, 'never-connected');
    nodes.post = await addNode(s, cookie, 'v2-post-only');
    v1 = await V1Agent.connect(s, nodes.v1.token);
    v1.report();
    v2 = await V2SocketAgent.connect(s, nodes.v2.token);
    await eventually(() => !!s.ctx.live.socketOf(nodes.v1.uuid) && !!s.ctx.live.socketOf(nodes.v2.uuid));
    v1.ws.on('message', (d) => v1Raw.push(d.toString()));
  });
  after(async () => {
    await v1.close();
    await v2.close();
    await s.dispose();
  });

  it('sends the v1 frame and the v2 notification, and records the offline client at once', async () => {
    const res = await exec({ command: 'uptime', clients: [nodes.v1.uuid, nodes.v2.uuid, nodes.offline.uuid] });
    assert.equal(res.status, 200, res.text);
    taskId = res.json.data.task_id;
    assert.match(taskId, /^[0-9A-Za-z]{16}$/);
    assert.deepEqual(res.json, { status: 'success', message: '', data: { task_id: taskId, clients: [nodes.v1.uuid, nodes.v2.uuid], queued_clients: null } });

    assert.deepEqual(await v1.next(), { message: 'exec', command: 'uptime', task_id: taskId });
    assert.equal(v1Raw.at(-1), `{"message":"exec","command":"uptime","task_id":"${taskId}"}`, 'one frame, no trailing newline');
    assert.deepEqual(await v2.next(), { jsonrpc: '2.0', method: 'agent.exec', params: { task_id: taskId, command: 'uptime' } });

    const results = (await get(`/${taskId}/result`)).json.data as any[];
    assert.deepEqual(results.map((r) => [r.client, r.result, r.exit_code, r.finished_at]), [
      [nodes.v1.uuid, '', null, null],
      [nodes.v2.uuid, '', null, null],
      [nodes.offline.uuid, 'Client offline!', -1, '2026-11-26T08:00:00Z'],
    ]);
    const logs = await s.ctx.store.audit.list({ limit: 10, offset: 0 });
    assert.ok(logs.some((l) => l.message === `REC, task id: ${taskId}` && l.msgType === 'warn'), 'audit REC line');
  });

  it('takes the v1 result by POST /api/clients/task/result and the v2 one by agent.taskResult, with server time', async () => {
    clock.advance(2_500);
    const body = { task_id: taskId, result: ' 08:00:02 up 1 day', exit_code: 0, finished_at: '2001-01-01T00:00:00+08:00' };
    const posted = await http(s.url, `/api/clients/task/result?token=${nodes.v1.token}`, { method: 'POST', body });
    assert.equal(posted.status, 200);
    assert.equal(posted.text, '{"status":"success","message":"Task result updated successfully"}');

    clock.advance(500);
    const answer = await v2.call('agent.taskResult', { task_id: taskId, result: 'sh: uptime: not found\n', exit_code: 127, finished_at: null }, 'tr-1');
    assert.deepEqual(answer, { jsonrpc: '2.0', id: 'tr-1', result: { status: 'success' } });

    const res = await get(`/${taskId}/result`);
    assert.equal(res.status, 200);
    const rows = res.json.data as any[];
    assert.deepEqual(rows.map((r) => [r.client, r.result, r.exit_code, r.finished_at]), [
      [nodes.v1.uuid, ' 08:00:02 up 1 day', 0, '2026-11-26T08:00:02.5Z'],
      [nodes.v2.uuid, 'sh: uptime: not found\n', 127, '2026-11-26T08:00:03Z'],
      [nodes.offline.uuid, 'Client offline!', -1, '2026-11-26T08:00:00Z'],
    ]);
    assert.deepEqual(Object.keys(rows[0]), ['task_id', 'client', 'client_info', 'result', 'exit_code', 'finished_at', 'created_at']);
    assert.equal(rows[0].task_id, taskId);
    assert.equal(rows[0].created_at, '2026-11-26T08:00:00Z');
    assert.equal(rows[0].client_info.name, '', 'client_info is the zero Client, as in Komari');
    assert.equal(rows[0].client_info.uuid, undefined);
  });

  it('lists the task with its results in Komari shapes, including the by-client `Results` quirk', async () => {
    const brief = (await get(`/${taskId}`)).json.data;
    assert.deepEqual(Object.keys(brief), ['task_id', 'clients', 'command', 'results']);
    assert.deepEqual(brief.clients, [nodes.v1.uuid, nodes.v2.uuid, nodes.offline.uuid]);
    assert.equal(brief.command, 'uptime');
    assert.deepEqual(Object.keys(brief.results[0]), ['client', 'result', 'exit_code', 'finished_at', 'created_at']);
    assert.deepEqual(brief.results.map((r: any) => r.exit_code), [0, 127, -1]);

    const all = (await get('/all')).json.data as any[];
    assert.deepEqual(all.find((t) => t.task_id === taskId), brief);

    const one = await get(`/${taskId}/result/${nodes.v2.uuid}`);
    assert.equal(one.json.data.exit_code, 127);
    assert.equal(one.json.data.client, nodes.v2.uuid);

    const byClient = await get(`/client/${nodes.offline.uuid}`);
    assert.deepEqual(byClient.json, {
      status: 'success',
      message: '',
      data: [{ task_id: taskId, clients: [nodes.v1.uuid, nodes.v2.uuid, nodes.offline.uuid], command: 'uptime', Results: null }],
    });
  });

  it('queues agent.exec for an online POST-only v2 agent, which gets it from agent.pull and answers over POST', async () => {
    const report = { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() }, id: 'r' };
    assert.equal((await v2Post(s, nodes.post.token, report, { gzip: true })).status, 200);

    const res = await exec({ command: 'df -h', clients: [nodes.post.uuid, nodes.offline.uuid] });
    assert.equal(res.status, 200, res.text);
    const id = res.json.data.task_id;
    assert.deepEqual(res.json.data, { task_id: id, clients: null, queued_clients: [nodes.post.uuid] });

    const pull = { jsonrpc: '2.0', method: 'agent.pull', params: { capabilities: ['exec'], ack_event_ids: [] }, id: 'p' };
    const events = (await v2Post(s, nodes.post.token, pull, { gzip: true })).json.result.events as any[];
    assert.equal(events.length, 1);
    assert.equal(events[0].method, 'agent.exec');
    assert.deepEqual(events[0].params, { task_id: id, command: 'df -h' });
    assert.equal(events[0].expires_at, '2026-11-26T08:05:03Z', 'exec events live 5 minutes');

    const result = { jsonrpc: '2.0', method: 'agent.taskResult', params: { task_id: id, result: '/dev/sda1 50%', exit_code: 0 }, id: 't' };
    const answer = await v2Post(s, nodes.post.token, result, { gzip: true });
    assert.equal(answer.status, 200, answer.text);
    const rows = (await get(`/${id}/result`)).json.data as any[];
    assert.deepEqual(rows.map((r) => [r.client, r.result, r.exit_code]), [
      [nodes.post.uuid, '/dev/sda1 50%', 0],
      [nodes.offline.uuid, 'Client offline!', -1],
    ]);
  });

  it('a client whose socket fails at the write is recorded offline at once, the others still get the command', async () => {
    const broken = await addNode(s, cookie, 'broken-socket');
    const conn = { id: -1, protocol: 1 as const, send: () => false, close: () => {} };
    s.ctx.live.registerSocket(broken.uuid, conn);
    try {
      const res = await exec({ command: 'hostname', clients: [broken.uuid, nodes.v1.uuid] });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.data.clients, [nodes.v1.uuid]);
      assert.equal((await v1.next()).command, 'hostname');
      const rows = (await get(`/${res.json.data.task_id}/result`)).json.data as any[];
      assert.deepEqual(rows.map((r) => [r.client, r.result, r.exit_code]), [
        [broken.uuid, 'Client offline!', -1],
        [nodes.v1.uuid, '', null],
      ]);
    } finally {
      s.ctx.live.unregisterSocket(broken.uuid, conn);
    }
  });

  it('the 30-minute job purges result rows older than 30 days and keeps the tasks', async () => {
    const before = (await get('/all')).json.data.length;
    clock.advance(31 * 24 * 3600 * 1000);
    await runMaintenance(s.ctx);
    cookie = await s.login();
    const res = await get(`/${taskId}/result`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.json, { status: 'error', message: 'No results found for this task' });
    const all = (await get('/all')).json.data as any[];
    assert.equal(all.length, before);
    assert.deepEqual(all.find((t) => t.task_id === taskId).results, []);
  });
});
