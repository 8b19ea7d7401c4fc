import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, sampleReport } from '../helpers/agent-common.ts';
import { answerJson, startCaptureServer, type CaptureServer } from '../helpers/capture-server.ts';
import { http, startTestServer, type TestServer } from '../helpers/server.ts';
import { agentInfo, v2Post, V2SocketAgent } from '../helpers/v2-agent.ts';

// Offline alerts on the other transports: a v2 socket, and a POST-only v2 agent whose presence
// runs out (shrunk here to 400 ms from Komari's 35 s). And a deleted node leaves no alert state.

const limits = { alerts: { offlineTickMs: 50 }, recent: { presenceTtlMs: 400 } };

describe('offline alerts on v2 transports', () => {
  let s: TestServer;
  let cookie: string;
  let hook: CaptureServer;

  before(async () => {
    hook = await startCaptureServer((_r, res) => answerJson(res, 200, {}));
    s = await startTestServer({ limits });
    cookie = await s.login();
    const add = await http(s.url, '/api/admin/alerts/channels/add', {
      method: 'POST',
      cookie,
      body: { name: 'hook', kind: 'webhook', config: { url: hook.url, method: 'POST', content_type: 'text/plain', body: '{{message}}' }, template: '{{event}}|{{clients}}' },
    });
    assert.equal(add.status, 200, add.text);
  });
  after(async () => {
    await s.dispose();
    await hook.close();
  });

  async function watched(name: string): Promise<{ uuid: string; token: string }> {
    const n = await addNode(s, cookie, name);
    const r = await http(s.url, '/api/admin/notification/offline/edit', { method: 'POST', cookie, body: [{ client: n.uuid, enable: true, grace_period: 1 }] });
    assert.equal(r.status, 200, r.text);
    return n;
  }

  it('a v2 socket that closes: Offline after the grace, Online when it is back', async () => {
    const n = await watched('v2-socket');
    const a = await V2SocketAgent.connect(s, n.token);
    a.send({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() } });
    await eventually(() => s.ctx.live.isOnline(n.uuid));
    await a.close();
    await eventually(() => hook.seen.some((r) => r.body === 'Offline|v2-socket'), 5000);
    const b = await V2SocketAgent.connect(s, n.token);
    b.send({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() } });
    await eventually(() => hook.seen.some((r) => r.body === 'Online|v2-socket'), 5000);
    await b.close();
  });

  it('a POST-only agent (basic info and reports over POST) goes offline when its presence runs out', async () => {
    const n = await watched('v2-post');
    const info = await v2Post(s, n.token, { jsonrpc: '2.0', method: 'agent.basicInfo', params: { info: agentInfo }, id: 1 });
    assert.equal(info.status, 200);
    const rep = await v2Post(s, n.token, { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() }, id: 2 });
    assert.equal(rep.status, 200);
    assert.ok(s.ctx.live.isOnline(n.uuid));
    const lastReport = Date.now();
    await eventually(() => hook.seen.some((r) => r.body === 'Offline|v2-post'), 5000);
    assert.ok(Date.now() - lastReport >= 400 + 1000, 'presence, then the grace');
  });

  it('a deleted node takes its rule, its state and its open incident with it', async () => {
    const n = await watched('to-delete');
    const a = await V2SocketAgent.connect(s, n.token);
    a.send({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() } });
    await eventually(() => s.ctx.live.isOnline(n.uuid));
    await a.close();
    await eventually(() => hook.seen.some((r) => r.body === 'Offline|to-delete'), 5000);
    const del = await http(s.url, `/api/admin/client/${n.uuid}/remove`, { method: 'POST', cookie });
    assert.equal(del.status, 200);
    await s.ctx.alerts.idle();
    const rules = await http(s.url, '/api/admin/notification/offline', { cookie });
    assert.ok(!rules.json.data.some((r: { client: string }) => r.client === n.uuid));
    assert.equal(s.ctx.alerts.offline.state(n.uuid), undefined);
    const open = await s.ctx.store.alerts.openRecords();
    assert.ok(!open.some((r) => r.node === n.uuid));
  });
});
