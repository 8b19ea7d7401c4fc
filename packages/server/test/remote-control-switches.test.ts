import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually } from './helpers/agent-common.ts';
import { http, rpc, startWithAdmin, type TestServer } from './helpers/server.ts';
import { browserTerminal, refusedUpgrade, terminalRequestId } from './helpers/terminal.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { V2SocketAgent } from './helpers/v2-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('remote control switches: server-wide settings and per-node overrides (issue 18)', () => {
  let s: TestServer;
  let cookie: string;
  let a: { uuid: string; token: string };
  let b: { uuid: string; token: string };
  let agentA: V2SocketAgent;
  let agentB: V2SocketAgent;

  const exec = (command: string, clients: string[]) => http(s.url, '/api/admin/task/exec', { method: 'POST', cookie, body: { command, clients } });
  const settings = (body: Record<string, unknown>) => http(s.url, '/api/admin/settings', { method: 'POST', cookie, body });
  const override = (params: unknown) => rpc(s.url, 'admin:setClientRemoteControl', params, { cookie });
  const audits = async () => (await s.ctx.store.audit.list({ limit: 50, offset: 0 })).map((l) => l.message);
  const execFrame = async (agent: V2SocketAgent) => {
    for (;;) {
      const f = await agent.next();
      if (f?.method === 'agent.exec') return f.params as { task_id: string; command: string };
    }
  };

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    a = await addNode(s, cookie, 'node-a');
    b = await addNode(s, cookie, 'node-b');
    agentA = await V2SocketAgent.connect(s, a.token);
    agentB = await V2SocketAgent.connect(s, b.token);
    await eventually(() => !!s.ctx.live.socketOf(a.uuid) && !!s.ctx.live.socketOf(b.uuid));
  });
  after(async () => {
    await agentA.close();
    await agentB.close();
    await s.dispose();
  });

  it('has the three server-wide switches on by default, readable and writable as settings', async () => {
    const res = await http(s.url, '/api/admin/settings', { cookie });
    assert.equal(res.status, 200);
    const data = res.json.data;
    assert.deepEqual([data.remote_exec_enabled, data.remote_terminal_enabled, data.remote_files_enabled], [true, true, true]);
    assert.equal((await settings({ remote_files_enabled: 'no' })).status, 400, 'a switch is a boolean');
    assert.equal((await settings({ remote_files_enabled: false })).status, 200);
    assert.equal((await http(s.url, '/api/admin/settings', { cookie })).json.data.remote_files_enabled, false);
    assert.equal((await settings({ remote_files_enabled: true })).status, 200);
  });

  it('shows each node its override in the admin wire, and never in a public one', async () => {
    const list = (await http(s.url, '/api/admin/client/list', { cookie })).json as any[];
    assert.deepEqual(list.find((n) => n.uuid === a.uuid).remote_control, { exec: null, terminal: null, files: null });
    const one = (await http(s.url, `/api/admin/client/${a.uuid}`, { cookie })).json;
    assert.deepEqual(one.remote_control, { exec: null, terminal: null, files: null });
    const pub = (await http(s.url, '/api/nodes')).json.data as any[];
    assert.ok(pub.length > 0 && pub.every((n) => !('remote_control' in n)));
    const viaRpc = (await rpc(s.url, 'common:getNodes', {})).result;
    assert.ok(Object.values(viaRpc).every((n: any) => !('remote_control' in n)));
  });

  it('refuses exec on a node turned off (audited, reported on its row) while the other node runs', async () => {
    const set = await override({ uuid: a.uuid, exec: false });
    assert.deepEqual(set.result, { exec: false, terminal: null, files: null });
    assert.ok((await audits()).includes(`remote control client:${a.uuid}: exec=off`));

    const res = await exec('uptime', [a.uuid, b.uuid]);
    assert.equal(res.status, 200, res.text);
    const taskId = res.json.data.task_id;
    assert.deepEqual(res.json.data, { task_id: taskId, clients: [b.uuid], queued_clients: null, refused_clients: [a.uuid] });
    assert.deepEqual(await execFrame(agentB), { task_id: taskId, command: 'uptime' });
    const rows = (await http(s.url, `/api/admin/task/${taskId}/result`, { cookie })).json.data as any[];
    assert.deepEqual(rows.map((r) => [r.client, r.result, r.exit_code]), [
      [a.uuid, 'Remote exec is turned off for this server', -1],
      [b.uuid, '', null],
    ]);
    assert.ok((await audits()).some((m) => m === `remote exec refused for admin on client:${a.uuid} (turned off for this node)`));

    // only the refused node: the whole call is refused with the reason, nothing is stored
    const before = (await s.ctx.store.execTasks.list()).length;
    const alone = await rpc(s.url, 'admin:exec', { command: 'id', clients: [a.uuid] }, { cookie });
    assert.deepEqual(alone.error, { code: -32041, message: 'Remote exec is turned off for this server' });
    assert.equal((await s.ctx.store.execTasks.list()).length, before);

    // back to "follow": the next command is the first one node A ever receives
    await override({ uuid: a.uuid, exec: null });
    const again = await exec('hostname', [a.uuid]);
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(await execFrame(agentA), { task_id: again.json.data.task_id, command: 'hostname' });
    assert.equal('refused_clients' in again.json.data, false, "Komari's answer shape when nothing is refused");
  });

  it('lets a node override beat the server-wide switch both ways', async () => {
    assert.equal((await settings({ remote_exec_enabled: false })).status, 200);
    const off = await rpc(s.url, 'admin:exec', { command: 'id', clients: [a.uuid, b.uuid] }, { cookie });
    assert.deepEqual(off.error, { code: -32041, message: 'Remote exec is turned off for every server' });
    assert.ok((await audits()).includes(`remote exec refused for admin on client:${b.uuid} (turned off server-wide)`));

    await override({ uuid: b.uuid, exec: true });
    const forcedOn = await exec('whoami', [a.uuid, b.uuid]);
    assert.equal(forcedOn.status, 200, forcedOn.text);
    assert.deepEqual(forcedOn.json.data.clients, [b.uuid]);
    assert.deepEqual(forcedOn.json.data.refused_clients, [a.uuid]);
    assert.equal((await execFrame(agentB)).command, 'whoami');

    assert.equal((await settings({ remote_exec_enabled: true })).status, 200);
    await override({ uuid: b.uuid, exec: false });
    const forcedOff = await rpc(s.url, 'admin:exec', { command: 'id', clients: [b.uuid] }, { cookie });
    assert.deepEqual(forcedOff.error, { code: -32041, message: 'Remote exec is turned off for this server' });
    await override({ uuid: b.uuid, exec: null });
  });

  it('takes the override through admin:editClient too, keeping the other fields and kinds', async () => {
    const res = await http(s.url, `/api/admin/client/${a.uuid}/edit`, { method: 'POST', cookie, body: { name: 'node-a2', remote_control: { files: false } } });
    assert.equal(res.status, 200, res.text);
    const one = (await http(s.url, `/api/admin/client/${a.uuid}`, { cookie })).json;
    assert.equal(one.name, 'node-a2');
    assert.deepEqual(one.remote_control, { exec: null, terminal: null, files: false });

    // a Komari UI posts the node back whole: the same override is accepted and not audited again
    const count = (await audits()).filter((m) => m.startsWith(`remote control client:${a.uuid}`)).length;
    const { uuid: _u, token: _t, created_at: _c, updated_at: _up, cpu_name: _cn, ...editable } = one;
    const echo = await http(s.url, `/api/admin/client/${a.uuid}/edit`, { method: 'POST', cookie, body: { ...editable, name: 'node-a' } });
    assert.equal(echo.status, 200, echo.text);
    assert.equal((await audits()).filter((m) => m.startsWith(`remote control client:${a.uuid}`)).length, count);

    const bad = await http(s.url, `/api/admin/client/${a.uuid}/edit`, { method: 'POST', cookie, body: { name: 'changed', remote_control: { files: 'off' } } });
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /^remote_control: files: /);
    const after = (await http(s.url, `/api/admin/client/${a.uuid}`, { cookie })).json;
    assert.equal(after.name, 'node-a', 'a refused edit changes nothing');
    assert.deepEqual(after.remote_control, { exec: null, terminal: null, files: false });
    await override({ uuid: a.uuid, files: null });
  });

  it('refuses hostile params to admin:setClientRemoteControl and changes nothing', async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ exec: false }, -32602, /^Invalid or missing UUID$/],
      [{ uuid: 42, exec: false }, -32602, /^Invalid or missing UUID$/],
      [{ uuid: 'no-such-node', exec: false }, -32044, /^record not found$/],
      [{ uuid: a.uuid }, -32602, /^Nothing to change/],
      [{ uuid: a.uuid, exec: 'false' }, -32602, /^params: exec: /],
      [{ uuid: a.uuid, exec: 0 }, -32602, /^params: exec: /],
      [{ uuid: a.uuid, exec: [true] }, -32602, /^params: exec: /],
      [{ uuid: a.uuid, shell: true }, -32602, /shell/],
      [{ uuid: a.uuid, exec: false, terminal: 'off' }, -32602, /^params: terminal: /],
      [[a.uuid, false], -32602, /./],
      ['x'.repeat(100_000), -32602, /./],
      [null, -32602, /./],
    ];
    for (const [params, code, message] of cases) {
      const res = await rpc(s.url, 'admin:setClientRemoteControl', params, { cookie });
      assert.equal(res.error?.code, code, `${JSON.stringify(params).slice(0, 80)}: ${JSON.stringify(res)}`);
      assert.match(res.error!.message, message);
    }
    assert.equal((await s.ctx.store.remoteControl.all()).size, 0, 'no override was written');
    const guest = await rpc(s.url, 'admin:setClientRemoteControl', { uuid: a.uuid, exec: false });
    assert.ok(guest.error, 'a guest cannot set it');
    assert.equal((await s.ctx.store.remoteControl.all()).size, 0);
  });

  it('drops the override with its node', async () => {
    const c = await addNode(s, cookie, 'node-c');
    await override({ uuid: c.uuid, terminal: false });
    assert.ok((await s.ctx.store.remoteControl.all()).has(c.uuid));
    assert.equal((await rpc(s.url, 'admin:removeClient', { uuid: c.uuid }, { cookie })).error, undefined);
    assert.equal((await s.ctx.store.remoteControl.all()).has(c.uuid), false);
  });
});

describe('remote control switches: new terminal sessions (issue 18)', () => {
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };
  let agent: V1Agent;
  const url = () => `${s.url.replace(/^http/, 'ws')}/api/admin/client/${node.uuid}/terminal`;
  const headers = () => ({ Origin: s.url, cookie: `session_token=${cookie}` });

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    node = await addNode(s, cookie, 'terminal-node');
    agent = await V1Agent.connect(s, node.token);
    agent.report();
    await eventually(() => s.ctx.live.socketOf(node.uuid) !== undefined);
  });
  after(async () => {
    await agent.close();
    await s.dispose();
  });

  it('refuses the upgrade with 403 when the terminal is off server-wide, and opens it when the node is forced on', async () => {
    assert.equal((await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { remote_terminal_enabled: false } })).status, 200);
    assert.deepEqual(await refusedUpgrade(url(), headers()), { status: 403, json: { status: 'error', message: 'The remote terminal is turned off for every server' } });
    assert.equal(s.ctx.terminal.size, 0, 'no session was opened');
    const logs = (await s.ctx.store.audit.list({ limit: 10, offset: 0 })).map((l) => l.message);
    assert.ok(logs.includes(`remote terminal refused for admin on client:${node.uuid} (turned off server-wide)`));

    await rpc(s.url, 'admin:setClientRemoteControl', { uuid: node.uuid, terminal: true }, { cookie });
    const browser = await browserTerminal(s, cookie, node.uuid);
    assert.ok(await terminalRequestId(agent), 'the agent was asked for the session');
    browser.closeTerminal();
    await browser.closed;
  });

  it('refuses the upgrade when the node is forced off while the switch is on', async () => {
    assert.equal((await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { remote_terminal_enabled: true } })).status, 200);
    await rpc(s.url, 'admin:setClientRemoteControl', { uuid: node.uuid, terminal: false }, { cookie });
    await eventually(() => s.ctx.terminal.size === 0);
    assert.deepEqual(await refusedUpgrade(url(), headers()), { status: 403, json: { status: 'error', message: 'The remote terminal is turned off for this server' } });
    assert.equal(s.ctx.terminal.size, 0);
  });
});
