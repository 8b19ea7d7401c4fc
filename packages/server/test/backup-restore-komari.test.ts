import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { sharedFixtureDir, sharedFixture as fx } from './helpers/komari-fixture.ts';
import { uploadBackup } from './helpers/restore.ts';
import { http, sessionCookieOf, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

// The real Komari 1.4.3 backup given to the restore route of a running komari-ts: it is converted
// into a fresh komari-ts database in staging and swapped in live. Komari's admin logs in with
// Komari's password, its API key works, an agent holding one of its tokens reports, and the
// history of Komari's metric store answers on the records API.

describe('restoring a real Komari backup through the chunked upload', () => {
  let s: TestServer;
  let cookie: string;
  let status: any;
  const bearer = { authorization: `Bearer ${fx.api_key}` };

  before(async () => {
    // the fixture was made on 2026-12-07 around 01:00 UTC; a clock shortly after keeps its minutes in the finest tier
    ({ s, cookie } = await startWithAdmin({ clock: new ManualClock('2026-12-07T01:30:00Z') }));
    const res = await uploadBackup(s, cookie, readFileSync(join(sharedFixtureDir, 'backup.zip')), 'komari-backup.zip');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data.kind, 'komari');
    assert.equal(res.json.data.applied, 'live');
    assert.equal(res.json.data.report.source.schema, '1.4.3');
    await eventually(async () => {
      try {
        const answer = await http(s.url, '/api/admin/backup/status', { headers: bearer });
        status = answer.json?.data;
        return answer.status === 200 && status.restoring === false && status.last !== null;
      } catch {
        return false; // between the old app's close and the new one's listen
      }
    }, 20_000);
  });
  after(() => s?.dispose());

  it('reports the outcome with the import report: every node and ping task, Komari’s schema', () => {
    assert.equal(status.last.ok, true, status.last.message);
    assert.equal(status.last.kind, 'komari');
    assert.equal(status.last.report.mode, 'fresh');
    assert.equal(status.last.report.imported.nodes, fx.nodes.length);
    assert.equal(status.last.report.imported.pingTasks, fx.ping_tasks.length);
    assert.equal(status.last.report.imported.clipboard, fx.clipboard.length);
  });

  it('the server’s own admin is gone; Komari’s logs in with Komari’s password', async () => {
    const old = await http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password: s.adminPassword } });
    assert.equal(old.status, 401);
    const res = await http(s.url, '/api/login', { method: 'POST', body: fx.admin });
    assert.equal(res.status, 200, res.text);
    const me = await http(s.url, '/api/me', { cookie: sessionCookieOf(res.headers)! });
    assert.equal(me.json.username, fx.admin.username);
  });

  it('keeps every node’s uuid, token and fields; settings come over', async () => {
    const list = await http(s.url, '/api/admin/client/list', { headers: bearer });
    assert.equal(list.status, 200, list.text);
    for (const want of fx.nodes) {
      const got = list.json.find((n: any) => n.uuid === want.uuid);
      assert.ok(got, want.name);
      assert.equal(got.token, want.token);
      assert.equal(got.name, want.name);
      if (want.group) assert.equal(got.group, want.group);
    }
    const settings = await http(s.url, '/api/admin/settings/', { headers: bearer });
    assert.equal(settings.json.data.sitename, fx.settings.sitename);
  });

  it('an agent holding a Komari token reports to komari-ts without being touched', async () => {
    const node = fx.nodes[1];
    const agent = await V1Agent.connect(s, node.token);
    try {
      agent.report({ cpu: { usage: 42 } });
      await eventually(() => s.ctx.live.latest(node.uuid)?.report.cpu.usage === 42);
    } finally {
      await agent.close();
    }
  });

  it("Komari's load and ping history answers on the records API", async () => {
    const tokyo = fx.nodes[0].uuid;
    const load = await http(s.url, `/api/records/load?uuid=${tokyo}&hours=4`, { headers: bearer });
    assert.equal(load.status, 200, load.text);
    assert.ok(load.json.data.count > 0, load.text);
    const ping = await http(s.url, `/api/records/ping?uuid=${tokyo}&hours=4`, { headers: bearer });
    assert.equal(ping.status, 200, ping.text);
    assert.ok(ping.json.data.count > 0, ping.text);
  });
});
