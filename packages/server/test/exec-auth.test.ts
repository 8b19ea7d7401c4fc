import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { totpCode } from '../src/auth/totp.ts';
import { addNode, eventually } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, rpc, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V2SocketAgent } from './helpers/v2-agent.ts';
import { wrongCode } from './helpers/totp.ts';

const apiKey = 'exec-lRahG9aLTDUFDWGNrXQIzGWhzFyb';

/** Turns 2FA on for the logged-in admin the way the UI does (generate, then enable with a code). */
async function enableTwoFactor(s: TestServer, cookie: string): Promise<string> {
  const gen = await fetch(`${s.url}/api/admin/2fa/generate`, { headers: { cookie: `session_token=${cookie}` } });
  await gen.arrayBuffer();
  const secret = gen.headers.getSetCookie().map((c) => /^2fa_secret=([^;]*)/.exec(c)?.[1]).find((v) => v !== undefined) ?? '';
  const code = totpCode(secret, s.ctx.clock.now());
  const res = await http(s.url, `/api/admin/2fa/enable?code=${code}`, { method: 'POST', headers: { cookie: `session_token=${cookie}; 2fa_secret=${secret}` } });
  assert.equal(res.status, 200, res.text);
  return secret;
}

describe('remote exec is a sensitive action: the 2FA re-check of auth.md §7', () => {
  let s: TestServer;
  let cookie: string;
  let secret: string;
  let node: { uuid: string; token: string };
  let agent: V2SocketAgent;
  const clock = new ManualClock(Date.now());

  const exec = (o: { body?: Record<string, unknown>; headers?: Record<string, string>; query?: string; cookie?: string } = {}) =>
    http(s.url, `/api/admin/task/exec${o.query ?? ''}`, {
      method: 'POST',
      cookie: o.cookie ?? cookie,
      headers: o.headers,
      body: { command: 'id', clients: [node.uuid], ...o.body },
    });
  const taskCount = async () => (await s.ctx.store.execTasks.list()).length;

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ clock }));
    node = await addNode(s, cookie, 'target');
    assert.equal((await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { api_key: apiKey } })).status, 200);
    agent = await V2SocketAgent.connect(s, node.token);
    await eventually(() => !!s.ctx.live.socketOf(node.uuid));
  });
  after(async () => {
    await agent.close();
    await s.dispose();
  });

  it('without 2FA on the account, a session runs exec without any code', async () => {
    const res = await exec();
    assert.equal(res.status, 200, res.text);
    assert.equal((await agent.next()).method, 'agent.exec');
  });

  it('with 2FA on, a missing or wrong code is 401 and nothing is written or sent', async () => {
    secret = await enableTwoFactor(s, cookie);
    const before = await taskCount();
    const missing = await exec();
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.json, { status: 'error', message: '2FA code is required' });
    const wrong = await exec({ body: { '2fa_code': wrongCode(secret) } });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json, { status: 'error', message: 'Invalid 2FA code' });
    const numeric = await exec({ body: { '2fa_code': Number(totpCode(secret, clock.now())) } });
    assert.deepEqual(numeric.json, { status: 'error', message: '2FA code is required' }, 'only string codes count');
    assert.equal(await taskCount(), before);
    await agent.assertQuiet(200);
  });

  it('with 2FA on, the code works from the body, the X-2FA-Code header, the query and RPC params', async () => {
    // Each code is good once (issue 12): the clock moves one 30 s step before each.
    const code = () => {
      clock.advance(30_000);
      return totpCode(secret, clock.now());
    };
    const tries = [
      await exec({ body: { '2fa_code': code() } }),
      await exec({ body: { otp: code() } }),
      await exec({ headers: { 'X-2FA-Code': code() } }),
      await exec({ query: `?two_factor_code=${code()}` }),
    ];
    for (const res of tries) assert.equal(res.status, 200, res.text);
    const viaRpc = await rpc(s.url, 'admin:exec', { command: 'id', clients: [node.uuid], '2fa_code': code() }, { cookie });
    assert.match(viaRpc.result.task_id, /^[0-9A-Za-z]{16}$/);
    const refused = await rpc(s.url, 'admin:exec', { command: 'id', clients: [node.uuid] }, { cookie });
    assert.deepEqual(refused.error, { code: -32041, message: '2FA code is required' });
    for (let i = 0; i < 5; i++) assert.equal((await agent.next()).method, 'agent.exec');
  });

  it('an API key skips the re-check; the audit actor is then empty', async () => {
    const res = await http(s.url, '/api/admin/task/exec', {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
      body: { command: 'id', clients: [node.uuid] },
    });
    assert.equal(res.status, 200, res.text);
    const logs = await s.ctx.store.audit.list({ limit: 5, offset: 0 });
    const rec = logs.find((l) => l.message === `REC, task id: ${res.json.data.task_id}`);
    assert.equal(rec?.uuid, '');
    await agent.next();
  });

  it('agents cannot exec, and admins cannot post task results', async () => {
    const asAgent = await http(s.url, `/api/admin/task/exec?token=${node.token}`, { method: 'POST', body: { command: 'id', clients: [node.uuid] } });
    assert.equal(asAgent.status, 401);
    const asAdmin = await http(s.url, '/api/clients/task/result', { method: 'POST', cookie, body: { task_id: 'x', result: '', exit_code: 0 } });
    assert.equal(asAdmin.status, 401);
    assert.deepEqual(asAdmin.json, { status: 'error', message: 'Permission denied' });
  });
});
