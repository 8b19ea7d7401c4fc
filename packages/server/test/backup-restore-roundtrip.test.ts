import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { ingestReport, parseReport } from '../src/agents/ingest.ts';
import { defaultServerLimits } from '../src/config/limits.ts';
import { unpackBackup } from '../src/backup/unpack.ts';
import { addNode, eventually, sampleReport } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { afterRestore, downloadBackup, uploadBackup } from './helpers/restore.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';

// A backup of one server restored into a fresh one through the chunked upload, applied live:
// node uuids and tokens (an agent with an old token reports), settings and history come over;
// the fresh server's own data is saved first as backup/pre-restore-<time>.zip, a valid backup.

const minute = 60_000;

describe('backup → restore round trip on a fresh server', () => {
  const clock = new ManualClock('2026-12-07T05:00:30Z');
  let a: TestServer;
  let b: TestServer;
  let aCookie: string;
  let bCookie: string;
  let nodes: Array<{ uuid: string; token: string }>;
  let bNode: { uuid: string; token: string };
  let archive: Buffer;
  let port: number;

  before(async () => {
    ({ s: a, cookie: aCookie } = await startWithAdmin({ clock }));
    nodes = [await addNode(a, aCookie, 'alpha'), await addNode(a, aCookie, 'beta')];
    await http(a.url, '/api/admin/settings/', { method: 'POST', cookie: aCookie, body: { sitename: 'Restored site' } });
    for (let i = 0; i < 5; i++) {
      for (const n of nodes) ingestReport(a.ctx, n.uuid, parseReport(sampleReport({ cpu: { usage: 10 + i } })), { presence: false });
      clock.advance(minute);
    }
    const t0 = performance.now();
    archive = await downloadBackup(a, aCookie);
    process.stdout.write(`# figures: backup of 2 nodes x 5 min: ${(performance.now() - t0).toFixed(0)} ms, ${archive.length} bytes\n`);

    ({ s: b, cookie: bCookie } = await startWithAdmin({ clock }));
    bNode = await addNode(b, bCookie, 'only-on-b');
    port = (b.fastify.server.address() as { port: number }).port;
  });
  after(async () => {
    await a.dispose();
    await b.dispose();
  });

  it('the merge answers Komari’s message with what was restored and how; the server comes back on its port', async () => {
    const t0 = performance.now();
    const res = await uploadBackup(b, bCookie, archive, 'backup-a.zip');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, {
      status: 'success',
      message: 'Backup uploaded successfully. The service will restart and apply the backup.',
      data: { path: 'data/backup.zip', kind: 'komari-ts', applied: 'live' },
    });
    const { cookie, status } = await afterRestore(b);
    process.stdout.write(`# figures: restore (upload, validate, pre-restore copy, swap, rebuild): ${(performance.now() - t0).toFixed(0)} ms\n`);
    bCookie = cookie;
    assert.equal((b.fastify.server.address() as { port: number }).port, port);
    assert.equal(status.last.ok, true);
    assert.equal(status.last.kind, 'komari-ts');
    assert.equal(status.last.message, 'backup restored');
    assert.equal(status.last.at, new Date(clock.now()).toISOString());
    assert.ok(existsSync(join(b.dir, 'backup', 'last-restore.json')));
    // Nothing of the swap is left behind.
    assert.deepEqual(readdirSync(b.dir).filter((f) => f.startsWith('.restore-')), []);
  });

  it('keeps node uuids and settings; the fresh server’s own node is gone', async () => {
    const list = await http(b.url, '/api/admin/client/list', { cookie: bCookie });
    assert.deepEqual(list.json.map((n: { uuid: string }) => n.uuid).sort(), nodes.map((n) => n.uuid).sort());
    const settings = await http(b.url, '/api/admin/settings/', { cookie: bCookie });
    assert.equal(settings.json.data.sitename, 'Restored site');
  });

  it('an agent with its old token reports after the restore; the old tokens of the fresh server do not', async () => {
    const agent = await V1Agent.connect(b, nodes[0]!.token);
    agent.report({ cpu: { usage: 77 } });
    await eventually(() => b.ctx.live.latest(nodes[0]!.uuid)?.report.cpu.usage === 77);
    await agent.close();
    const refused = await http(b.url, `/api/clients/uploadBasicInfo?token=${bNode.token}`, { method: 'POST', body: { cpu: { name: 'x' } } });
    assert.equal(refused.status, 401);
  });

  it('the records API answers the history written before the backup', async () => {
    const res = await http(b.url, `/api/records/load?uuid=${nodes[1]!.uuid}&hours=1`, { cookie: bCookie });
    assert.equal(res.status, 200);
    assert.equal(res.json.data.count, 5);
    assert.deepEqual(res.json.data.records.map((r: { cpu: number }) => r.cpu), [10, 11, 12, 13, 14]);
  });

  it('the data before the restore was saved as backup/pre-restore-<time>.zip, itself a valid backup', async () => {
    const saved = readdirSync(join(b.dir, 'backup')).filter((f) => f.startsWith('pre-restore-'));
    assert.deepEqual(saved, ['pre-restore-20261207-050530.zip']);
    const staging = mkdtempSync(join(tmpdir(), 'komari-pre-restore-'));
    try {
      await unpackBackup(join(b.dir, 'backup', saved[0]!), staging, defaultServerLimits.backup);
      const db = new DatabaseSync(join(staging, 'komari.db'), { readOnly: true });
      try {
        assert.equal(db.prepare('SELECT name FROM clients WHERE uuid = ?').get(bNode.uuid)?.name, 'only-on-b');
      } finally {
        db.close();
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  });

  it('the audit log of the restored database records the restore', async () => {
    const logs = await http(b.url, '/api/admin/logs?limit=5', { cookie: bCookie });
    assert.ok(JSON.stringify(logs.json).includes('backup restored'), JSON.stringify(logs.json));
    const record = JSON.parse(readFileSync(join(b.dir, 'backup', 'last-restore.json'), 'utf8'));
    assert.equal(record.ok, true);
  });
});
