import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { request, type IncomingMessage } from 'node:http';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { emptyBucket, gauges } from '../src/history/bucket.ts';
import { addNode } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { LogCapture } from './helpers/log-capture.ts';
import { afterRestore, downloadBackup, listing, marker, sendChunk, uploadBackup, zipOf, type ZipEntry } from './helpers/restore.ts';
import { http, startTestServer, startWithAdmin, type TestServer } from './helpers/server.ts';

/*
 * Restores past what backup-restore-refusals.test.ts covers: archives whose entries collide (an
 * entry twice, a file where another entry needs a folder: before, a 500 "internal error", or a
 * 400 naming the server's staging path), over-long names, the pre-restore copies piling up
 * without end, and a data/backup.zip that is a link or a FIFO (whose open never returned).
 */

describe('restore: colliding entries, long names, pre-restore retention', () => {
  const clock = new ManualClock('2026-12-07T06:00:00Z');
  const log = new LogCapture();
  let s: TestServer;
  let cookie: string;
  let goodDb: Buffer;

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ clock, env: { KOMARI_LOG_LEVEL: 'info' }, logStream: log, limits: { backup: { keepPreRestore: 2, maxEntryNameBytes: 200 } } }));
    await addNode(s, cookie, 'stays');
    const snap = join(s.dir, '..', `${s.dir.split('/').pop()}-good.db`);
    await s.ctx.store.files.snapshotTo(snap);
    goodDb = readFileSync(snap);
    rmSync(snap);
    await uploadBackup(s, cookie, Buffer.from('not a zip'), 'warmup.zip'); // the upload folders exist in the baseline
  });
  after(() => s.dispose());

  const db = (): ZipEntry => ({ name: 'komari.db', data: goodDb });
  const cases: Array<[string, ZipEntry[], string]> = [
    ['komari.db twice', [db(), db()], 'invalid backup file: entry komari.db appears twice'],
    ['a theme file twice', [db(), { name: 'theme/t/a.css', data: '1' }, { name: 'theme/t/a.css', data: '2' }], 'invalid backup file: entry theme/t/a.css appears twice'],
    ['a theme file, then a file under it', [db(), { name: 'theme/a', data: 'x' }, { name: 'theme/a/b', data: 'y' }], 'invalid backup file: entry theme/a is both a file and a folder'],
    ['a theme folder, then a file of its name', [db(), { name: 'theme/a/', dir: true }, { name: 'theme/a', data: 'y' }], 'invalid backup file: entry theme/a is both a file and a folder'],
    ['a name over maxEntryNameBytes', [db(), { name: `theme/${'d/'.repeat(100)}x`, data: 'x' }], 'invalid backup file: an entry name is longer than 200 bytes'],
  ];

  /** A Komari database without its users table: recognised as Komari's, refused by the import. */
  function komariWithoutUsers(): Buffer {
    const path = join(s.dir, '..', `${s.dir.split('/').pop()}-nousers.db`);
    const k = new DatabaseSync(path);
    k.exec("CREATE TABLE clients (uuid text, token text); CREATE TABLE configs (key text, value text); INSERT INTO configs VALUES ('system_version', '\"1.4.3\"')");
    k.close();
    const out = readFileSync(path);
    rmSync(path);
    return out;
  }

  it('a Komari database the import refuses is answered without the staging path', async () => {
    const res = await uploadBackup(s, cookie, await zipOf([marker(), { name: 'komari.db', data: komariWithoutUsers() }]));
    assert.deepEqual([res.status, res.json], [400, { status: 'error', message: 'komari.db is a Komari database of a schema komari-ts does not know: it has no users table' }]);
  });

  it('each is refused with a reason naming no server path, and the data folder is unchanged', async () => {
    const before = listing(s.dir);
    for (const [what, entries, message] of cases) {
      const res = await uploadBackup(s, cookie, await zipOf([marker(), ...entries]));
      assert.deepEqual([res.status, res.json], [400, { status: 'error', message }], what);
    }
    assert.deepEqual(listing(s.dir), before);
    assert.equal((await http(s.url, '/api/admin/client/list', { cookie })).json.length, 1);
    assert.ok(!log.text.includes('.restore-staging-'), 'a staging path reached the log');
    const audit = JSON.stringify((await http(s.url, '/api/admin/logs?limit=50', { cookie })).json);
    assert.ok(!audit.includes(s.dir), 'a server path reached the audit log');
  });

  it('directory entries repeated, and files beside folders of other names, are fine', async () => {
    const archive = await zipOf([marker(), db(), { name: 'theme/', dir: true }, { name: 'theme/', dir: true }, { name: 'theme/a/', dir: true }, { name: 'theme/a/x.css', data: 'x' }, { name: 'theme/a!b', data: 'y' }]);
    const res = await uploadBackup(s, cookie, archive, 'ok.zip');
    assert.equal(res.status, 200, res.text);
    ({ cookie } = await afterRestore(s));
    assert.equal(readFileSync(join(s.dir, 'theme', 'a', 'x.css'), 'utf8'), 'x');
  });

  it('pre-restore copies are kept to the newest limits.backup.keepPreRestore; other files stay', async () => {
    const dir = join(s.dir, 'backup');
    const planted = ['pre-restore-20200101-000000.zip', 'pre-restore-20200101-000000-2.zip', 'pre-restore-20200102-000000.zip', 'pre-restore-notes.txt', 'mine.zip'];
    for (const f of planted) writeFileSync(join(dir, f), 'old');
    const copies = () => readdirSync(dir).filter((f) => f.startsWith('pre-restore-')).sort();
    const before = copies();
    clock.advance(60_000);
    const res = await uploadBackup(s, cookie, await downloadBackup(s, cookie));
    assert.equal(res.status, 200, res.text);
    ({ cookie } = await afterRestore(s));
    const made = copies().filter((f) => !before.includes(f));
    assert.equal(made.length, 1);
    // The newest two: the previous test's restore (06:00) and this one's; the planted ones went.
    assert.deepEqual(copies(), ['pre-restore-20261207-060000.zip', made[0], 'pre-restore-notes.txt'].sort());
    assert.ok(existsSync(join(dir, 'mine.zip')));
    // Two more restores within one second: the newest two stay, the one just written among them.
    for (let i = 0; i < 2; i++) {
      assert.equal((await uploadBackup(s, cookie, await downloadBackup(s, cookie))).status, 200);
      ({ cookie } = await afterRestore(s));
    }
    const second = made[0]!.replace(/\.zip$/, '-2.zip');
    const third = made[0]!.replace(/\.zip$/, '-3.zip');
    assert.deepEqual(copies(), [second, third, 'pre-restore-notes.txt'].sort());
  });
});

describe('restore at start: data/backup.zip that is not a regular file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-dropped-link-'));
  const outside = mkdtempSync(join(tmpdir(), 'komari-outside-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('a link to a valid backup elsewhere is not followed: refused, kept aside, its target untouched', async () => {
    const { s: source, cookie: sourceCookie } = await startWithAdmin();
    await addNode(source, sourceCookie, 'from-elsewhere');
    writeFileSync(join(outside, 'real.zip'), await downloadBackup(source, sourceCookie));
    await source.dispose();

    const first = await startWithAdmin({ dir });
    const own = await addNode(first.s, first.cookie, 'own');
    await first.s.stop();
    symlinkSync(join(outside, 'real.zip'), join(dir, 'backup.zip'));

    const s = await startTestServer({ dir });
    try {
      const cookie = await s.login();
      assert.deepEqual((await http(s.url, '/api/admin/client/list', { cookie })).json.map((n: { uuid: string }) => n.uuid), [own.uuid]);
      const refused = readdirSync(join(dir, 'backup')).filter((f) => /^refused-\d{8}-\d{6}\.zip$/.test(f));
      assert.equal(refused.length, 1);
      assert.ok(lstatSync(join(dir, 'backup', refused[0]!)).isSymbolicLink());
      assert.ok(existsSync(join(outside, 'real.zip')));
      assert.equal((await http(s.url, '/api/admin/backup/status', { cookie })).json.data.restoring, false);
    } finally {
      await s.stop();
    }
  });

  it('a FIFO does not hold the start (its open would wait for a writer forever)', async () => {
    rmSync(join(dir, 'backup'), { recursive: true, force: true });
    execFileSync('mkfifo', [join(dir, 'backup.zip')]);
    const s = await startTestServer({ dir });
    try {
      const cookie = await s.login();
      assert.equal((await http(s.url, '/api/admin/backup/status', { cookie })).json.data.restoring, false);
      assert.equal(readdirSync(join(dir, 'backup')).filter((f) => f.startsWith('refused-')).length, 1);
    } finally {
      await s.stop();
    }
  });
});

describe('restore while a backup download is stalled', () => {
  let s: TestServer;
  let cookie: string;
  before(async () => {
    ({ s, cookie } = await startWithAdmin({ limits: { http: { closeGraceMs: 300 } } }));
    const node = (await addNode(s, cookie, 'big')).uuid;
    // ~10 MB of archive: more than the socket buffers hold, so the download stays in flight.
    const rows = [];
    for (let i = 0; i < 60_000; i++) {
      const b = emptyBucket(node, 60, i * 60_000);
      b.count = 1;
      for (const g of gauges) {
        b.sum[g] = Math.random();
        b.max[g] = Math.random();
      }
      rows.push(b);
    }
    await s.ctx.store.history.write(rows);
  });
  after(() => s.dispose());

  it('a reader that stopped reading is cut after limits.http.closeGraceMs; before, the server stayed closed until it left', async () => {
    const archive = await downloadBackup(s, cookie);
    const u = new URL(s.url);
    const stalled = request({ host: u.hostname, port: u.port, path: '/api/admin/download/backup', headers: { cookie: `session_token=${cookie}` } });
    const response = await new Promise<IncomingMessage>((done) => stalled.on('response', done).end());
    response.pause();
    stalled.on('error', () => undefined);
    assert.equal(response.statusCode, 200);
    const res = await uploadBackup(s, cookie, archive);
    assert.equal(res.status, 200, res.text);
    ({ cookie } = await afterRestore(s, 15_000));
    // Read what the server sent before it cut the connection: never the whole archive.
    let received = 0;
    response.on('data', (c: Buffer) => (received += c.length));
    response.on('error', () => undefined);
    await new Promise<void>((done) => response.on('close', () => done()).resume());
    assert.equal(response.complete, false);
    assert.ok(received < archive.length, `${received} of ${archive.length} bytes`);
    assert.equal((await http(s.url, '/api/admin/backup/status', { cookie })).json.data.last.ok, true);
  });
});

describe('stop while a backup download is stalled', () => {
  it('stop cuts the stalled reader after limits.http.closeGraceMs instead of waiting for it (or the 60 s request timeout)', async () => {
    const { s, cookie } = await startWithAdmin({ limits: { http: { closeGraceMs: 300 } } });
    let stopped = false;
    try {
      const node = (await addNode(s, cookie, 'big')).uuid;
      const rows = [];
      for (let i = 0; i < 60_000; i++) {
        const b = emptyBucket(node, 60, i * 60_000);
        b.count = 1;
        for (const g of gauges) b.sum[g] = Math.random();
        rows.push(b);
      }
      await s.ctx.store.history.write(rows);
      const u = new URL(s.url);
      const stalled = request({ host: u.hostname, port: u.port, path: '/api/admin/download/backup', headers: { cookie: `session_token=${cookie}` } });
      const response = await new Promise<IncomingMessage>((done) => stalled.on('response', done).end());
      response.pause();
      response.on('error', () => undefined);
      stalled.on('error', () => undefined);
      stopped = true;
      await s.dispose();
      // what was sent before the cut drains; the archive never completes
      await new Promise<void>((done) => response.on('close', () => done()).resume());
      assert.equal(response.complete, false);
    } finally {
      if (!stopped) await s.dispose();
    }
  });
});

describe('restore: the client leaves before the merge answers', () => {
  let s: TestServer;
  let cookie: string;
  before(async () => {
    ({ s, cookie } = await startWithAdmin());
  });
  after(() => s.dispose());

  it('the validated restore is still applied and the restore lock released (before, it was held until a restart)', async () => {
    const archive = await downloadBackup(s, cookie);
    const init = await http(s.url, '/api/admin/upload/init', { method: 'POST', cookie, body: { purpose: 'backup', size: archive.length, filename: 'gone.zip' } });
    const { upload_id, chunk_size } = init.json.data as { upload_id: string; chunk_size: number };
    for (let i = 0; i * chunk_size < archive.length; i++) {
      assert.equal((await sendChunk(s, cookie, { upload_id, chunk_index: String(i), chunk_data: archive.subarray(i * chunk_size, (i + 1) * chunk_size) })).status, 200);
    }
    // The merge is sent and the connection dropped at once, long before the validation answers.
    const u = new URL(s.url);
    const body = JSON.stringify({ upload_id });
    const merge = request({ host: u.hostname, port: u.port, path: '/api/admin/upload/merge', method: 'POST', headers: { cookie: `session_token=${cookie}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    merge.on('error', () => undefined);
    merge.end(body, () => merge.destroy());
    const { status } = await afterRestore(s, 20_000);
    assert.equal(status.restoring, false);
    assert.equal(status.last.ok, true);
    assert.deepEqual(readdirSync(s.dir).filter((f) => f.startsWith('.restore-')), []);
  });
});
