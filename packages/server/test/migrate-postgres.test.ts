import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openStore } from '../src/store/open-store.ts';
import type { Store } from '../src/store/types.ts';
import { runCli } from './helpers/cli.ts';
import { ManualClock } from './helpers/clock.ts';
import { sharedFixture as fx } from './helpers/komari-fixture.ts';
import { allRows, buildSqliteInstallation, digestOf } from './helpers/migrate-source.ts';
import type { Populated } from './helpers/populate-store.ts';
import { freshPgSchema, pgSkipReason, testPgUrl } from './helpers/postgres.ts';
import { dumpStore } from './helpers/store-dump.ts';
import { http, sessionCookieOf, startTestServer } from './helpers/server.ts';

// `komari migrate --to …` as a real child process: a SQLite installation (Komari's real backup
// imported, then a row in every table) into a PostgreSQL schema, and back into a new SQLite file.

const now = Date.UTC(2026, 6, 1, 12, 0, 30);

/** The test URL with a password in it when the server takes any (trust auth), so its absence from the output means something. */
async function urlWithPassword(): Promise<{ url: string; secret: string }> {
  const u = new URL(testPgUrl);
  if (u.password) return { url: testPgUrl, secret: decodeURIComponent(u.password) };
  u.password = 'Mig-s3cret-pw';
  const probe = new pg.Client({ connectionString: u.toString() });
  try {
    await probe.connect();
    return { url: u.toString(), secret: 'Mig-s3cret-pw' };
  } catch {
    return { url: testPgUrl, secret: 'Mig-s3cret-pw' };
  } finally {
    await probe.end().catch(() => undefined);
  }
}

async function withStore<T>(db: string, schema: string | undefined, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await openStore(db, { schema });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('komari migrate between SQLite and PostgreSQL', { skip: testPgUrl ? undefined : pgSkipReason }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-migrate-'));
  const source = join(dir, 'src', 'komari.db');
  const back = join(dir, 'back', 'komari.db');
  let target: Awaited<ReturnType<typeof freshPgSchema>>;
  let url: string;
  let secret: string;
  let made: Populated;
  let sourceDigest: string;
  const pgEnv = () => ({ KOMARI_DB: url, KOMARI_PG_SCHEMA: target.schema, KOMARI_PG_START_TIMEOUT: '0' });

  before(async () => {
    mkdirSync(join(dir, 'src'));
    made = await buildSqliteInstallation(source, now);
    sourceDigest = digestOf(source);
    target = await freshPgSchema();
    ({ url, secret } = await urlWithPassword());
  });
  after(async () => {
    await target?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies every table of SQLite into an empty PostgreSQL schema and verifies each count (--json)', async () => {
    const res = await runCli(['migrate', '-d', source, '--to', url, '--schema', target.schema, '--json']);
    assert.equal(res.code, 0, res.stderr);
    assert.doesNotMatch(res.stdout + res.stderr, new RegExp(secret));
    const report = JSON.parse(res.stdout);
    assert.equal(report.verified, true);
    assert.deepEqual(report.mismatches, []);
    assert.equal(report.source, `SQLite ${source}`);
    assert.match(report.target, new RegExp(`^PostgreSQL [^ ]+:\\d+/\\w+ \\(schema ${target.schema}\\)$`));
    assert.equal(report.tables.length, 30);
    for (const t of report.tables) {
      assert.ok(t.source > 0, `${t.table} had rows to copy`);
      assert.equal(t.target, t.source, t.table);
    }
    assert.equal(digestOf(source), sourceDigest, 'the source file was not written');
    const [a, b] = [await withStore(source, undefined, allRows), await withStore(url, target.schema, allRows)];
    assert.deepEqual(b, a);
    const [da, db] = [await withStore(source, undefined, dumpStore), await withStore(url, target.schema, dumpStore)];
    assert.deepEqual(db, da, 'read through the repositories, in their orders, the same');
  });

  it('refuses a target that already holds data, naming what it holds, and changes nothing', async () => {
    const before = await withStore(url, target.schema, allRows);
    const res = await runCli(['migrate', '-d', source, '--to', url, '--schema', target.schema]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^refusing to migrate into PostgreSQL .* \(schema \w+\): it already holds data \(settings \d+, accounts 3, .*\); nothing was changed/m);
    assert.doesNotMatch(res.stdout + res.stderr, new RegExp(secret));
    assert.deepEqual(await withStore(url, target.schema, allRows), before);
  });

  it('refuses the same PostgreSQL schema as source and target', async () => {
    const res = await runCli(['migrate', '--to', url], pgEnv());
    assert.equal(res.code, 1);
    assert.match(res.stderr, /the source and the target are the same database \(PostgreSQL .*\(schema \w+\)\)/);
  });

  it('refuses a PostgreSQL source schema that holds no komari-ts database, and does not create it', async () => {
    const missing = `${target.schema}_none`;
    const res = await runCli(['migrate', '--to', join(dir, 'never.db')], { ...pgEnv(), KOMARI_PG_SCHEMA: missing });
    assert.equal(res.code, 1);
    assert.match(res.stderr, new RegExp(`^cannot open the source .*: PostgreSQL at \\S+ has no komari-ts database in schema ${missing}$`, 'm'));
    const { rowCount } = await target.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [missing]);
    assert.equal(rowCount, 0);
    assert.equal(existsSync(join(dir, 'never.db')), false);
  });

  it('refuses a SQLite target that holds data, and leaves its bytes as they were', async () => {
    const res = await runCli(['migrate', '--to', source], pgEnv());
    assert.equal(res.code, 1);
    assert.match(res.stderr, /refusing to migrate into SQLite .*: it already holds data/);
    assert.equal(digestOf(source), sourceDigest);
  });

  it('copies PostgreSQL back into a new SQLite file: the same rows as the original, ids never handed out twice', async () => {
    const res = await runCli(['migrate', '--to', back], pgEnv());
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^Migrated PostgreSQL .*\n {6}to SQLite .* in \d+ ms$/m);
    assert.match(res.stdout, /^clients\s+6\s+6$/m);
    assert.match(res.stdout, /^verified: every table of the target holds as many rows as the source \(30 tables, \d+ rows\)$/m);
    assert.doesNotMatch(res.stdout + res.stderr, new RegExp(secret));
    assert.deepEqual(await withStore(back, undefined, allRows), await withStore(source, undefined, allRows));
    await withStore(back, undefined, async (s) => {
      assert.deepEqual((await s.nodes.list()).map((n) => n.uuid), [...fx.nodes.map((n: { uuid: string }) => n.uuid), ...made.nodes]);
      assert.equal((await s.accounts.first())?.username, fx.admin.username);
      const id = await s.alerts.addChannel({ kind: 'webhook', name: 'after', config: {}, enabled: true, template: '' }, now);
      assert.ok(id > made.deletedChannelId, 'a deleted channel’s id is not reused');
    });
  });

  it('a server on the migrated schema: the Komari admin logs in and /api/records/load answers as on SQLite', async () => {
    // a copy of the source, so the server's own writes (a session, defaults) stay off it
    const copyDir = join(dir, 'copy');
    mkdirSync(copyDir);
    copyFileSync(source, join(copyDir, 'komari.db'));
    const clock = new ManualClock(now);
    const answers = [];
    for (const opts of [{ dir: copyDir }, { dir: mkdtempSync(join(tmpdir(), 'komari-migrate-pg-')), pg: { url, schema: target.schema } }]) {
      const s = await startTestServer({ ...opts, clock });
      try {
        const login = await http(s.url, '/api/login', { method: 'POST', body: { username: fx.admin.username, password: fx.admin.password } });
        assert.equal(login.status, 200, login.text);
        const cookie = sessionCookieOf(login.headers);
        const load = async (q: string) => (await http(s.url, `/api/records/load?${q}`, { cookie })).json;
        answers.push({
          recent: await load(`uuid=${made.nodes[0]}&hours=1`),
          day: await load(`uuid=${made.nodes[1]}&hours=24`),
          ping: (await http(s.url, `/api/records/ping?uuid=${made.nodes[0]}&hours=1`, { cookie })).json,
        });
      } finally {
        await s.dispose();
      }
    }
    assert.deepEqual([answers[0]!.recent.data.count, answers[0]!.day.data.count, answers[0]!.ping.data.count], [40, 6, 30]);
    assert.deepEqual(answers[1], answers[0]);
    assert.ok(existsSync(source));
  });
});
