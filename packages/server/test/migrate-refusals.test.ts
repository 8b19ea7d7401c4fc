import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { runCli, spawnCliServer } from './helpers/cli.ts';
import { allRows, buildSqliteInstallation, digestOf } from './helpers/migrate-source.ts';
import { openStore } from '../src/store/open-store.ts';

// `komari migrate` refusing what it must not do, as a real child process; none of these needs a
// PostgreSQL server (the unreachable one is port 1, where nothing listens).

const secret = 's3cret-Mig-pass';
const unreachable = `postgres://komari:${secret}@127.0.0.1:1/komari`;

describe('komari migrate refuses, with a clear message, changing nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-migrate-no-'));
  const source = join(dir, 'komari.db');
  let digest: string;
  const migrate = (args: string[], env: Record<string, string> = {}) =>
    runCli(['migrate', ...args], { KOMARI_PG_START_TIMEOUT: '0', ...env }, 60_000, dir);
  const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

  before(async () => {
    await buildSqliteInstallation(source, Date.UTC(2026, 6, 1));
    digest = digestOf(source);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the same SQLite file as source and target, however spelled (another path, a link)', async () => {
    symlinkSync(source, join(dir, 'link.db'));
    for (const to of [join(dir, '.', 'sub', '..', 'komari.db'), 'komari.db', join(dir, 'link.db')]) {
      const res = await migrate(['-d', source, '--to', to]);
      assert.equal(res.code, 1, to);
      assert.match(res.stderr, /^refusing to migrate: the source and the target are the same database \(SQLite .*komari\.db\)$/m);
    }
    assert.equal(digestOf(source), digest);
  });

  it('a source file that does not exist: named, and no target made or contacted', async () => {
    const missing = join(dir, 'nowhere', 'komari.db');
    const res = await migrate(['-d', missing, '--to', join(dir, 'new.db')]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, new RegExp(`the source database ${missing} does not exist: set -d/--database or KOMARI_DB`));
    assert.equal(existsSync(join(dir, 'new.db')), false);
    const pg = await migrate(['--to', unreachable], { KOMARI_DB: missing });
    assert.equal(pg.code, 1);
    assert.doesNotMatch(output(pg), /cannot reach|s3cret/);
    assert.equal(existsSync(missing), false, 'the missing source was not created');
  });

  it('a malformed PostgreSQL URL or port, with the password nowhere in the output', async () => {
    for (const to of [`postgres://komari:${secret}@[::1/komari`, `postgres://komari:${secret}@127.0.0.1:99999/komari`]) {
      const res = await migrate(['-d', source, '--to', to]);
      assert.equal(res.code, 1, to);
      assert.match(res.stderr, /^--to is not a valid PostgreSQL URL/m);
      assert.doesNotMatch(output(res), /s3cret/);
    }
  });

  it('an unreachable PostgreSQL target (port 1): host:port named, the password never shown, the source untouched', async () => {
    const res = await migrate(['-d', source, '--to', unreachable]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^cannot open the target \(--to\): cannot reach PostgreSQL at 127\.0\.0\.1:1 \(ECONNREFUSED\); gave up after 0 s$/m);
    assert.doesNotMatch(output(res), /s3cret/);
    assert.equal(digestOf(source), digest);
  });

  it('an unreachable PostgreSQL source: refused before a SQLite target file is made', async () => {
    const res = await migrate(['--to', join(dir, 'from-pg.db')], { KOMARI_DB: unreachable });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^cannot open the source \(-d\/--database or KOMARI_DB\): cannot reach PostgreSQL at 127\.0\.0\.1:1/m);
    assert.doesNotMatch(output(res), /s3cret/);
    assert.equal(existsSync(join(dir, 'from-pg.db')), false);
  });

  it('a bad --schema is refused by name; no --to prints the usage (exit 2)', async () => {
    const bad = await migrate(['-d', source, '--to', unreachable, '--schema', 'x"; DROP SCHEMA public']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /invalid PostgreSQL schema name/);
    assert.doesNotMatch(output(bad), /cannot reach|s3cret/);
    const none = await migrate(['-d', source]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /migrate needs --to/);
    assert.match(none.stderr, /migrate --to DB/);
  });

  it('a source with no data (a wrong -d or schema) is refused, and no target is made', async () => {
    const empty = join(dir, 'empty.db');
    await openSqliteStore(empty).close();
    const res = await migrate(['-d', empty, '--to', join(dir, 'empty-copy.db')]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /the source SQLite .*empty\.db holds no data: nothing to migrate/);
    assert.equal(existsSync(join(dir, 'empty-copy.db')), false);
  });

  it('a target file that is not a database is refused and left as it was', async () => {
    const notDb = join(dir, 'notes.db');
    writeFileSync(notDb, 'these are notes, not a database\n'.repeat(200));
    const before = digestOf(notDb);
    const res = await migrate(['-d', source, '--to', notDb]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /cannot open the target \(--to\): cannot open the database .*notes\.db: file is not a database/);
    assert.equal(digestOf(notDb), before);
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('notes.db')), ['notes.db'], 'no -wal or -shm beside it');
  });

  it('a SQLite source a running server holds is refused (its pid named); stopped, it copies to SQLite and verifies', async () => {
    const live = join(dir, 'live.db');
    copyFileSync(source, live);
    const server = await spawnCliServer(live);
    try {
      const res = await migrate(['-d', live, '--to', join(dir, 'live-copy.db')]);
      assert.equal(res.code, 1);
      assert.match(res.stderr, new RegExp(`the source ${live} is open in another process \\(pid ${server.child.pid}\\); stop the server first`));
      assert.equal(existsSync(join(dir, 'live-copy.db')), false);
    } finally {
      await server.stop();
    }
    const res = await migrate(['-d', live, '--to', join(dir, 'live-copy.db')]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^verified: every table of the target holds as many rows as the source \(30 tables, \d+ rows\)$/m);
    const rows = async (path: string) => {
      const s = await openStore(path);
      try {
        return await allRows(s);
      } finally {
        await s.close();
      }
    };
    assert.deepEqual(await rows(join(dir, 'live-copy.db')), await rows(live));
  });
});
