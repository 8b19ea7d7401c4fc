import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildApp, type BuiltApp } from '../src/app.ts';
import { loadBootConfig } from '../src/config/boot-config.ts';
import { AppError } from '../src/errors.ts';
import { bindRoute } from '../src/http/bind.ts';
import { requiredRole } from '../src/rpc/acl.ts';
import { hasRole, type Caller } from '../src/rpc/caller.ts';
import { invoke } from '../src/rpc/dispatch.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/types.ts';
import { http, rpc, startTestServer, type TestServer } from './helpers/server.ts';
import { ask, openWs, upgradeStatus } from './helpers/ws.ts';

const denied = { code: -32041, message: 'Permission denied' };
const apiKey = 'acl-8IRzU-JH8iJVCUSy8zOCReAopXV9';

function anonymous(tempKey = false): Caller {
  return { kind: 'anonymous', meta: { ip: '127.0.0.1', userAgent: 'test', tempKey, headerTwoFactorCode: '' } };
}

describe('requiredRole (rpc2.md §7.2)', () => {
  const cases: Array<[string, string]> = [
    ['common:x', 'guest'],
    ['public:x', 'guest'],
    ['guest:x', 'guest'],
    ['rpc.ping', 'guest'],
    ['rpc:x', 'guest'],
    ['client:x', 'client'],
    ['admin:x', 'admin'],
    ['plugin:x', 'admin'],
    ['myplugin:stats', 'admin'],
    ['getNodes', 'guest'],
  ];
  for (const [method, role] of cases) {
    it(`${method} needs ${role}`, () => assert.equal(requiredRole(method), role));
  }

  it('roles are a set: only agents hold client, and agents do not hold admin', () => {
    const agentLike = { kind: 'agent' } as Caller;
    const apiKeyLike = { kind: 'apiKey' } as Caller;
    assert.equal(hasRole(agentLike, 'client'), true);
    assert.equal(hasRole(agentLike, 'admin'), false);
    assert.equal(hasRole(apiKeyLike, 'client'), false);
    assert.equal(hasRole(anonymous(), 'guest'), true);
  });
});

describe('permission model over POST /api/rpc2 (rpc2.md §7)', () => {
  let s: TestServer;
  let cookie: string;
  let agent: { uuid: string; token: string };
  before(async () => {
    s = await startTestServer();
    cookie = await s.login();
    agent = (await http(s.url, '/api/admin/client/add', { method: 'POST', body: { name: 'agent-1' }, cookie })).json;
    const set = await http(s.url, '/api/admin/settings', { method: 'POST', body: { api_key: apiKey }, cookie });
    assert.equal(set.status, 200, set.text);
  });
  after(() => s.dispose());

  const asAgent = (method: string, params?: unknown) =>
    http(s.url, `/api/rpc2?token=${agent.token}`, { method: 'POST', body: { jsonrpc: '2.0', method, params, id: 1 } });

  it('a guest calling admin:listClients gets -32041 "Permission denied" with HTTP 200', async () => {
    const res = await http(s.url, '/api/rpc2', { method: 'POST', body: { jsonrpc: '2.0', method: 'admin:listClients', id: 1 } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { jsonrpc: '2.0', id: 1, error: denied });
  });

  it('a guest calling a nonexistent admin:foo gets "Permission denied", not "method not found"', async () => {
    assert.deepEqual((await rpc(s.url, 'admin:foo')).error, denied);
  });

  it('a bare name like getNodes passes the ACL as common: but is -32601 (registry uses the bare name)', async () => {
    assert.deepEqual((await rpc(s.url, 'getNodes')).error, { code: -32601, message: 'method not found', data: 'getNodes' });
  });

  it('an admin by session cookie may call admin:listClients', async () => {
    const res = await rpc(s.url, 'admin:listClients', undefined, { cookie });
    assert.ok(Array.isArray(res.result), JSON.stringify(res));
    assert.ok(res.result.some((n: { uuid: string }) => n.uuid === agent.uuid));
  });

  it('an admin by API key (Authorization: Bearer) may call admin:listClients; a wrong key is a guest', async () => {
    const ok = await rpc(s.url, 'admin:listClients', undefined, { headers: { authorization: `Bearer ${apiKey}` } });
    assert.ok(Array.isArray(ok.result), JSON.stringify(ok));
    const me = await rpc(s.url, 'common:getMe', undefined, { headers: { authorization: `Bearer ${apiKey}` } });
    assert.equal(me.result.username, 'api_key');
    const wrong = await rpc(s.url, 'admin:listClients', undefined, { headers: { authorization: 'Bearer 0123456789abcdeX' } });
    assert.deepEqual(wrong.error, denied);
  });

  it('an agent (?token=) is refused admin:* but is "client" for common:getMe', async () => {
    assert.deepEqual((await asAgent('admin:listClients')).json.error, denied);
    const me = (await asAgent('common:getMe')).json.result;
    assert.equal(me.username, 'client');
    assert.equal(me.logged_in, true);
  });

  it('an agent token in the POST body (top-level "token") also identifies the agent', async () => {
    const body = { jsonrpc: '2.0', method: 'common:getMe', id: 1, token: agent.token };
    const res = await http(s.url, '/api/rpc2', { method: 'POST', body });
    assert.equal(res.json.result.username, 'client');
  });

  it('client:* is refused to an admin, but an agent passes the ACL (and reaches the lookup)', async () => {
    assert.deepEqual((await rpc(s.url, 'client:nope', undefined, { cookie })).error, denied);
    assert.deepEqual((await rpc(s.url, 'client:nope', undefined, { headers: { authorization: `Bearer ${apiKey}` } })).error, denied);
    assert.equal((await asAgent('client:nope')).json.error.code, -32601);
  });
});

describe('private site (public-api.md §1.4)', () => {
  let s: TestServer;
  let cookie: string;
  let agentToken: string;
  before(async () => {
    s = await startTestServer();
    cookie = await s.login();
    agentToken = (await http(s.url, '/api/admin/client/add', { method: 'POST', body: {}, cookie })).json.token;
    const set = await http(s.url, '/api/admin/settings', { method: 'POST', body: { private_site: true }, cookie });
    assert.equal(set.status, 200, set.text);
  });
  after(() => s.dispose());

  it('Gate A blocks a guest from POST /api/rpc2 entirely, even public:getPublicSettings', async () => {
    for (const method of ['rpc.ping', 'public:getPublicSettings']) {
      const res = await http(s.url, '/api/rpc2', { method: 'POST', body: { jsonrpc: '2.0', method, id: 1 } });
      assert.equal(res.status, 401);
      assert.deepEqual(res.json, { status: 'error', message: 'Private site is enabled, please login first.' });
    }
  });

  it('Gate A refuses a guest WebSocket upgrade on /api/rpc2 with 401', async () => {
    const ws = s.url.replace(/^http/, 'ws');
    assert.equal(await upgradeStatus(`${ws}/api/rpc2`, { origin: s.url }), 401);
  });

  it('an admin and an agent still get through', async () => {
    assert.equal((await rpc(s.url, 'admin:listClients', undefined, { cookie })).result.length, 1);
    const res = await http(s.url, `/api/rpc2?token=${agentToken}`, {
      method: 'POST',
      body: { jsonrpc: '2.0', method: 'common:getNodes', id: 1 },
    });
    assert.equal(res.status, 200);
    assert.equal(typeof res.json.result, 'object', res.text);
  });

  it('an agent may still open the WebSocket (?token=, no Origin) and is the node there', async () => {
    const ws = await openWs(`${s.url.replace(/^http/, 'ws')}/api/rpc2?token=${agentToken}`);
    try {
      assert.equal((await ask(ws, '{"jsonrpc":"2.0","method":"common:getMe","id":1}')).result.username, 'client');
    } finally {
      ws.terminate();
    }
  });

  it('a valid temp_key cookie lets a guest past both gates', async () => {
    const expireAt = Math.floor(Date.now() / 1000) + 3600;
    const share = { tempory_share_token: 'share-123', tempory_share_token_expire_at: expireAt };
    assert.equal((await http(s.url, '/api/admin/settings', { method: 'POST', body: share, cookie })).status, 200);
    const body = { jsonrpc: '2.0', method: 'common:getVersion', id: 1 };
    const res = await http(s.url, '/api/rpc2', { method: 'POST', body, headers: { cookie: 'temp_key=share-123' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(typeof res.json.result?.version, 'string', res.text);
    const wrong = await http(s.url, '/api/rpc2', { method: 'POST', body, headers: { cookie: 'temp_key=share-124' } });
    assert.equal(wrong.status, 401);
  });

  it('Gate B in the dispatcher: an anonymous call is -32041 unless whitelisted or carrying temp_key', async () => {
    await assert.rejects(invoke(s.ctx, anonymous(), 'common:getVersion', undefined), (err: unknown) => {
      assert.ok(err instanceof AppError);
      assert.equal(err.code, -32041);
      assert.equal(err.message, 'Private site enabled, please login first');
      return true;
    });
    for (const open of ['public:getMe', 'public:getPublicSettings', 'public:getVersion']) {
      await invoke(s.ctx, anonymous(), open, undefined);
    }
    assert.ok(await invoke(s.ctx, anonymous(true), 'common:getVersion', undefined));
    // The private-site check runs before the ACL: an admin method gets the private-site text.
    await assert.rejects(invoke(s.ctx, anonymous(), 'admin:listClients', undefined), /Private site enabled/);
  });
});

describe('REST bridge error mapping for bound methods (rpc2.md §11.2)', () => {
  let dir: string;
  let store: Store;
  let built: BuiltApp;
  const bearer = { authorization: `Bearer ${apiKey}` };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'komari-bind-'));
    const config = loadBootConfig({ listen: '127.0.0.1:0', db: join(dir, 'komari.db') }, { KOMARI_LOG_LEVEL: 'silent' });
    store = openSqliteStore(config.db);
    built = await buildApp({ config, store, logger: false });
    await built.ctx.settings.update({ api_key: apiKey });
    // Extra bindings over real methods, to reach codes no shipped route produces yet.
    bindRoute(built.fastify, built.ctx, { method: 'GET', url: '/api/test/client-only', rpc: 'client:getPingTasks' });
    bindRoute(built.fastify, built.ctx, { method: 'GET', url: '/api/test/missing', rpc: 'common:noSuchMethod' });
    bindRoute(built.fastify, built.ctx, { method: 'GET', url: '/api/recent-test/:uuid', rpc: 'common:getNodes' });
    bindRoute(built.fastify, built.ctx, { method: 'POST', url: '/api/test/positional', rpc: 'common:getNodes' });
    await built.fastify.ready();
  });
  after(async () => {
    await built.fastify.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('-32041 (a client: method called by an admin) → 401 {"status":"error","message":"Permission denied"}', async () => {
    const res = await built.fastify.inject({ method: 'GET', url: '/api/test/client-only', headers: bearer });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), { status: 'error', message: 'Permission denied' });
  });

  it('-32601 → 500 with the RPC message', async () => {
    const res = await built.fastify.inject({ method: 'GET', url: '/api/test/missing' });
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json(), { status: 'error', message: 'method not found' });
  });

  it('path params become named params; a JSON array body becomes positional params', async () => {
    const res = await built.fastify.inject({ method: 'GET', url: '/api/recent-test/nope' });
    assert.deepEqual(res.json(), { status: 'error', message: 'Node not found' });
    assert.equal(res.statusCode, 400);
    const arr = await built.fastify.inject({ method: 'POST', url: '/api/test/positional', payload: '["nope"]' });
    assert.deepEqual(arr.json(), { status: 'error', message: 'Node not found' });
  });

  it('Gate B through REST: 401 "Private site enabled, please login first" (no "is", no period)', async () => {
    await built.ctx.settings.update({ private_site: true });
    try {
      const res = await built.fastify.inject({ method: 'GET', url: '/api/recent-test/nope' });
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), { status: 'error', message: 'Private site enabled, please login first' });
    } finally {
      await built.ctx.settings.update({ private_site: false });
    }
  });
});
