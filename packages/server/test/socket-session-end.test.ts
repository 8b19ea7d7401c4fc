import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type WebSocket from 'ws';
import { ingestReport, parseReport } from '../src/agents/ingest.ts';
import { sessionLifetimeMs } from '../src/auth/account-service.ts';
import { addNode, eventually, sampleReport } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, sessionCookieOf, startTestServer, type TestServer } from './helpers/server.ts';
import { browserTerminal, terminalRequestId, type TerminalPeer } from './helpers/terminal.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { ask, openWs } from './helpers/ws.ts';

/**
 * A socket's caller is resolved at the handshake; these tests end the session (or change the key)
 * behind an open socket and check that the socket's admin rights end with it.
 */
const clock = new ManualClock(Date.now());
let s: TestServer;
let password: string;
let node: { uuid: string; token: string };
let agent: V1Agent;
const sockets: WebSocket[] = [];
const apiKey = 'socket-session-end-J7vQ2xLr9TkWmZ4pNc8HdYb';

async function login(): Promise<string> {
  const res = await http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password } });
  assert.equal(res.status, 200, res.text);
  return sessionCookieOf(res.headers);
}

async function open(path: string, headers: Record<string, string>): Promise<WebSocket> {
  const ws = await openWs(`${s.url.replace(/^http/, 'ws')}${path}`, { Origin: s.url, ...headers });
  sockets.push(ws);
  return ws;
}

const rpcSocket = (cookie: string) => open('/api/rpc2', { Cookie: `session_token=${cookie}` });
const getToken = (ws: WebSocket) =>
  ask(ws, JSON.stringify({ jsonrpc: '2.0', method: 'admin:getClientToken', params: { uuid: node.uuid }, id: 1 }));

async function adminCall(cookie: string, method: string, params?: unknown): Promise<void> {
  const res = await http(s.url, '/api/rpc2', { method: 'POST', cookie, body: { jsonrpc: '2.0', method, params, id: 1 } });
  assert.equal(res.json.error, undefined, res.text);
}

/** The old socket had the rights; after `end`, the same call is refused with -32041. */
async function rpcRightsEndWhen(end: (cookie: string) => Promise<void>): Promise<void> {
  const cookie = await login();
  const ws = await rpcSocket(cookie);
  assert.equal((await getToken(ws)).result.token, node.token, 'the live session may');
  await end(cookie);
  const after = await getToken(ws);
  assert.deepEqual(after.error, { code: -32041, message: 'Permission denied' });
  const guestCall = await ask(ws, JSON.stringify({ jsonrpc: '2.0', method: 'rpc.ping', id: 2 }));
  assert.equal(guestCall.result, 'pong', 'the socket stays open as a guest');
}

before(async () => {
  s = await startTestServer({ clock, limits: { terminal: { sessionCheckMs: 50 } } });
  password = s.adminPassword;
  const cookie = await login();
  node = await addNode(s, cookie, 'session-end-node');
  agent = await V1Agent.connect(s, node.token);
  agent.report();
  await eventually(() => s.ctx.live.socketOf(node.uuid) !== undefined);
});
after(async () => {
  for (const ws of sockets) ws.terminate();
  await agent.close();
  await s.dispose();
});

describe('an open /api/rpc2 socket loses its admin rights with its session', () => {
  it('logout: admin:getClientToken on the old socket answers -32041', () =>
    rpcRightsEndWhen((cookie) => http(s.url, '/api/logout', { cookie }).then(() => undefined)));

  it('admin:deleteSession from another session: -32041', () =>
    rpcRightsEndWhen((cookie) => login().then((other) => adminCall(other, 'admin:deleteSession', { session: cookie }))));

  it('admin:deleteAllSessions: -32041', () => rpcRightsEndWhen((cookie) => adminCall(cookie, 'admin:deleteAllSessions')));

  it('session expiry (the clock passes its expiry): -32041', () =>
    rpcRightsEndWhen(async () => clock.advance(sessionLifetimeMs + 1000)));

  it('a password change, which ends every session: -32041', () =>
    rpcRightsEndWhen(async (cookie) => {
      const account = (await s.ctx.store.accounts.first())!;
      const body = { uuid: account.uuid, password: 'changed-password-2', old_password: password };
      password = body.password;
      const res = await http(s.url, '/api/admin/update/user', { method: 'POST', cookie, body });
      assert.equal(res.status, 200, res.text);
    }));

  it('an API-key socket keeps working until the key changes, then answers -32041', async () => {
    const cookie = await login();
    await adminCall(cookie, 'admin:editSettings', { api_key: apiKey });
    const ws = await open('/api/rpc2', { Authorization: `Bearer ${apiKey}` });
    assert.equal((await getToken(ws)).result.token, node.token);
    await adminCall(cookie, 'admin:editSettings', { api_key: `${apiKey}-new` });
    assert.equal((await getToken(ws)).error.code, -32041);
  });
});

describe('a share link (temp_key) on an open /api/rpc2 socket of a private site', () => {
  it('passes the private-site gate until the link expires, then the gate applies', async () => {
    const cookie = await login();
    const expireAt = Math.floor(clock.now() / 1000) + 60;
    await adminCall(cookie, 'admin:editSettings', { private_site: true, tempory_share_token: 'share-socket-1', tempory_share_token_expire_at: expireAt });
    try {
      const ws = await open('/api/rpc2', { Cookie: 'temp_key=share-socket-1' });
      const nodes = () => ask(ws, JSON.stringify({ jsonrpc: '2.0', method: 'common:getNodes', id: 3 }));
      assert.ok(node.uuid in (await nodes()).result, 'the link lets the guest see the nodes');
      clock.advance(61_000);
      assert.deepEqual((await nodes()).error, { code: -32041, message: 'Private site enabled, please login first' });
    } finally {
      await adminCall(cookie, 'admin:editSettings', { private_site: false });
    }
  });
});

describe('the admin view of /api/clients ends with its session', () => {
  it('a hidden node disappears from the old admin socket after logout', async () => {
    const cookie = await login();
    await http(s.url, `/api/admin/client/${node.uuid}/edit`, { method: 'POST', cookie, body: { hidden: true } });
    ingestReport(s.ctx, node.uuid, parseReport(sampleReport()), { presence: true });
    const ws = await open('/api/clients', { Cookie: `session_token=${cookie}` });
    assert.ok(node.uuid in (await ask(ws, 'get')).data.data, 'the admin sees the hidden node');
    await http(s.url, '/api/logout', { cookie });
    const after = await ask(ws, 'get');
    assert.equal(after.status, 'success');
    assert.equal(node.uuid in after.data.data, false);
    await http(s.url, `/api/admin/client/${node.uuid}/edit`, { method: 'POST', cookie: await login(), body: { hidden: false } });
  });
});

describe('an open web terminal closes when its session ends', () => {
  async function openTerminal(cookie: string): Promise<TerminalPeer> {
    const browser = await browserTerminal(s, cookie, node.uuid);
    await terminalRequestId(agent);
    await browser.expectText('等待被控端连接 waiting for agent...\n');
    return browser;
  }

  it('logout closes the browser terminal with "session ended"', async () => {
    const cookie = await login();
    const browser = await openTerminal(cookie);
    await http(s.url, '/api/logout', { cookie });
    await browser.expectText('会话已结束 session ended\n');
    assert.deepEqual(await browser.closed, { code: 1000, reason: 'session ended' });
  });

  it('admin:deleteSession and expiry close it too; a live session keeps its terminal', async () => {
    const kept = await openTerminal(await login());
    const deletedCookie = await login();
    const deleted = await openTerminal(deletedCookie);
    await adminCall(await login(), 'admin:deleteSession', { session: deletedCookie });
    assert.equal((await deleted.closed).reason, 'session ended');
    assert.equal(kept.open, true, 'the other session still holds its terminal');
    clock.advance(sessionLifetimeMs + 1000);
    assert.equal((await kept.closed).reason, 'session ended');
  });
});
