import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type WebSocket from 'ws';
import { totpCode } from '../src/auth/totp.ts';
import { http, rpc, startTestServer, type TestServer } from './helpers/server.ts';
import { ask, openWs } from './helpers/ws.ts';
import { wrongCode } from './helpers/totp.ts';

interface LogRow {
  id: number;
  ip: string;
  uuid: string;
  message: string;
  msg_type: string;
  time: string;
}

async function auditRows(s: TestServer, cookie: string): Promise<LogRow[]> {
  const res = await http(s.url, '/api/admin/logs?limit=1000', { cookie });
  assert.equal(res.status, 200, res.text);
  return res.json.data.logs as LogRow[];
}

async function addNode(s: TestServer, cookie: string, name: string): Promise<string> {
  const res = await http(s.url, '/api/admin/client/add', { method: 'POST', cookie, body: { name } });
  assert.equal(res.status, 200, res.text);
  return res.json.uuid as string;
}

async function getNode(s: TestServer, cookie: string, uuid: string) {
  const res = await http(s.url, `/api/admin/client/${uuid}`, { cookie });
  assert.equal(res.status, 200, res.text);
  return res.json as { uuid: string; name: string; updated_at: string; expired_at: string | null };
}

describe('the sensitive 2FA re-check is throttled per account', () => {
  let s: TestServer;
  let session: string;
  let secret: string;

  before(async () => {
    s = await startTestServer();
    // Log in before 2FA is on: this session stays valid and needs no code.
    session = await s.login();
    const gen = await fetch(`${s.url}/api/admin/2fa/generate`, { headers: { cookie: `session_token=${session}` } });
    assert.equal(gen.status, 200);
    await gen.arrayBuffer();
    secret = gen.headers.getSetCookie().map((c) => /^2fa_secret=([^;]*)/.exec(c)?.[1]).find((v) => v) ?? '';
    assert.match(secret, /^[A-Z2-7]+$/);
    const enable = await http(s.url, `/api/admin/2fa/enable?code=${totpCode(secret, Date.now())}`, {
      method: 'POST',
      headers: { cookie: `session_token=${session}; 2fa_secret=${secret}` },
    });
    assert.equal(enable.status, 200, enable.text);
  });
  after(() => s.dispose());

  it('ten wrong X-2FA-Code values answer Invalid 2FA code; the eleventh attempt, even with the right code, answers Too many invalid 2FA codes and 2FA stays on', async () => {
    const disable = (code: string) => http(s.url, '/api/admin/2fa/disable', { method: 'POST', cookie: session, headers: { 'x-2fa-code': code } });
    for (let i = 1; i <= 10; i++) {
      const res = await disable(wrongCode(secret));
      assert.equal(res.status, 401, `attempt ${i}: ${res.text}`);
      assert.deepEqual(res.json, { status: 'error', message: 'Invalid 2FA code' }, `attempt ${i}`);
    }
    const right = await disable(totpCode(secret, Date.now()));
    assert.equal(right.status, 401, right.text);
    assert.equal(right.json.status, 'error');
    assert.ok(String(right.json.message).startsWith('Too many invalid 2FA codes'), right.json.message);

    const me = await http(s.url, '/api/me', { cookie: session });
    assert.equal(me.json['2fa_enabled'], true);
    const wrongs = (await auditRows(s, session)).filter((r) => r.message === 'invalid 2FA code at a sensitive action');
    assert.equal(wrongs.length, 10);
    for (const r of wrongs) assert.equal(r.uuid, me.json.uuid);
  });
});

describe('malformed or unusual input', () => {
  let s: TestServer;
  let admin: string;

  before(async () => {
    s = await startTestServer();
    admin = await s.login();
  });
  after(() => s.dispose());

  describe('admin:editClient takes named params only', () => {
    let uuid: string;
    const editRows = async () => (await auditRows(s, admin)).filter((r) => r.message.startsWith('edit client:')).length;

    before(async () => {
      uuid = await addNode(s, admin, 'named-only');
    });

    it('RPC params ["<uuid>", {name}] or "<uuid>" answer -32602 Invalid params and change nothing', async () => {
      const before = await getNode(s, admin, uuid);
      const rows = await editRows();
      await sleep(5); // an update would move updated_at by at least this much
      for (const params of [[uuid, { name: 'zz' }], uuid]) {
        const res = await rpc(s.url, 'admin:editClient', params, { cookie: admin });
        assert.equal(res.error?.code, -32602, JSON.stringify(res));
        assert.ok(res.error.message.startsWith('Invalid params'), res.error.message);
        assert.equal(res.result, undefined);
      }
      const now = await getNode(s, admin, uuid);
      assert.equal(now.name, 'named-only');
      assert.equal(now.updated_at, before.updated_at);
      assert.equal(await editRows(), rows, 'no new edit client: audit row');
    });

    it('REST POST /api/admin/client/<uuid>/edit with body [1,2] or "x" answers 400 Invalid or missing request body and changes nothing', async () => {
      const before = await getNode(s, admin, uuid);
      const rows = await editRows();
      await sleep(5);
      for (const body of ['[1,2]', '"x"']) {
        const res = await http(s.url, `/api/admin/client/${uuid}/edit`, { method: 'POST', cookie: admin, body });
        assert.equal(res.status, 400, `${body}: ${res.text}`);
        assert.deepEqual(res.json, { status: 'error', message: 'Invalid or missing request body' }, body);
      }
      const now = await getNode(s, admin, uuid);
      assert.equal(now.name, 'named-only');
      assert.equal(now.updated_at, before.updated_at);
      assert.equal(await editRows(), rows, 'no new edit client: audit row');
    });
  });

  it('GET /api/admin/logs with a page or limit beyond a safe integer answers 400 Invalid page / Invalid limit', async () => {
    const big = '99999999999999999999';
    const page = await http(s.url, `/api/admin/logs?page=${big}`, { cookie: admin });
    assert.equal(page.status, 400, page.text);
    assert.deepEqual(page.json, { status: 'error', message: `Invalid page: ${big}` });
    const limit = await http(s.url, `/api/admin/logs?limit=${big}`, { cookie: admin });
    assert.equal(limit.status, 400, limit.text);
    assert.deepEqual(limit.json, { status: 'error', message: `Invalid limit: ${big}` });
  });

  describe('JSON null params mean "absent" unless the field takes null', () => {
    it('common:getNodes with {"uuid":null} or [null] answers every visible node keyed by uuid', async () => {
      const a = await addNode(s, admin, 'null-a');
      const b = await addNode(s, admin, 'null-b');
      for (const params of [{ uuid: null }, [null]]) {
        const res = await rpc(s.url, 'common:getNodes', params);
        assert.equal(res.error, undefined, JSON.stringify(res));
        assert.ok(res.result && typeof res.result === 'object' && !Array.isArray(res.result));
        assert.equal(res.result[a]?.name, 'null-a');
        assert.equal(res.result[b]?.name, 'null-b');
        for (const [k, v] of Object.entries(res.result)) assert.equal((v as { uuid: string }).uuid, k);
      }
    });

    it('POST /api/admin/session/remove {"session":null} answers 400 session is required', async () => {
      const res = await http(s.url, '/api/admin/session/remove', { method: 'POST', cookie: admin, body: { session: null } });
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(res.json, { status: 'error', message: 'session is required' });
    });

    it('POST /api/admin/client/add {"name":null} makes client_<uuid8>, while {"expired_at":null} on edit still clears a set date', async () => {
      const add = await http(s.url, '/api/admin/client/add', { method: 'POST', cookie: admin, body: { name: null } });
      assert.equal(add.status, 200, add.text);
      assert.equal(add.json.status, 'success');
      const uuid = add.json.uuid as string;
      assert.equal((await getNode(s, admin, uuid)).name, `client_${uuid.slice(0, 8)}`);

      const edit = (body: unknown) => http(s.url, `/api/admin/client/${uuid}/edit`, { method: 'POST', cookie: admin, body });
      assert.equal((await edit({ expired_at: '2030-01-01T00:00:00Z' })).status, 200);
      assert.equal((await getNode(s, admin, uuid)).expired_at, '2030-01-01T00:00:00Z');
      const cleared = await edit({ expired_at: null });
      assert.equal(cleared.status, 200, cleared.text);
      assert.equal((await getNode(s, admin, uuid)).expired_at, null);
    });
  });

  describe('a JSON-RPC id of 1e400 (beyond float64) is a parse error', () => {
    const text = '{"jsonrpc":"2.0","method":"rpc.ping","id":1e400}';

    it('over POST /api/rpc2: HTTP 400, -32700 invalid json, and no id key', async () => {
      const res = await http(s.url, '/api/rpc2', { method: 'POST', body: text });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.error.code, -32700);
      assert.equal(res.json.error.message, 'invalid json');
      assert.ok(!Object.hasOwn(res.json, 'id'), res.text);
      assert.ok(!Object.hasOwn(res.json, 'result'), res.text);
    });

    it('over the WebSocket: a -32700 reply with no id, and the socket stays usable', async () => {
      const ws: WebSocket = await openWs(`${s.url.replace(/^http/, 'ws')}/api/rpc2`, { origin: s.url });
      try {
        const reply = await ask(ws, text);
        assert.equal(reply.error?.code, -32700, JSON.stringify(reply));
        assert.equal(reply.error.message, 'invalid json');
        assert.ok(!Object.hasOwn(reply, 'id'), JSON.stringify(reply));
        assert.deepEqual(await ask(ws, '{"jsonrpc":"2.0","method":"rpc.ping","id":2}'), { jsonrpc: '2.0', id: 2, result: 'pong' });
      } finally {
        ws.terminate();
      }
    });
  });

  it('POST /api/admin/settings with a value nested 5000 deep answers 400 nested too deeply and stores nothing', async () => {
    const body = '{"x":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
    assert.doesNotThrow(() => JSON.parse(body), 'this Node parses the body itself');
    const res = await http(s.url, '/api/admin/settings', { method: 'POST', cookie: admin, body });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.status, 'error');
    assert.match(res.json.message, /nested too deeply/);
    const settings = await http(s.url, '/api/admin/settings', { cookie: admin });
    assert.equal(settings.status, 200);
    assert.ok(!Object.hasOwn(settings.json.data, 'x'));
  });

  describe('login body errors', () => {
    it('an empty body answers 400 Invalid request body: EOF', async () => {
      const res = await http(s.url, '/api/login', { method: 'POST', body: '' });
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(res.json, { status: 'error', message: 'Invalid request body: EOF' });
    });

    it('a [] body answers 400 Invalid request body: … with no empty field path (": : ")', async () => {
      const res = await http(s.url, '/api/login', { method: 'POST', body: '[]' });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.status, 'error');
      assert.ok(String(res.json.message).startsWith('Invalid request body: '), res.json.message);
      assert.ok(!String(res.json.message).includes(': : '), res.json.message);
    });
  });
});
