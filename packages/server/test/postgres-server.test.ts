import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addNode, sampleReport } from './helpers/agent-common.ts';
import { freshPgSchema, pgSkipReason, testPgUrl } from './helpers/postgres.ts';
import { http, startTestServer, type TestServer } from './helpers/server.ts';
import { v2Post } from './helpers/v2-agent.ts';

const report = (id: number) => ({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport({ cpu: { usage: 42.5 } }) }, id });

describe('the server on PostgreSQL (issue 16)', { skip: testPgUrl ? undefined : pgSkipReason }, () => {
  let schema: Awaited<ReturnType<typeof freshPgSchema>>;
  const dir = mkdtempSync(join(tmpdir(), 'komari-pg-server-'));
  let s: TestServer;
  let cookie = '';
  let node = { uuid: '', token: '' };
  const start = () => startTestServer({ dir, pg: { url: testPgUrl, schema: schema.schema } });

  before(async () => {
    schema = await freshPgSchema();
    s = await start();
  });
  after(async () => {
    await s?.stop();
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs on the postgres engine and its first start creates the admin, who can log in', async () => {
    assert.equal(s.ctx.store.engine, 'postgres');
    const { rows } = await schema.pool.query<{ username: string }>('SELECT username FROM accounts');
    assert.deepEqual(rows.map((r) => r.username), [s.adminUsername]);
    cookie = await s.login();
    assert.ok(cookie);
  });

  it('a node is added, a v2 agent reports, and /api/recent and /api/records/load show it after a history flush', async () => {
    node = await addNode(s, cookie, 'pg-node');
    const res = await v2Post(s, node.token, report(1));
    assert.equal(res.status, 200, res.text);
    const recent = await http(s.url, `/api/recent/${node.uuid}`);
    assert.equal(recent.status, 200, recent.text);
    assert.equal(recent.json.data.length, 1);
    assert.equal(recent.json.data[0].cpu.usage, 42.5);
    await s.ctx.history.flush();
    const { rows } = await schema.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM history_buckets');
    assert.ok(Number(rows[0]!.n) > 0, 'the flush wrote history rows into PostgreSQL');
    const records = await http(s.url, `/api/records/load?uuid=${node.uuid}&hours=1`, { cookie });
    assert.equal(records.status, 200, records.text);
    assert.equal(records.json.data.records.length, 1);
    assert.equal(records.json.data.records[0].cpu, 42.5);
  });

  it('settings round trip', async () => {
    const set = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { sitename: 'On PostgreSQL' } });
    assert.equal(set.status, 200, set.text);
    const got = await http(s.url, '/api/admin/settings', { cookie });
    assert.equal(got.json.data.sitename, 'On PostgreSQL');
  });

  it('a backup downloads (a SQLite snapshot of the PostgreSQL data); dropped as data/backup.zip it is refused on PostgreSQL, kept aside', async () => {
    const res = await fetch(`${s.url}/api/admin/download/backup`, { headers: { cookie: `session_token=${cookie}` } });
    assert.equal(res.status, 200);
    const zip = Buffer.from(await res.arrayBuffer());
    assert.equal(zip.subarray(0, 2).toString(), 'PK');
    writeFileSync(join(dir, 'backup.zip'), zip);
  });

  it('after a restart on the same schema the node, the settings and the history are still there, and no second admin is made', async () => {
    await s.stop();
    s = await start();
    cookie = await s.login();
    const nodes = await http(s.url, '/api/nodes');
    assert.deepEqual(nodes.json.data.map((n: { uuid: string }) => n.uuid), [node.uuid]);
    assert.equal((await http(s.url, '/api/admin/settings', { cookie })).json.data.sitename, 'On PostgreSQL');
    const records = await http(s.url, `/api/records/load?uuid=${node.uuid}&hours=1`, { cookie });
    assert.equal(records.json.data.records[0].cpu, 42.5);
    const { rows } = await schema.pool.query('SELECT 1 FROM accounts');
    assert.equal(rows.length, 1);
    assert.ok(readdirSync(join(dir, 'backup')).some((f) => /^refused-.*\.zip$/.test(f)), 'the dropped backup was refused and kept');
  });
});
