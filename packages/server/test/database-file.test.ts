import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { StoreFileError } from '../src/store/errors.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { runCli } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'komari-dbfile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A file of `content` at a fresh path. */
function fileWith(name: string, content: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A real SQLite file whose first page (the header) is intact and everything after it is garbage. */
function headerThenGarbage(name: string): string {
  const path = join(dir, name);
  const db = new DatabaseSync(path);
  db.exec('CREATE TABLE t (x TEXT); INSERT INTO t VALUES (\'row\')');
  db.close();
  const bytes = readFileSync(path);
  randomBytes(bytes.length - 100).copy(bytes, 100);
  writeFileSync(path, bytes);
  return path;
}

function refusal(path: string): StoreFileError {
  try {
    openSqliteStore(path);
  } catch (err) {
    assert.ok(err instanceof StoreFileError, String(err));
    return err;
  }
  return assert.fail(`${path} was opened`);
}

describe('database files that must not be used', () => {
  it('an empty database file is refused with its name, and left as it is (no fresh install over it)', () => {
    const path = fileWith('empty.db', '');
    assert.equal(
      refusal(path).message,
      `refusing to start: ${path} is an empty file (0 bytes); restore it from a backup or delete it to start fresh`,
    );
    assert.equal(statSync(path).size, 0);
    assert.equal(existsSync(`${path}-wal`), false);
  });

  it('a file of random bytes is refused with its name and SQLite\'s words', () => {
    const path = fileWith('random.db', randomBytes(64 * 1024));
    assert.equal(refusal(path).message, `cannot open the database ${path}: file is not a database`);
  });

  it('a valid header over garbage is refused with its name and SQLite\'s words', () => {
    const path = headerThenGarbage('garbage.db');
    assert.match(refusal(path).message, new RegExp(`^cannot open the database ${path}: .*(malformed|not a database)`));
  });

  it('a missing file is still a fresh install', async () => {
    const store = openSqliteStore(join(dir, 'new', 'komari.db'));
    assert.equal(await store.accounts.count(), 0);
    await store.close();
  });

  it('komari server on an empty file prints the refusal, exits non-zero and creates no admin', async () => {
    const path = fileWith('cli-empty.db', '');
    const res = await runCli(['server'], { KOMARI_DB: path, KOMARI_LISTEN: '127.0.0.1:0', ADMIN_PASSWORD: 'never-used-1' }, 20_000);
    assert.equal(res.code, 1);
    assert.match(res.stderr, new RegExp(`refusing to start: ${path} is an empty file \\(0 bytes\\)`));
    assert.doesNotMatch(res.stdout, /Default admin account created/);
    assert.equal(statSync(path).size, 0);
  });

  it('komari server and komari chpasswd on a corrupt file print its name and "file is not a database"', async () => {
    const path = fileWith('cli-random.db', randomBytes(64 * 1024));
    for (const args of [['server'], ['chpasswd', '-p', 'new-password-1']]) {
      const res = await runCli(args, { KOMARI_DB: path, KOMARI_LISTEN: '127.0.0.1:0' }, 20_000);
      assert.equal(res.code, 1, args[0]);
      assert.match(res.stderr, new RegExp(`cannot open the database ${path}: file is not a database`), args[0]);
    }
  });
});
