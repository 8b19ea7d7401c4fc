import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildApp } from '../src/app.ts';
import { loadBootConfig } from '../src/config/boot-config.ts';
import { bindRoute } from '../src/http/bind.ts';
import type { RouteRecord } from '../src/http/route-table.ts';
import { defineMethod, noParams } from '../src/rpc/registry.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { Callers } from './authz/callers.ts';
import { restRoutes, type Expectation } from './authz/expectations.ts';
import { describeDenial, isDenial, refusalOf, restCells, rpcCells, show, stale, undeclared, type Answer } from './authz/matrix.ts';
import { addNode } from './helpers/agent-common.ts';
import { http, startTestServer } from './helpers/server.ts';

// The authorisation matrix (issue 12 §2): every route of the server's route table and every RPC
// method of its registry, called for real as each of six callers, against test/authz/expectations.ts.

const s = await startTestServer();
const setupCookie = await s.login();
const apiKey = randomBytes(24).toString('base64url');
assert.equal((await http(s.url, '/api/admin/settings', { method: 'POST', cookie: setupCookie, body: { api_key: apiKey } })).status, 200);
const node = await addNode(s, setupCookie, 'authz-node');
const callers = new Callers(s, { agentToken: node.token, apiKey });
const methods = s.ctx.registry.names();
after(async () => {
  callers.close();
  await s.dispose();
});

const defaultParams: Record<string, string> = { uuid: node.uuid, task_id: '999999', id: 'default', '*': 'index.html' };

/** The route's pattern with its params filled in, and the probe's query. */
function pathOf(route: RouteRecord, e: Expectation): string {
  const params = { ...defaultParams, ...e.probe?.params };
  const path = route.url.replace(/:([A-Za-z_]+)/g, (_m, name: string) => params[name] ?? name).replace('*', params['*']!);
  const query = e.probe?.query?.replaceAll('{node}', node.uuid);
  return query ? `${path}?${query}` : path;
}

function bodyOf(route: RouteRecord, e: Expectation): unknown {
  if (e.probe?.body !== undefined) return e.probe.body;
  return route.method === 'POST' ? {} : undefined;
}

function check(expected: ReturnType<typeof restCells>[number]['denial'], a: Answer): void {
  if (expected) {
    assert.ok(isDenial(expected, a), `expected ${describeDenial(expected)}, got ${show(a)}`);
  } else {
    const refusal = refusalOf(a);
    assert.equal(refusal, undefined, `expected to be let through, got ${refusal}: ${show(a)}`);
  }
}

const verdict = (d: ReturnType<typeof restCells>[number]['denial']) => (d ? describeDenial(d) : 'allowed');

describe('the expectations cover the server exactly', () => {
  it('every route of the route table and every RPC method is declared in test/authz/expectations.ts', () => {
    assert.deepEqual(undeclared(s.routes, methods), []);
  });

  it('every declaration names a route or method the server has', () => {
    assert.deepEqual(stale(s.routes, methods), []);
  });

  it('the route table holds the WebSocket routes the gates know, and /ping under every method', () => {
    const sockets = s.routes.filter((r) => r.websocket).map((r) => r.url).sort();
    assert.deepEqual(sockets, ['/api/admin/client/:uuid/terminal', '/api/clients', '/api/clients/report', '/api/clients/terminal', '/api/clients/v2/rpc', '/api/rpc2']);
    assert.ok(s.routes.filter((r) => r.url === '/ping').length >= 8);
  });

  it('a route or method added without a declaration is reported, with what to add', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'komari-authz-'));
    const config = loadBootConfig({ listen: '127.0.0.1:0', db: join(dir, 'komari.db') }, { KOMARI_LOG_LEVEL: 'silent' });
    const store = openSqliteStore(config.db);
    const built = await buildApp({ config, store, logger: false });
    try {
      bindRoute(built.fastify, built.ctx, { method: 'GET', url: '/api/admin/authz-throwaway', rpc: 'admin:listClients' });
      built.ctx.registry.add(defineMethod({ name: 'admin:authzThrowaway', params: noParams, handler: () => null }));
      await built.fastify.ready();
      assert.deepEqual(undeclared(built.routes, built.ctx.registry.names()), [
        "route GET /api/admin/authz-throwaway is not declared: add 'GET /api/admin/authz-throwaway': <policy>, to restRoutes in test/authz/expectations.ts",
        "RPC method admin:authzThrowaway is not declared: add 'admin:authzThrowaway': <policy>, to rpcMethods in test/authz/expectations.ts",
      ]);
    } finally {
      await built.fastify.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('every REST route and WebSocket upgrade as every caller', () => {
  for (const cell of restCells(s.routes)) {
    const { route, caller, expectation } = cell;
    const kind = route.websocket ? ' (WebSocket)' : '';
    it(`${route.method} ${route.url}${kind} as ${caller} → ${verdict(cell.denial)}`, async () => {
      const path = pathOf(route, expectation);
      const answer = route.websocket
        ? await callers.upgrade(caller, path)
        : await callers.rest(caller, route.method, path, bodyOf(route, expectation));
      check(cell.denial, answer);
    });
  }
});

describe('every RPC method over POST /api/rpc2 as every caller', () => {
  for (const cell of rpcCells(methods)) {
    it(`${cell.method} as ${cell.caller} → ${verdict(cell.denial)}`, async () => {
      const answer = await callers.rpcPost(cell.caller, cell.method, cell.expectation.probe?.rpcParams ?? {});
      assert.equal(answer.status, 200, show(answer));
      check(cell.denial, answer);
    });
  }
});

describe('every RPC method over the /api/rpc2 WebSocket as every caller that may open it', () => {
  const socket = restRoutes['GET /api/rpc2']!;
  for (const cell of rpcCells(methods, socket.allow)) {
    it(`${cell.method} as ${cell.caller} → ${verdict(cell.denial)}`, async () => {
      const answer = await callers.rpcWs(cell.caller, cell.method, cell.expectation.probe?.rpcParams ?? {}, cell.expectation.last);
      check(cell.denial, answer);
    });
  }
});
