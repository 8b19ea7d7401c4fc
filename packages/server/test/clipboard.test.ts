import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DatabaseSync } from 'node:sqlite';
import { ManualClock } from './helpers/clock.ts';
import { http, rpc, startWithAdmin, type HttpOptions, type TestServer } from './helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const ok = { status: 'success', message: '' };
const apiKey = 'clipboard-Qm3v81pzk2Lx7d--T5aR0Ynw9Hc4';
const wireKeys = ['id', 'text', 'name', 'weight', 'remark', 'created_at', 'updated_at'];

describe('clipboard: saved commands over REST and RPC (admin-api.md §9)', () => {
  let s: TestServer;
  let cookie: string;
  let adminUuid: string;
  const clock = new ManualClock('2026-12-07T01:00:41.310Z');
  const admin = (path: string, o: HttpOptions = {}) => http(s.url, `/api/admin/clipboard${path}`, { cookie, ...o });
  const post = (path: string, body?: unknown) => admin(path, { method: 'POST', body });
  const call = (method: string, params?: unknown) => rpc(s.url, method, params, { cookie });
  const list = async (): Promise<any[]> => (await admin('')).json.data;
  const logs = async (): Promise<{ message: string; msg_type: string; uuid: string }[]> =>
    (await http(s.url, '/api/admin/logs?limit=1000', { cookie })).json.data.logs;
  const lastLog = async () => {
    const [l] = await logs();
    return { message: l!.message, msg_type: l!.msg_type, uuid: l!.uuid };
  };
  const create = async (body: Record<string, unknown>): Promise<any> => {
    const res = await post('', body);
    assert.equal(res.status, 200, res.text);
    return res.json.data;
  };

  /** A bad input over REST: `status` with exactly `message`; no entry and no audit line changed. */
  async function refused(method: 'GET' | 'POST', path: string, body: unknown, message: string | RegExp, status = 400): Promise<void> {
    const [entriesBefore, logsBefore] = [await list(), (await logs()).length];
    const res = await admin(path, { method, body });
    assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
    assert.equal(res.json.status, 'error');
    if (typeof message === 'string') assert.equal(res.json.message, message);
    else assert.match(res.json.message, message);
    assert.deepEqual(Object.keys(res.json), ['status', 'message']);
    assert.deepEqual(await list(), entriesBefore, 'no entry changed');
    assert.equal((await logs()).length, logsBefore, 'nothing audited');
  }

  /** The same over RPC: -32602 / -32044 with exactly `message`, and nothing changed. */
  async function rpcRefused(method: string, params: unknown, message: string | RegExp, code = -32602): Promise<void> {
    const entriesBefore = await list();
    const res = await call(method, params);
    assert.equal(res.result, undefined);
    assert.equal(res.error?.code, code, JSON.stringify(res));
    if (typeof message === 'string') assert.equal(res.error.message, message);
    else assert.match(res.error!.message, message);
    assert.deepEqual(await list(), entriesBefore, 'no entry changed');
  }

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ clock }));
    adminUuid = (await http(s.url, '/api/me', { cookie })).json.uuid;
  });
  after(() => s.dispose());

  it('an empty clipboard lists as data [] over REST and result [] over RPC', async () => {
    const res = await admin('');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { ...ok, data: [] });
    assert.deepEqual((await call('admin:listClipboard')).result, []);
  });

  it('create answers the entry with its id and Komari times; get and list show it; audited "create clipboard:<id>" (info)', async () => {
    const res = await post('', { name: 'update', text: 'apt update && apt upgrade -y', remark: 'weekly', weight: 2 });
    assert.equal(res.status, 200, res.text);
    const entry = {
      id: 1, text: 'apt update && apt upgrade -y', name: 'update', weight: 2, remark: 'weekly',
      created_at: '2026-12-07T01:00:41.31Z', updated_at: '2026-12-07T01:00:41.31Z',
    };
    assert.deepEqual(res.json, { ...ok, data: entry });
    assert.deepEqual(Object.keys(res.json.data), wireKeys);
    assert.deepEqual(await lastLog(), { message: 'create clipboard:1', msg_type: 'info', uuid: adminUuid });

    assert.deepEqual((await admin('/1')).json, { ...ok, data: entry });
    assert.deepEqual(await list(), [entry]);
    assert.deepEqual((await call('admin:getClipboard', { id: '1' })).result, entry);
    assert.deepEqual((await call('admin:listClipboard')).result, [entry]);
  });

  it('create over RPC takes named params; name, remark and weight default to empty; an id given is not used', async () => {
    clock.advance(1000);
    const res = await call('admin:createClipboard', { id: 77, text: 'uptime' });
    assert.deepEqual(res.result, {
      id: 2, text: 'uptime', name: '', weight: 0, remark: '', created_at: '2026-12-07T01:00:42.31Z', updated_at: '2026-12-07T01:00:42.31Z',
    });
    assert.deepEqual(await lastLog(), { message: 'create clipboard:2', msg_type: 'info', uuid: adminUuid });
    assert.equal((await call('admin:getClipboard', { id: '77' })).error?.code, -32044);
  });

  it('update sets only the fields given and updated_at; id and created_at in the body are ignored; audited (info)', async () => {
    clock.advance(5000);
    const stale = '2000-01-01T00:00:00Z';
    const res = await post('/1', { name: 'upgrade', weight: 3, id: 2, created_at: stale, updated_at: stale });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, ok);
    const [one, two] = await list();
    assert.deepEqual(one, {
      id: 1, text: 'apt update && apt upgrade -y', name: 'upgrade', weight: 3, remark: 'weekly',
      created_at: '2026-12-07T01:00:41.31Z', updated_at: '2026-12-07T01:00:47.31Z',
    });
    assert.equal(two.name, '', 'the id in the body did not pick another entry');
    assert.deepEqual(await lastLog(), { message: 'update clipboard:1', msg_type: 'info', uuid: adminUuid });

    // Over RPC the id is a string; a successful call has neither `result` nor `error` (rpc2.md).
    const updated = await call('admin:updateClipboard', { id: '1', Remark: 'monthly', text: 'apt full-upgrade' });
    assert.deepEqual(updated, { jsonrpc: '2.0', id: 1 });
    assert.equal((await list())[0].remark, 'monthly', 'a Go field name (Remark) is the column, as gorm reads it');
    assert.equal((await list())[0].text, 'apt full-upgrade');
    assert.deepEqual(await lastLog(), { message: 'update clipboard:1', msg_type: 'info', uuid: adminUuid });
  });

  it('delete removes one entry, over REST and RPC; audited "delete clipboard:<id>" (warn)', async () => {
    const a = await create({ text: 'df -h' });
    const b = await create({ text: 'free -m' });
    const res = await post(`/${a.id}/remove`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, ok);
    assert.deepEqual(await lastLog(), { message: `delete clipboard:${a.id}`, msg_type: 'warn', uuid: adminUuid });
    assert.deepEqual(await call('admin:deleteClipboard', { id: String(b.id) }), { jsonrpc: '2.0', id: 1 });
    assert.deepEqual(await lastLog(), { message: `delete clipboard:${b.id}`, msg_type: 'warn', uuid: adminUuid });
    assert.deepEqual((await list()).map((e) => e.id), [1, 2]);
  });

  it('POST /clipboard/remove is the batch delete, never an update of id "remove"; audited with the count sent (warn)', async () => {
    const a = await create({ text: 'ls', name: 'a' });
    const b = await create({ text: 'pwd', name: 'b' });
    // An update-shaped body meets the batch delete's check, not the update's "Invalid ID".
    await refused('POST', '/remove', { name: 'x' }, 'IDs cannot be empty');
    const res = await post('/remove', { ids: [a.id, b.id] });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, ok);
    assert.deepEqual((await list()).map((e) => e.id), [1, 2]);
    assert.deepEqual(await lastLog(), { message: 'batch delete clipboard: 2 items', msg_type: 'warn', uuid: adminUuid });
    // Only POST has the static route: GET /clipboard/remove is a get of id "remove".
    await refused('GET', '/remove', undefined, 'Invalid ID');
  });

  it('batch delete skips ids that do not exist and counts the ids sent, as Komari; RPC takes {ids} and [ids]', async () => {
    const a = await create({ text: 'whoami' });
    assert.equal((await post('/remove', { ids: [a.id, 999] })).status, 200);
    assert.deepEqual((await list()).map((e) => e.id), [1, 2]);
    assert.equal((await lastLog()).message, 'batch delete clipboard: 2 items');
    const b = await create({ text: 'id' });
    const c = await create({ text: 'uname -a' });
    assert.deepEqual(await call('admin:batchDeleteClipboard', { ids: [b.id] }), { jsonrpc: '2.0', id: 1 });
    assert.deepEqual(await call('admin:batchDeleteClipboard', [[c.id]]), { jsonrpc: '2.0', id: 1 });
    assert.deepEqual((await list()).map((e) => e.id), [1, 2]);
  });

  it('RPC ids are strings: a JSON number is Komari\'s "Invalid ID" and changes nothing; positional and scalar strings work', async () => {
    await rpcRefused('admin:getClipboard', { id: 1 }, 'Invalid ID');
    await rpcRefused('admin:getClipboard', {}, 'Invalid ID');
    await rpcRefused('admin:updateClipboard', { id: 1, name: 'changed' }, 'Invalid ID');
    await rpcRefused('admin:deleteClipboard', { id: 1 }, 'Invalid ID');
    await rpcRefused('admin:deleteClipboard', [1], 'Invalid ID');
    await rpcRefused('admin:getClipboard', { id: '999' }, 'Failed to get clipboard: record not found', -32044);
    await rpcRefused('admin:updateClipboard', ['1'], /^Invalid request: /);
    assert.equal((await call('admin:getClipboard', ['1'])).result.id, 1);
    assert.equal((await call('admin:getClipboard', '1')).result.id, 1);
  });

  it('bad input on create gets a clear 400 and changes nothing', async () => {
    await refused('POST', '', {}, 'text is required');
    await refused('POST', '', { name: 'no command' }, 'text is required');
    await refused('POST', '', { text: ' \n\t' }, 'text is required');
    await refused('POST', '', { text: 5 }, /^Invalid request: text: /);
    await refused('POST', '', { text: 'ls', weight: 1.5 }, /^Invalid request: weight: /);
    await refused('POST', '', { text: 'ls', weight: '3' }, /^Invalid request: weight: /);
    await refused('POST', '', { text: 'ls', name: ['x'] }, /^Invalid request: name: /);
    await refused('POST', '', { text: 'ls', name: 'n'.repeat(256) }, 'name must be at most 255 characters');
    await refused('POST', '', { text: 'x'.repeat(65_537) }, 'text must be at most 65536 bytes');
    await refused('POST', '', { text: 'é'.repeat(32_769) }, 'text must be at most 65536 bytes');
    await refused('POST', '', { text: 'ls', remark: 'r'.repeat(65_537) }, 'remark must be at most 65536 bytes');
    await refused('POST', '', '{"text":', 'Invalid or missing request body');
    // At the bounds it is accepted (a name of 255 characters, each of them outside the BMP).
    const edge = await create({ text: 'x'.repeat(65_536), name: '😀'.repeat(255), remark: 'r'.repeat(65_536) });
    assert.equal((await post('/remove', { ids: [edge.id] })).status, 200);
  });

  it('bad input on get, update and delete gets a clear 400 or 404 and changes nothing', async () => {
    await refused('GET', '/abc', undefined, 'Invalid ID');
    await refused('GET', '/1.5', undefined, 'Invalid ID');
    await refused('GET', '/999', undefined, 'Failed to get clipboard: record not found', 404);
    await refused('POST', '/abc', { name: 'x' }, 'Invalid ID');
    await refused('POST', '/999', { name: 'x' }, 'Failed to update clipboard: record not found', 404);
    await refused('POST', '/1', { name: 'x', color: 'red' }, 'Unknown field: color');
    await refused('POST', '/1', { text: '' }, 'text is required');
    await refused('POST', '/1', { weight: 'heavy' }, /^Invalid request: weight: /);
    await refused('POST', '/1', { name: 'n'.repeat(256) }, 'name must be at most 255 characters');
    await refused('POST', '/1', { text: 'x'.repeat(65_537) }, 'text must be at most 65536 bytes');
    await refused('POST', '/1', '[1]', 'Invalid or missing request body');
    await refused('POST', '/abc/remove', undefined, 'Invalid ID');
    await refused('POST', '/999/remove', undefined, 'Failed to delete clipboard: record not found', 404);
    await refused('POST', '/remove', {}, 'IDs cannot be empty');
    await refused('POST', '/remove', { ids: [] }, 'IDs cannot be empty');
    await refused('POST', '/remove', { ids: ['1'] }, /^Invalid request: ids\.0: /);
    await refused('POST', '/remove', { ids: [1.5] }, /^Invalid request: ids\.0: /);
    await refused('POST', '/remove', { ids: 1 }, /^Invalid request: ids: /);
  });

  it('guests, expired sessions and wrong keys get 401 on every route and -32041 over RPC; nothing changes', async () => {
    const entries = await list();
    const routes: [string, string, unknown][] = [
      ['GET', '', undefined], ['POST', '', { text: 'rm -rf /' }], ['POST', '/remove', { ids: [1] }],
      ['GET', '/1', undefined], ['POST', '/1', { text: 'rm -rf /' }], ['POST', '/1/remove', undefined],
    ];
    for (const headers of [{}, { cookie: 'session_token=expired' }, { authorization: 'Bearer wrong-key' }] as Record<string, string>[]) {
      for (const [method, path, body] of routes) {
        const res = await http(s.url, `/api/admin/clipboard${path}`, { method, body, headers });
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.deepEqual(res.json, { status: 'error', message: 'Unauthorized.' });
      }
    }
    for (const [method, params] of [
      ['admin:listClipboard', {}],
      ['admin:getClipboard', { id: '1' }],
      ['admin:createClipboard', { text: 'rm -rf /' }],
      ['admin:updateClipboard', { id: '1', text: 'rm -rf /' }],
      ['admin:deleteClipboard', { id: '1' }],
      ['admin:batchDeleteClipboard', { ids: [1] }],
    ] as const) {
      assert.deepEqual((await rpc(s.url, method, params)).error, { code: -32041, message: 'Permission denied' }, method);
    }
    assert.deepEqual(await list(), entries);
  });

  it('the API key may use the clipboard; its audit lines carry an empty actor, as RPC-bridged handlers do in Komari', async () => {
    assert.equal((await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { api_key: apiKey } })).status, 200);
    const headers = { authorization: `Bearer ${apiKey}` };
    const res = await http(s.url, '/api/admin/clipboard', { method: 'POST', headers, body: { text: 'date' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(await lastLog(), { message: `create clipboard:${res.json.data.id}`, msg_type: 'info', uuid: '' });
  });

  it("the table is Komari's clipboards, column for column, so a Komari import maps row to row", () => {
    const db = new DatabaseSync(s.dbPath, { readOnly: true });
    try {
      const columns = db.prepare('PRAGMA table_info(clipboards)').all().map((c) => c.name);
      assert.deepEqual(columns, wireKeys);
    } finally {
      db.close();
    }
  });
});

describe('clipboard: the entry count is bounded (limits.clipboard.maxEntries)', () => {
  let s: TestServer;
  let cookie: string;
  const post = (path: string, body: unknown) => http(s.url, `/api/admin/clipboard${path}`, { method: 'POST', cookie, body });
  const ids = async (): Promise<number[]> => (await http(s.url, '/api/admin/clipboard', { cookie })).json.data.map((e: any) => e.id);

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ limits: { clipboard: { maxEntries: 2 } } }));
  });
  after(() => s.dispose());

  it('creates made at once never pass the bound; past it a clear 400; a delete makes room again', async () => {
    const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => post('', { text: `echo ${i}` })));
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 200, 400, 400, 400]);
    for (const r of answers.filter((a) => a.status === 400)) {
      assert.deepEqual(r.json, { status: 'error', message: 'Too many clipboard entries (at most 2)' });
    }
    const [first, second] = await ids();
    assert.deepEqual(await ids(), [first, second]);
    const refused = await post('/remove', { ids: [first, second, 99] });
    assert.deepEqual([refused.status, refused.json.message], [400, 'Too many ids (at most 2)']);
    assert.deepEqual(await ids(), [first, second]);
    assert.equal((await post(`/${first}/remove`, undefined)).status, 200);
    assert.equal((await post('', { text: 'echo again' })).status, 200);
    assert.equal((await ids()).length, 2);
  });
});
