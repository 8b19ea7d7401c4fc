import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { addNode, sampleReport } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, rpc, startWithAdmin, type TestServer } from './helpers/server.ts';

const fileSize = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? 0;

describe('database size and vacuum (admin-api.md §10)', () => {
  const clock = new ManualClock('2026-09-01T08:00:05Z');
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };
  before(async () => {
    ({ s, cookie } = await startWithAdmin({ clock }));
    node = await addNode(s, cookie, 'n');
  });
  after(() => s?.dispose());

  const loadRecords = async () => {
    const res = await http(s.url, `/api/records/load?uuid=${node.uuid}&hours=1`, { cookie });
    assert.equal(res.status, 200, res.text);
    return res.json.data.records as { cpu: number }[];
  };
  const latestAudit = async () => (await http(s.url, '/api/admin/logs?limit=1', { cookie })).json.data.logs[0];

  it('GET /database/size: Komari’s shape, the file with its WAL and shared memory, all local', async () => {
    const res = await http(s.url, '/api/admin/database/size', { cookie });
    assert.equal(res.status, 200, res.text);
    const onDisk = fileSize(s.dbPath) + fileSize(`${s.dbPath}-wal`) + fileSize(`${s.dbPath}-shm`);
    assert.ok(onDisk > 0);
    assert.deepEqual(res.json, {
      status: 'success',
      message: '',
      data: {
        type: 'sqlite',
        size: onDisk,
        main: { driver: 'sqlite', location: 'local', size: onDisk, action: 'vacuum' },
        local_total: onDisk,
      },
    });
  });

  it('POST /database/vacuum gives deleted space back and keeps every row, the open minute included', async () => {
    // Fill, flush, then delete most of it: free pages a vacuum can give back.
    for (let i = 0; i < 300; i++) {
      await http(s.url, '/api/admin/client/add', { method: 'POST', cookie, body: { name: `filler-${i}`, remark: 'x'.repeat(2000) } });
    }
    const list = (await http(s.url, '/api/admin/client/list', { cookie })).json as { uuid: string; name: string }[];
    for (const c of list.filter((c) => c.name.startsWith('filler-'))) {
      assert.equal((await http(s.url, `/api/admin/client/${c.uuid}/remove`, { method: 'POST', cookie })).status, 200);
    }
    // A report whose bucket is still only in memory when the vacuum starts.
    const post = await http(s.url, `/api/clients/report?token=${node.token}`, { method: 'POST', body: sampleReport({ cpu: { usage: 42 } }) });
    assert.equal(post.status, 200, post.text);

    const res = await http(s.url, '/api/admin/database/vacuum', { method: 'POST', cookie });
    assert.equal(res.status, 200, res.text);
    const d = res.json.data;
    assert.deepEqual(Object.keys(res.json), ['status', 'message', 'data']);
    assert.deepEqual(
      { ...d, before: typeof d.before, after: typeof d.after, size: typeof d.size, main: { ...d.main, before: typeof d.main.before, after: typeof d.main.after } },
      {
        before: 'number', after: 'number', size: 'number', all_succeeded: true,
        main: { driver: 'sqlite', action: 'vacuum', before: 'number', after: 'number', success: true },
      },
    );
    assert.ok(d.after < d.before, `${d.after} < ${d.before}`);
    assert.equal(d.size, d.after);
    assert.deepEqual([d.main.before, d.main.after], [d.before, d.after]);

    assert.deepEqual((await loadRecords()).map((r) => r.cpu), [42]);
    assert.equal((await http(s.url, `/api/admin/client/${node.uuid}`, { cookie })).json.name, 'n');
    assert.deepEqual(
      [(await latestAudit()).message, (await latestAudit()).msg_type],
      ['reclaimed database space', 'warn'],
    );
  });

  it('the server keeps working after a vacuum: reports are stored and survive a restart', async () => {
    clock.advance(60_000);
    await http(s.url, `/api/clients/report?token=${node.token}`, { method: 'POST', body: sampleReport({ cpu: { usage: 7 } }) });
    await s.stop();
    const { dir } = s;
    ({ s, cookie } = await startWithAdmin({ clock, dir }));
    assert.deepEqual((await loadRecords()).map((r) => r.cpu), [42, 7]);
  });

  it('a second vacuum while one runs gets Komari’s 500; over RPC the same methods answer', async () => {
    // Both calls in one tick, straight to the handler: HTTP requests would be served one after
    // the other, so the first would be over before the second starts.
    const vacuum = s.ctx.registry.get('admin:vacuumDatabase')!;
    const caller = { kind: 'apiKey', meta: { ip: '127.0.0.1', userAgent: '', tempKey: false, headerTwoFactorCode: '' } } as const;
    const [first, second] = await Promise.allSettled([vacuum.handler({}, { app: s.ctx, caller }), vacuum.handler({}, { app: s.ctx, caller })]);
    assert.equal(first.status, 'fulfilled');
    assert.equal(second.status, 'rejected');
    assert.deepEqual([second.reason.code, second.reason.message], [-32603, 'database maintenance is already in progress']);

    const size = await rpc(s.url, 'admin:getDatabaseSize', {}, { cookie });
    assert.equal(size.result.type, 'sqlite');
    const vac = await rpc(s.url, 'admin:vacuumDatabase', {}, { cookie });
    assert.equal(vac.result.all_succeeded, true);
  });
});
