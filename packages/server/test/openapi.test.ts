import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { templateOf } from '../src/openapi/paths.ts';
import { requiredRole } from '../src/rpc/acl.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

let s: TestServer;
let cookie: string;
let doc: any;
before(async () => {
  ({ s, cookie } = await startWithAdmin());
  const res = await http(s.url, '/api/openapi.json');
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  doc = res.json;
});
after(() => s.dispose());

/** The operation of one route and method, wherever the document keeps it. */
function operation(url: string, method: string): any {
  const item = doc.paths[templateOf(url).path];
  return item?.[method.toLowerCase()] ?? item?.['x-komari-additional-operations']?.[method];
}

/** Every `$ref` in the document resolves inside it. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1.0 document with paths in {name} syntax', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.info.title, 'komari-ts');
    for (const path of Object.keys(doc.paths)) {
      assert.ok(path.startsWith('/'), path);
      assert.ok(!/[:*]/.test(path), `Fastify syntax left in ${path}`);
    }
    assert.ok(doc.paths['/api/admin/client/{uuid}/edit']);
    assert.ok(doc.paths['/themes/{id}/{path}']);
    const params = doc.paths['/api/admin/task/{task_id}/result/{uuid}'].get.parameters.map((p: any) => `${p.in}:${p.name}`);
    assert.deepEqual(params, ['path:task_id', 'path:uuid']);
  });

  it('holds every route of the live route table with each of its methods', () => {
    assert.ok(s.routes.length > 100);
    const missing = s.routes.filter((r) => !operation(r.url, r.method)).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(missing, []);
    // QUERY has no field in an OpenAPI 3.1 path item
    assert.ok(doc.paths['/ping']['x-komari-additional-operations'].QUERY);
    assert.equal(operation('/api/clients/report', 'GET')['x-komari-websocket'], true);
  });

  it('holds every registered RPC method under POST /api/rpc2, each with its ACL role and params schema', () => {
    const rpc2 = operation('/api/rpc2', 'POST');
    const listed = new Map(rpc2['x-komari-rpc-methods'].map((m: any) => [m.name, m]));
    assert.deepEqual([...listed.keys()], s.ctx.registry.names());
    for (const name of s.ctx.registry.names()) {
      const m: any = listed.get(name);
      const role = requiredRole(name);
      assert.equal(m.role, role === 'client' ? 'agent' : role, name);
      assert.ok(doc.components.schemas[m.params.$ref.split('/').pop()], `no params schema for ${name}`);
    }
    const oneOf = doc.components.schemas.RpcRequest.oneOf.map((r: any) => r.properties.method.const);
    assert.deepEqual(oneOf, s.ctx.registry.names());
    for (const ref of refs(doc)) assert.ok(doc.components.schemas[ref.replace('#/components/schemas/', '')], ref);
  });

  it("a bound route carries its method's role, summary and zod schema; gates set the role of the rest", () => {
    const add = operation('/api/admin/client/add', 'POST');
    assert.equal(add['x-komari-rpc'], 'admin:addClient');
    assert.equal(add['x-komari-role'], 'admin');
    const body = doc.components.schemas[add.requestBody.content['application/json'].schema.$ref.split('/').pop()];
    assert.equal(body.type, 'object');
    assert.ok(body.properties.name, JSON.stringify(body));

    const load = operation('/api/records/load', 'GET');
    assert.equal(load['x-komari-role'], 'guest');
    assert.deepEqual(load.parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name), ['uuid', 'load_type', 'hours']);

    assert.equal(operation('/api/clients/report', 'POST')['x-komari-role'], 'agent');
    assert.equal(operation('/api/clients/register', 'POST')['x-komari-role'], 'guest');
    assert.equal(operation('/api/admin/download/backup', 'GET')['x-komari-role'], 'admin');
    assert.equal(operation('/api/admin/download/backup', 'GET')['x-komari-private-site'], undefined);
    assert.equal(operation('/api/login', 'POST')['x-komari-private-site'], 'open');
    assert.equal(operation('/api/nodes', 'GET')['x-komari-private-site'], 'login');
  });

  it('on a private site only a signed-in caller reads it', async () => {
    const set = (v: boolean) => http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { private_site: v } });
    assert.equal((await set(true)).status, 200);
    try {
      const guest = await http(s.url, '/api/openapi.json');
      assert.equal(guest.status, 401);
      assert.equal(guest.json.message, 'Private site is enabled, please login first.');
      assert.equal((await http(s.url, '/api/openapi.json', { cookie })).status, 200);
    } finally {
      await set(false);
    }
  });
});
