import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http, rpc, startTestServer, type TestServer } from './helpers/server.ts';

interface LogRow {
  id: number;
  ip: string;
  uuid: string;
  message: string;
  msg_type: string;
  time: string;
}

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d*[1-9])?Z$/;
const apiKey = 'audit-sM5q61ksoc8l3g--W6cC1Wpc0Ly4';

describe('audit log', () => {
  let s: TestServer;
  let admin: string;
  let adminUuid: string;
  const logs = async (query: string) => http(s.url, `/api/admin/logs${query}`, { cookie: admin });
  const allRows = async () => (await logs('?limit=1000')).json.data.logs as LogRow[];

  before(async () => {
    s = await startTestServer();
    admin = await s.login();
    adminUuid = (await http(s.url, '/api/me', { cookie: admin })).json.uuid;
    for (const name of ['first', 'second', 'third']) {
      const res = await http(s.url, '/api/admin/settings', { method: 'POST', cookie: admin, body: { [`audit_${name}`]: name } });
      assert.equal(res.status, 200, res.text);
    }
  });
  after(() => s.dispose());

  it('GET /api/admin/logs answers {logs, total} with Komari log objects', async () => {
    const res = await logs('?limit=2&page=1');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'success');
    assert.equal(res.json.message, '');
    assert.deepEqual(Object.keys(res.json.data).sort(), ['logs', 'total']);
    assert.equal(res.json.data.logs.length, 2);
    for (const row of res.json.data.logs as LogRow[]) {
      assert.deepEqual(Object.keys(row).sort(), ['id', 'ip', 'message', 'msg_type', 'time', 'uuid']);
      assert.equal(typeof row.id, 'number');
      assert.equal(typeof row.ip, 'string');
      assert.equal(typeof row.uuid, 'string');
      assert.match(row.time, rfc3339);
    }
  });

  it('rows come newest first and carry the actor uuid, ip and type', async () => {
    const rows = (await logs('?limit=2&page=1')).json.data.logs as LogRow[];
    assert.deepEqual(
      rows.map((r) => r.message),
      ['update settings: audit_third', 'update settings: audit_second'],
    );
    assert.ok(rows[0]!.id > rows[1]!.id);
    assert.ok(Date.parse(rows[0]!.time) >= Date.parse(rows[1]!.time));
    assert.equal(rows[0]!.uuid, adminUuid);
    assert.equal(rows[0]!.msg_type, 'info');
    assert.equal(rows[0]!.ip, '127.0.0.1');
  });

  it('page 2 continues where page 1 stopped and total counts every row', async () => {
    const all = await allRows();
    const p1 = (await logs('?limit=2&page=1')).json.data;
    const p2 = (await logs('?limit=2&page=2')).json.data;
    assert.equal(p1.total, all.length);
    assert.equal(p2.total, all.length);
    assert.deepEqual(
      [...p1.logs, ...p2.logs].map((r: LogRow) => r.id),
      all.slice(0, 4).map((r) => r.id),
    );
    assert.equal(p2.logs[0].message, 'update settings: audit_first');
    const beyond = (await logs(`?limit=2&page=${all.length + 1}`)).json.data;
    assert.deepEqual(beyond.logs, []);
    assert.equal(beyond.total, all.length);
  });

  it('limit defaults to 100 and page to 1', async () => {
    const res = await logs('');
    assert.equal(res.status, 200);
    assert.equal(res.json.data.logs.length, Math.min(100, res.json.data.total));
    assert.deepEqual(res.json.data.logs, await allRows());
  });

  for (const [query, message] of [
    ['?limit=0', 'Invalid limit: 0'],
    ['?limit=abc', 'Invalid limit: abc'],
    ['?limit=-5', 'Invalid limit: -5'],
    ['?limit=1.5', 'Invalid limit: 1.5'],
    ['?page=-1', 'Invalid page: -1'],
    ['?page=0', 'Invalid page: 0'],
    ['?limit=2&page=x', 'Invalid page: x'],
  ] as const) {
    it(`${query} is a 400 "${message}"`, async () => {
      const res = await logs(query);
      assert.equal(res.status, 400);
      assert.deepEqual(res.json, { status: 'error', message });
    });
  }

  it('the login is audited as msg_type login', async () => {
    const row = (await allRows()).find((r) => r.message === 'logged in (password)');
    assert.ok(row, 'login row');
    assert.equal(row.msg_type, 'login');
    assert.equal(row.uuid, adminUuid);
  });

  it('admin:getLogs over RPC filters by msg_type and counts only matching rows', async () => {
    await s.login(); // a second login row
    const r = await rpc(s.url, 'admin:getLogs', { limit: '10', page: '1', msg_type: 'login' }, { cookie: admin });
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    const rows = r.result.logs as LogRow[];
    assert.ok(rows.length >= 2);
    assert.ok(rows.every((row) => row.msg_type === 'login'));
    assert.equal(r.result.total, rows.length);
    const info = await rpc(s.url, 'admin:getLogs', { msg_type: 'info' }, { cookie: admin });
    assert.ok((info.result.logs as LogRow[]).every((row) => row.msg_type === 'info'));
    assert.ok(info.result.total >= 3);
  });

  it('admin:getLogs accepts positional params [limit, page, msg_type]', async () => {
    const r = await rpc(s.url, 'admin:getLogs', ['1', '1', 'login'], { cookie: admin });
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    assert.equal(r.result.logs.length, 1);
    assert.equal(r.result.logs[0].msg_type, 'login');
  });

  it('admin:getLogs over RPC rejects a bad limit with -32602', async () => {
    const r = await rpc(s.url, 'admin:getLogs', { limit: 'abc' }, { cookie: admin });
    assert.equal(r.error?.code, -32602);
    assert.equal(r.error?.message, 'Invalid limit: abc');
  });

  it('the REST route forwards only limit and page (msg_type in the query is ignored)', async () => {
    const all = (await logs('?limit=1000')).json.data.total;
    const filtered = (await logs('?limit=1000&msg_type=login')).json.data.total;
    assert.equal(filtered, all);
  });

  it('an API-key caller is audited with an empty actor uuid', async () => {
    await http(s.url, '/api/admin/settings', { method: 'POST', cookie: admin, body: { api_key: apiKey } });
    const res = await http(s.url, '/api/admin/settings', { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: { audit_by_key: 1 } });
    assert.equal(res.status, 200, res.text);
    const row = (await allRows()).find((r) => r.message === 'update settings: audit_by_key');
    assert.ok(row);
    assert.equal(row.uuid, '');
  });

  it('a guest cannot read the log', async () => {
    const res = await http(s.url, '/api/admin/logs');
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, { status: 'error', message: 'Unauthorized.' });
    const r = await rpc(s.url, 'admin:getLogs');
    assert.equal(r.error?.code, -32041);
  });
});
