import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually } from './helpers/agent-common.ts';
import { listing, marker, patchNames, uploadBackup, zipOf, type ZipEntry } from './helpers/restore.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';

// Every bad archive is refused with its reason before anything is touched: the data folder keeps
// the same files, the database the same nodes and tokens, and the running app is the same one
// (its sessions still valid). Bounds are shrunk: 20 entries, 2 MB uncompressed.

const maxBytes = 2_000_000;

/** Sets the uncompressed size every central-directory record declares (a lying header). */
function lieAboutSizes(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  for (let i = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); i !== -1; i = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), i + 1)) {
    out.writeUInt32LE(size, i + 24);
  }
  return out;
}

describe('restore refuses bad archives and changes nothing', () => {
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };
  let goodDb: Buffer;
  let baseline: string[];
  const favicon = 'favicon before';
  const fastifyBefore = () => s.fastify;

  /** A database file made from this server's own snapshot, changed by `change`. */
  function dbWith(change: (db: DatabaseSync) => void): Buffer {
    const path = join(s.dir, '..', `${s.dir.split('/').pop()}-variant.db`);
    writeFileSync(path, goodDb);
    const db = new DatabaseSync(path);
    change(db);
    db.close();
    const out = readFileSync(path);
    rmSync(path, { force: true });
    return out;
  }

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ limits: { backup: { maxEntries: 20, maxUncompressedBytes: maxBytes } } }));
    node = await addNode(s, cookie, 'stays');
    writeFileSync(join(s.dir, 'favicon.ico'), favicon);
    const snap = join(s.dir, '..', `${s.dir.split('/').pop()}-good.db`);
    await s.ctx.store.files.snapshotTo(snap);
    goodDb = readFileSync(snap);
    rmSync(snap);
    // One refusal first, so the upload folders exist in the baseline.
    await uploadBackup(s, cookie, Buffer.from('not a zip'), 'warmup.zip');
    baseline = listing(s.dir);
  });
  after(() => s.dispose());

  const cases: Array<[string, () => Promise<Buffer> | Buffer, RegExp | string, string?]> = [
    ['not a zip', () => Buffer.from('PK\x03\x04 but nothing after'), 'invalid backup file: zip: not a valid zip file'],
    ['no marker', () => zipOf([{ name: 'komari.db', data: goodDb }]), 'invalid backup file: missing komari-backup-markup file'],
    ['a marker with another name', () => zipOf([{ name: 'komari.db', data: goodDb }, { name: 'x/komari-backup-markup', data: 'm' }]), 'invalid backup file: missing komari-backup-markup file'],
    ['zip-slip: ..', async () => patchNames(await zipOf([marker(), { name: 'xx/evil.txt', data: 'x' }]), 'xx/evil.txt', '../evil.txt'), /^invalid backup file: unsafe entry path \(invalid relative path: \.\.\/evil\.txt\)$/],
    ['zip-slip: .. inside a theme', async () => patchNames(await zipOf([marker(), { name: 'theme/aa/bb/evil', data: 'x' }]), 'theme/aa/bb/evil', 'theme/../../evil'), /unsafe entry path/],
    ['zip-slip: absolute', async () => patchNames(await zipOf([marker(), { name: 'Xtmp/evil.txt', data: 'x' }]), 'Xtmp/evil.txt', '/tmp/evil.txt'), /unsafe entry path \(absolute path: \/tmp\/evil\.txt\)/],
    ['zip-slip: a drive letter', async () => patchNames(await zipOf([marker(), { name: 'CC/evil.txt', data: 'x' }]), 'CC/evil.txt', 'C:/evil.txt'), /unsafe entry path \(absolute path/],
    ['zip-slip: backslashes', async () => patchNames(await zipOf([marker(), { name: 'theme/aa/evil', data: 'x' }]), 'theme/aa/evil', 'theme\\..\\evil'), /unsafe entry path \(invalid characters in fileName/],
    ['a symbolic link', () => zipOf([marker(), { name: 'komari.db', data: goodDb }, { name: 'theme/link', data: '/etc/passwd', mode: 0o120777 }]), 'invalid backup file: symbolic link entry theme/link'],
    ['over the entry count', () => zipOf([marker(), ...Array.from({ length: 20 }, (_, i): ZipEntry => ({ name: `theme/t/${i}`, data: 'x' }))]), 'invalid backup file: more than 20 entries'],
    ['over the uncompressed size (declared)', () => zipOf([marker(), { name: 'komari.db', data: Buffer.alloc(3_000_000) }]), `invalid backup file: uncompressed size exceeds ${maxBytes} bytes`],
    ['a zip bomb whose headers lie about its size', async () => lieAboutSizes(await zipOf([marker(), { name: 'komari.db', data: Buffer.alloc(3_000_000) }]), 1000), /^invalid backup file: /],
    ['no database', () => zipOf([marker(), { name: 'favicon.ico', data: 'x' }]), 'invalid backup file: komari.db is missing'],
    ['a file that is not a database', () => zipOf([marker(), { name: 'komari.db', data: Buffer.alloc(8192, 0x5a) }]), /^invalid backup file: the database is corrupt \(file is not a database\)$/],
    [
      'a corrupt database',
      () => {
        const bad = Buffer.from(goodDb);
        bad.fill(0xa5, 4096 * 3, 4096 * 6); // pages of tables, not the header
        return zipOf([marker(), { name: 'komari.db', data: bad }]);
      },
      /^invalid backup file: the database is corrupt/,
    ],
    [
      'a database of an unknown schema',
      () => {
        const dir = join(s.dir, '..', `${s.dir.split('/').pop()}-other.db`);
        const db = new DatabaseSync(dir);
        db.exec('CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO recipes (name) VALUES (\'soup\')');
        db.close();
        const data = readFileSync(dir);
        rmSync(dir);
        return zipOf([marker(), { name: 'komari.db', data }]);
      },
      'invalid backup file: database of an unknown schema',
    ],
    [
      'a komari-ts database of a newer schema',
      () => zipOf([marker(), { name: 'komari.db', data: dbWith((db) => db.exec("INSERT INTO schema_migrations (id, applied_at) VALUES ('2099-01-01-from-the-future', 0)")) }]),
      'invalid backup file: database of an unknown schema',
    ],
    [
      'a komari-ts database whose migration fails',
      () => zipOf([marker(), { name: 'komari.db', data: dbWith((db) => db.exec("DELETE FROM schema_migrations WHERE id = '2026-12-08-clipboard'")) }]),
      /^invalid backup file: the database cannot be upgraded \(cannot open the database komari\.db: table clipboards already exists/,
    ],
  ];

  for (const [what, make, message] of cases) {
    it(`${what}: refused with its reason`, async () => {
      const app = fastifyBefore();
      const res = await uploadBackup(s, cookie, await make());
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.status, 'error');
      if (typeof message === 'string') assert.equal(res.json.message, message);
      else assert.match(res.json.message, message);
      assert.deepEqual(listing(s.dir), baseline, 'the data folder holds the same files (no staging left)');
      assert.equal(s.fastify, app, 'the app was not restarted');
    });
  }

  it('afterwards the node, its token, the session and the files are as they were; no restore is recorded', async () => {
    assert.equal(readFileSync(join(s.dir, 'favicon.ico'), 'utf8'), favicon);
    const list = await http(s.url, '/api/admin/client/list', { cookie });
    assert.deepEqual(list.json.map((n: { uuid: string }) => n.uuid), [node.uuid]);
    const agent = await V1Agent.connect(s, node.token);
    agent.report({ cpu: { usage: 33 } });
    await eventually(() => s.ctx.live.latest(node.uuid)?.report.cpu.usage === 33);
    await agent.close();
    const status = await http(s.url, '/api/admin/backup/status', { cookie });
    assert.deepEqual(status.json.data, { restoring: false, last: null });
    const logs = await http(s.url, '/api/admin/logs?limit=50', { cookie });
    assert.ok(JSON.stringify(logs.json).includes('refused: invalid backup file: database of an unknown schema'));
  });
});
