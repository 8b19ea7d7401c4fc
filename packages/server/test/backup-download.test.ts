import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import yauzl from 'yauzl';
import { ingestReport, parseReport } from '../src/agents/ingest.ts';
import { addNode, sampleReport } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';

// GET /api/admin/download/backup (admin-api.md §11.1): Komari's name, headers and zip layout, a
// consistent database snapshot with the reports accepted just before, the copy kept in
// data/backup/ with bounded retention. The downloads close their connection: a kept-alive one
// that the server still counts as busy when the suite stops the server held the stop up to the
// request timeout on a loaded machine.

interface Entry {
  name: string;
  data: Buffer;
}

function unzip(buf: Buffer): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const out: Entry[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName.endsWith('/')) {
          out.push({ name: e.fileName, data: Buffer.alloc(0) });
          return zip.readEntry();
        }
        zip.openReadStream(e, (err2, stream) => {
          if (err2 || !stream) return reject(err2 ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.push({ name: e.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('backup download', () => {
  const clock = new ManualClock(Date.UTC(2026, 11, 7, 5, 15, 30, 123));
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ clock, limits: { backup: { keepDownloads: 2 } } }));
    node = await addNode(s, cookie, 'backed-up');
    writeFileSync(join(s.dir, 'favicon.ico'), 'icon');
    mkdirSync(join(s.dir, 'theme', 'mochi', 'dist'), { recursive: true });
    writeFileSync(join(s.dir, 'theme', 'mochi', 'komari-theme.json'), '{"short":"mochi"}');
    writeFileSync(join(s.dir, 'theme', 'mochi', 'dist', 'index.html'), '<html></html>');
  });
  after(() => s.dispose());

  it('is a zip in Komari’s layout: komari.db snapshot, favicon, themes, the marker last', async () => {
    ingestReport(s.ctx, node.uuid, parseReport(sampleReport({ cpu: { usage: 42 } })), { presence: true });
    const res = await fetch(`${s.url}/api/admin/download/backup`, { headers: { cookie: `session_token=${cookie}`, connection: 'close' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/zip');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="backup-20261207-051530.123000.zip"');
    const entries = await unzip(Buffer.from(await res.arrayBuffer()));
    const names = entries.map((e) => e.name);
    assert.deepEqual(names, ['komari.db', 'favicon.ico', 'theme/', 'theme/mochi/', 'theme/mochi/dist/', 'theme/mochi/dist/index.html', 'theme/mochi/komari-theme.json', 'komari-backup-markup']);
    assert.match(entries.at(-1)!.data.toString(), /Komari backup marker[\s\S]*\nBackup Time: 2026-12-07T05:15:30\.123Z\n$/);

    // The snapshot opens, passes its integrity check, holds the node and the report just accepted.
    const dbPath = join(s.dir, 'restored-check.db');
    writeFileSync(dbPath, entries[0]!.data);
    const db = new DatabaseSync(dbPath, { readOnly: true });
    try {
      assert.equal(db.prepare('PRAGMA integrity_check').get()!.integrity_check, 'ok');
      assert.equal(db.prepare('SELECT name FROM clients WHERE uuid = ?').get(node.uuid)!.name, 'backed-up');
      const n = db.prepare('SELECT COUNT(*) AS n FROM history_buckets b JOIN history_nodes h ON h.id = b.node WHERE h.uuid = ?').get(node.uuid)!.n;
      assert.ok(Number(n) > 0, 'the report accepted before is in it');
    } finally {
      db.close();
    }
    const logs = await http(s.url, '/api/admin/logs?limit=5', { cookie });
    assert.ok(JSON.stringify(logs.json).includes('download backup backup-20261207-051530.123000.zip'));
  });

  it('keeps a copy in data/backup/, the newest `keepDownloads` of them', async () => {
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      const res = await fetch(`${s.url}/api/admin/download/backup`, { headers: { cookie: `session_token=${cookie}`, connection: 'close' } });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    }
    assert.deepEqual(readdirSync(join(s.dir, 'backup')).sort(), ['backup-20261207-051532.123000.zip', 'backup-20261207-051533.123000.zip']);
  });

  it('a guest gets 401 and no archive is made', async () => {
    const before = readdirSync(join(s.dir, 'backup')).length;
    const res = await http(s.url, '/api/admin/download/backup');
    assert.equal(res.status, 401);
    assert.equal(readdirSync(join(s.dir, 'backup')).length, before);
  });
});
