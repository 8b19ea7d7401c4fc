import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ImportReport } from '@komari-ts/protocol/import-report';
import { systemClock } from '../src/clock.ts';
import { importKomari } from '../src/import/komari/import-komari.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/types.ts';
import { feedOf, sampleReport } from './helpers/agent-common.ts';
import { extractSharedFixture, sharedFixture as fx } from './helpers/komari-fixture.ts';
import { dumpStore } from './helpers/store-dump.ts';
import { http, sessionCookieOf, startTestServer } from './helpers/server.ts';
import { v2Post } from './helpers/v2-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

// Issue 14 §2: the real Komari 1.4.3 backup, imported into a new komari-ts database and checked
// item by item against fixture.json; then a second import changes nothing, and a server started
// over it logs the admin in with the Komari password and accepts the fixture's agents.

describe('import of the shared Komari 1.4.3 backup', () => {
  let source: Awaited<ReturnType<typeof extractSharedFixture>>;
  let dir: string;
  let store: Store;
  let report: ImportReport;
  let importMs: number;

  before(async () => {
    source = await extractSharedFixture();
    dir = mkdtempSync(join(tmpdir(), 'komari-import-'));
    store = openSqliteStore(join(dir, 'komari.db'));
    const t0 = performance.now();
    report = await importKomari(source, store, { clock: systemClock });
    importMs = performance.now() - t0;
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(source.dir, { recursive: true, force: true });
  });

  it('reads the schema as 1.4.3 and reports what it brought, per kind, in the measured time', (t) => {
    t.diagnostic(`fixture import: ${importMs.toFixed(1)} ms (report: ${report.durationMs} ms)`);
    assert.equal(report.source.schema, '1.4.3');
    assert.equal(report.mode, 'fresh');
    const { loadSeries, loadPoints, pingSeries, pingPoints, ...rows } = report.imported;
    assert.deepEqual(rows, {
      nodes: 3, accounts: 1, settings: 40, messageSenders: 1, pingTasks: 2, offlineRules: 2, loadRules: 1, clipboard: 1, auditLog: 12,
    });
    // the two reporting nodes' load series and both tasks' results (import-komari-history.test.ts checks every point)
    assert.deepEqual([loadSeries, pingSeries], [2, 3]);
    assert.ok(loadPoints! > 0 && pingPoints! > 0, JSON.stringify(report.imported));
    assert.deepEqual(report.skipped.map((s) => s.kind), ['sessions']);
    assert.match(report.skipped[0]!.reason, /2 login session\(s\) are not carried over/);
  });

  it('brings every node with its uuid, token and every field fixture.json names', async () => {
    const nodes = await store.nodes.list();
    assert.deepEqual(nodes.map((n) => n.uuid), fx.nodes.map((n: any) => n.uuid), 'in Komari\'s order');
    for (const want of fx.nodes) {
      const n = (await store.nodes.get(want.uuid))!;
      assert.equal(n.token, want.token);
      assert.equal(n.name, want.name);
      assert.equal(n.group, want.group ?? '');
      assert.equal(n.tags, want.tags ?? '');
      assert.equal(n.price, want.price ?? 0);
      assert.equal(n.currency, want.currency ?? '$');
      assert.equal(n.billing_cycle, want.billing_cycle ?? 0);
      assert.equal(n.auto_renewal, want.auto_renewal ?? false);
      assert.equal(n.expired_at, want.expired_at ? Date.parse(want.expired_at) : null);
      assert.equal(n.traffic_limit, want.traffic_limit ?? 0);
      assert.equal(n.traffic_limit_type, want.traffic_limit_type ?? 'max');
      assert.equal(n.public_remark, want.public_remark ?? '');
      assert.equal(n.remark, want.remark ?? '');
      assert.equal(n.weight, want.weight ?? 0);
      assert.equal(n.hidden, want.hidden ?? false);
    }
    const tokyo = (await store.nodes.get(fx.nodes[0].uuid))!;
    assert.equal(tokyo.os, 'Debian GNU/Linux 12 (bookworm)', 'what the agent reported comes too');
    assert.equal(tokyo.mem_total, 25276194816);
    assert.equal(tokyo.created_at, Date.parse('2026-12-07T01:00:41.269Z'), 'Komari\'s text time as Unix ms');
  });

  it('keeps the admin with Komari\'s hash, and the API key and settings', async () => {
    const admin = (await store.accounts.byUsername(fx.admin.username))!;
    assert.equal(admin.passwordHash, '3rwVCOuAMk5Kx2Z/PZnEejKILmwilyA9NANt/0IyN44=', 'base64 SHA-256, replaced at the first login');
    assert.equal(admin.uuid, 'e26d9d9f-dd37-4869-8968-40f8b2218f56');
    assert.equal(admin.twoFactor, '');
    const settings = await store.settings.all();
    assert.equal(settings.api_key, fx.api_key);
    for (const [k, v] of Object.entries(fx.settings)) assert.deepEqual(settings[k], v, k);
    assert.equal(settings.system_version, '1.4.3-bf6b45e', 'keys komari-ts does not know are kept');
    assert.equal(settings.metric_rollup_hour_retention_hours, 600);
  });

  it('brings the message sender, the ping tasks with their Komari ids, the offline and load rules', async () => {
    const sender = await store.alerts.senderConfig(fx.message_sender.name);
    assert.deepEqual(JSON.parse(sender!.addition), fx.message_sender.addition);
    const tasks = await store.ping.tasks.list();
    assert.deepEqual(tasks.map((t) => t.id), [1, 2]);
    for (const [i, want] of fx.ping_tasks.entries()) {
      const t = tasks[i]!;
      assert.deepEqual([t.name, t.type, t.interval, t.clients], [want.name, want.type, want.interval, want.clients]);
      assert.match(t.target, want.type === 'tcp' ? /^127\.0\.0\.1:\d+$/ : /^http:\/\/127\.0\.0\.1:\d+\/ping$/);
    }
    const offline = await store.alerts.offlineRules();
    const want = fx.offline_notifications[0];
    const rule = offline.find((r) => r.client === want.client)!;
    assert.deepEqual([rule.enable, rule.gracePeriod], [want.enable, want.grace_period]);
    const [load] = await store.alerts.loadRules();
    const wl = fx.load_notifications[0];
    assert.deepEqual(
      [load!.name, load!.clients, load!.metric, load!.threshold, load!.ratio, load!.interval],
      [wl.name, wl.clients, wl.metric, wl.threshold, wl.ratio, wl.interval],
    );
  });

  it('brings the clipboard with its times in Unix ms, and the audit log', async () => {
    const [entry] = await store.clipboard.list();
    const want = fx.clipboard[0];
    assert.deepEqual([entry!.name, entry!.text, entry!.remark, entry!.weight], [want.name, want.text, want.remark, want.weight]);
    assert.equal(entry!.createdAt, Date.parse('2026-12-07T01:00:41.310Z'));
    assert.equal(entry!.updatedAt, entry!.createdAt);
    assert.equal(await store.audit.count(), 12);
    const [newest] = await store.audit.list({ limit: 1, offset: 0 });
    assert.equal(newest!.time, Date.parse('2026-12-07T01:03:15.010Z'));
    assert.equal(newest!.msgType, 'error');
  });

  it('a second import changes nothing and reports everything as already there', async () => {
    const before = await dumpStore(store);
    const again = await importKomari(source, store, { clock: systemClock });
    assert.deepEqual(again.imported, {});
    assert.deepEqual(again.alreadyPresent, report.imported);
    assert.equal(again.mode, 'fresh', 'the target\'s nodes all came from this database');
    assert.deepEqual(await dumpStore(store), before);
  });

  it('a server started over it logs the admin in with the Komari password (the hash becomes ours) and accepts the fixture\'s agents', async () => {
    await store.close();
    const s = await startTestServer({ dir });
    try {
      const login = await http(s.url, '/api/login', { method: 'POST', body: { username: fx.admin.username, password: fx.admin.password } });
      assert.equal(login.status, 200, login.text);
      assert.match((await s.ctx.store.accounts.byUsername('admin'))!.passwordHash, /^argon2id\$/);
      const again = await http(s.url, '/api/login', { method: 'POST', body: { username: fx.admin.username, password: fx.admin.password } });
      assert.equal(again.status, 200, 'the new hash verifies the same password');

      const list = await http(s.url, '/api/admin/client/list', { headers: { authorization: `Bearer ${fx.api_key}` } });
      assert.equal(list.status, 200);
      assert.deepEqual(list.json.map((n: any) => n.token), fx.nodes.map((n: any) => n.token));

      const [tokyo, frankfurt] = fx.nodes;
      const v1 = await http(s.url, `/api/clients/report?token=${tokyo.token}`, { method: 'POST', body: sampleReport({ uptime: 11 }) });
      assert.deepEqual([v1.status, v1.json], [200, { status: 'success' }]);
      const v2 = await v2Post(s, frankfurt.token, { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport({ uptime: 22 }) }, id: 1 });
      assert.equal(v2.json.result.status, 'success');
      const feed = await feedOf(s.url);
      assert.ok(feed.online.includes(tokyo.uuid));
      assert.equal(feed.data[tokyo.uuid].uptime, 11);
      assert.ok(!feed.online.includes(frankfurt.uuid), 'frankfurt came over hidden: guests do not see it');
      const cookie = sessionCookieOf(login.headers);
      const recent = await http(s.url, `/api/recent/${frankfurt.uuid}`, { cookie });
      assert.equal(recent.json.data.at(-1).uptime, 22);
    } finally {
      await s.stop();
    }
  });
});
