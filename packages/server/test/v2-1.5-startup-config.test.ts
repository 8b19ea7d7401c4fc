import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateTotpSecret, totpCode } from '../src/auth/totp.ts';
import { addNode, eventually, sampleReport } from './helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { V2SocketAgent, v2Post } from './helpers/v2-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** What the Go agent returns (komari-1.5.md §3.1: flat, credentials in clear). */
const agentConfig = {
  endpoint: 'https://panel.example.com',
  token: 'Zx8c7v6b5n4m3l2k1j0h9g',
  auto_discovery_key: 'discover-me-please-1234',
  interval: 3,
  disable_web_ssh: false,
  ignore_unsafe_cert: false,
  custom_dns: '1.1.1.1',
  cf_access_client_secret: 'cf-secret',
  basic_auth: 'user:pass',
  proxy: { url: 'http://proxy:8080', password: 'proxy-pass' },
};

describe('admin:getAgentStartupConfig and admin:switchAgentVersion (komari-1.5.md §3, tier B)', () => {
  let s: TestServer;
  let cookie: string;
  const nodes: Record<'v2' | 'other' | 'v1' | 'post' | 'offline', { uuid: string; token: string }> = {} as any;
  let v2: V2SocketAgent;
  let other: V2SocketAgent;
  let v1: V1Agent;

  const rpc = (method: string, params: unknown) =>
    http(s.url, '/api/rpc2', { method: 'POST', cookie, body: { jsonrpc: '2.0', method, params, id: 1 } }).then((r) => r.json);

  /** Starts the admin call and returns it with the request the agent received. */
  async function asked(agent: V2SocketAgent, uuid: string): Promise<{ answer: Promise<any>; requestId: string }> {
    const answer = rpc('admin:getAgentStartupConfig', { uuid });
    const frame = await agent.next();
    assert.equal(frame.method, 'agent.startupConfig');
    assert.deepEqual(Object.keys(frame.params), ['request_id']);
    assert.match(frame.params.request_id, /^[0-9a-f]{32}$/);
    return { answer, requestId: frame.params.request_id };
  }

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ limits: { agents: { readDeadlineMs: 10 * 60_000, pullHoldMs: 0 } } }));
    for (const name of ['v2', 'other', 'v1', 'post', 'offline'] as const) nodes[name] = await addNode(s, cookie, name);
    v2 = await V2SocketAgent.connect(s, nodes.v2.token);
    other = await V2SocketAgent.connect(s, nodes.other.token);
    v1 = await V1Agent.connect(s, nodes.v1.token);
    v1.report();
    await eventually(() => ['v2', 'other', 'v1'].every((n) => s.ctx.live.socketOf(nodes[n as 'v2'].uuid)));
  });
  after(async () => {
    await Promise.all([v2.close(), other.close(), v1.close()]);
    await s.dispose();
  });

  it('returns the agent configuration with every credential redacted, and audits the call', async () => {
    const { answer, requestId } = await asked(v2, nodes.v2.uuid);
    const ack = await v2.call('agent.startupConfig.result', { request_id: requestId, config: agentConfig }, 'sc');
    assert.deepEqual(ack, { jsonrpc: '2.0', id: 'sc', result: { status: 'success' } });
    const res = await answer;
    assert.equal(res.error, undefined, JSON.stringify(res));
    assert.deepEqual(res.result, {
      endpoint: 'https://panel.example.com',
      token: '<redacted>',
      auto_discovery_key: '<redacted>',
      interval: 3,
      disable_web_ssh: false,
      ignore_unsafe_cert: false,
      custom_dns: '1.1.1.1',
      cf_access_client_secret: '<redacted>',
      basic_auth: '<redacted>',
      proxy: { url: 'http://proxy:8080', password: '<redacted>' },
    });
    const logs = await s.ctx.store.audit.list({ limit: 20, offset: 0 });
    assert.ok(logs.some((l) => l.message === `get agent startup config:${nodes.v2.uuid}`));
    assert.equal(s.ctx.startupConfigCalls.size, 0);
  });

  it('answers another client with -32004 and lets the right one settle the call', async () => {
    const { answer, requestId } = await asked(v2, nodes.v2.uuid);
    const wrong = await other.call('agent.startupConfig.result', { request_id: requestId, config: { token: 'stolen' } }, 'w');
    assert.deepEqual(wrong.error, { code: -32004, message: 'unknown or expired startup configuration request' });
    const unknown = await v2.call('agent.startupConfig.result', { request_id: 'f'.repeat(32), config: {} }, 'u');
    assert.equal(unknown.error.code, -32004);
    await v2.call('agent.startupConfig.result', { request_id: requestId, config: { interval: 1 } }, 'ok');
    assert.deepEqual((await answer).result, { interval: 1 });
  });

  it('passes no agent error text on: an error or an empty config is -32603', async () => {
    for (const reply of [{ error: 'open /etc/komari/token: permission denied' }, { config: {} }, {}]) {
      const { answer, requestId } = await asked(v2, nodes.v2.uuid);
      await v2.call('agent.startupConfig.result', { request_id: requestId, ...reply }, 'e');
      assert.deepEqual((await answer).error, { code: -32603, message: 'failed to get agent startup configuration' });
    }
  });

  it('refuses malformed results with -32602 and no data, leaving the call waiting', async () => {
    s.ctx.limits.agents.maxStartupConfigKeys = 4;
    try {
      const { answer, requestId } = await asked(v2, nodes.v2.uuid);
      const bad = [null, 'x', { request_id: 7 }, { request_id: '' }, { request_id: requestId, config: [1] }, { request_id: requestId, config: 'a' },
        { request_id: requestId, error: 5 }, { request_id: requestId, config: { a: { b: { c: 1, d: 2, e: 3 } } } }];
      for (const params of bad) {
        const r = await v2.call('agent.startupConfig.result', params, 'bad');
        assert.deepEqual(r.error, { code: -32602, message: 'invalid startup configuration result' }, JSON.stringify(params));
      }
      await v2.call('agent.startupConfig.result', { request_id: requestId, config: { a: 1 } }, 'ok');
      assert.deepEqual((await answer).result, { a: 1 });
    } finally {
      s.ctx.limits.agents.maxStartupConfigKeys = 512;
    }
  });

  it('times out with -32011 when the agent does not answer', async () => {
    s.ctx.limits.agents.startupConfigTimeoutMs = 100;
    try {
      const { answer, requestId } = await asked(v2, nodes.v2.uuid);
      assert.deepEqual((await answer).error, { code: -32011, message: 'agent startup configuration timed out; the agent may need an update' });
      const late = await v2.call('agent.startupConfig.result', { request_id: requestId, config: { a: 1 } }, 'late');
      assert.equal(late.error.code, -32004);
    } finally {
      s.ctx.limits.agents.startupConfigTimeoutMs = 20_000;
    }
  });

  it('refuses offline and v1 agents and a blank uuid at once', async () => {
    assert.deepEqual((await rpc('admin:getAgentStartupConfig', { uuid: nodes.offline.uuid })).error, { code: -32051, message: 'agent is not connected' });
    assert.deepEqual((await rpc('admin:getAgentStartupConfig', { uuid: 'no-such-node' })).error, { code: -32051, message: 'agent is not connected' });
    assert.deepEqual((await rpc('admin:getAgentStartupConfig', { uuid: nodes.v1.uuid })).error, { code: -32050, message: 'agent does not support v2 startup configuration' });
    assert.deepEqual((await rpc('admin:getAgentStartupConfig', { uuid: '  ' })).error, { code: -32602, message: 'uuid is required' });
    assert.equal(s.ctx.startupConfigCalls.size, 0);
  });

  it('reaches a POST-only agent through agent.pull', async () => {
    const report = { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() }, id: 'r' };
    assert.equal((await v2Post(s, nodes.post.token, report)).status, 200);
    const answer = rpc('admin:getAgentStartupConfig', { uuid: nodes.post.uuid });
    let events: any[] = [];
    await eventually(async () => {
      events = (await v2Post(s, nodes.post.token, { jsonrpc: '2.0', method: 'agent.pull', params: {}, id: 'p' })).json.result.events;
      return events.length > 0;
    });
    assert.equal(events[0].method, 'agent.startupConfig');
    const body = { jsonrpc: '2.0', method: 'agent.startupConfig.result', params: { request_id: events[0].params.request_id, config: { token: 't', interval: 5 } }, id: 'x' };
    assert.equal((await v2Post(s, nodes.post.token, body)).status, 200);
    assert.deepEqual((await answer).result, { token: '<redacted>', interval: 5 });
  });

  it('is sensitive: with 2FA on, no code is refused and the agent is not asked', async () => {
    const account = (await s.ctx.store.accounts.first())!;
    const secret = generateTotpSecret();
    await s.ctx.store.accounts.update(account.uuid, { twoFactor: secret }, Date.now());
    try {
      assert.deepEqual((await rpc('admin:getAgentStartupConfig', { uuid: nodes.v2.uuid })).error, { code: -32041, message: '2FA code is required' });
      assert.deepEqual((await rpc('admin:switchAgentVersion', { uuid: nodes.v2.uuid, version: 'stable' })).error, { code: -32041, message: '2FA code is required' });
      assert.equal(s.ctx.startupConfigCalls.size, 0);
      const answer = rpc('admin:switchAgentVersion', { uuid: nodes.v2.uuid, version: 'stable', two_factor_code: totpCode(secret, Date.now()) });
      assert.deepEqual(await v2.next(), { jsonrpc: '2.0', method: 'agent.switchVersion', params: { version: 'stable' } });
      assert.equal((await answer).error, undefined);
    } finally {
      await s.ctx.store.accounts.update(account.uuid, { twoFactor: '' }, Date.now());
    }
  });

  it('switchAgentVersion: sends agent.switchVersion with the trimmed version to a v2 socket, and audits it', async () => {
    const res = await rpc('admin:switchAgentVersion', { uuid: ` ${nodes.v2.uuid} `, version: '  snapshot ' });
    assert.deepEqual(res.result, { status: 'success', delivery: 'sent' });
    assert.deepEqual(await v2.next(), { jsonrpc: '2.0', method: 'agent.switchVersion', params: { version: 'snapshot' } });
    const logs = await s.ctx.store.audit.list({ limit: 20, offset: 0 });
    assert.ok(logs.some((l) => l.message === `switch agent version:${nodes.v2.uuid}, version:snapshot` && l.msgType === 'warn'));
  });

  it('switchAgentVersion: queues for a POST-only agent; refuses offline, v1 and bad input', async () => {
    const report = { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() }, id: 'r' };
    await v2Post(s, nodes.post.token, report);
    assert.deepEqual((await rpc('admin:switchAgentVersion', [nodes.post.uuid, '1.5.10'])).result, { status: 'success', delivery: 'queued' });
    const events = (await v2Post(s, nodes.post.token, { jsonrpc: '2.0', method: 'agent.pull', params: {}, id: 'p' })).json.result.events;
    // The startup-config request of an earlier test is still queued: it was never acked.
    const switches = events.filter((e: any) => e.method === 'agent.switchVersion');
    assert.deepEqual(switches.map((e: any) => e.params), [{ version: '1.5.10' }]);

    const err = async (params: unknown) => (await rpc('admin:switchAgentVersion', params)).error;
    assert.deepEqual(await err({ uuid: nodes.offline.uuid, version: 'stable' }), { code: -32051, message: 'agent is offline' });
    assert.deepEqual(await err({ uuid: nodes.v1.uuid, version: 'stable' }), { code: -32050, message: 'agent does not support v2 version switching' });
    assert.deepEqual(await err({ uuid: nodes.v2.uuid, version: '   ' }), { code: -32602, message: 'agent uuid and version are required' });
    assert.deepEqual(await err({ uuid: '', version: 'stable' }), { code: -32602, message: 'agent uuid and version are required' });
    assert.deepEqual(await err({ uuid: nodes.v2.uuid, version: 'v'.repeat(65) }), { code: -32602, message: 'version must be at most 64 characters' });
    assert.deepEqual(await err({ uuid: nodes.v2.uuid, version: 'stable\nrm -rf' }), { code: -32602, message: 'version must be printable ASCII without spaces' });
    assert.equal((await err({ uuid: nodes.v2.uuid, version: 7 })).code, -32602);
    await assert.rejects(v2.next(300), /no frame/, 'nothing was sent for a refused switch');
  });
});
