import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { freePort, runCli } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'komari-pg-url-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Nothing listens on port 1: the connection is refused at once, every try.
const url = 'postgres://komari:s3cret-pass@127.0.0.1:1/komari';

// Before issue 16's store, a PostgreSQL URL in KOMARI_DB was taken for a file name (a folder
// `postgres:` and a new SQLite database with a new admin), then refused; now the server runs on
// it, and one it cannot reach is waited for, within a bound, then reported without the password.
it('an unreachable PostgreSQL is retried with a one-line message naming host:port, then the server exits non-zero; the password never shows', async () => {
  const res = await runCli(['server'], { KOMARI_DB: url, KOMARI_PG_START_TIMEOUT: '1', KOMARI_LISTEN: `127.0.0.1:${await freePort()}` }, 30_000, dir);
  assert.notEqual(res.code, 0);
  assert.equal(res.code, 1, 'exited by itself, not killed');
  const out = res.stdout + res.stderr;
  assert.match(out, /^cannot reach PostgreSQL at 127\.0\.0\.1:1 \(ECONNREFUSED\); retrying in 1 s$/m);
  assert.match(out, /^cannot reach PostgreSQL at 127\.0\.0\.1:1 \(ECONNREFUSED\); gave up after \d+ s$/m);
  assert.doesNotMatch(out, /s3cret-pass/);
  assert.deepEqual(readdirSync(dir), [], 'no file or folder was made for the URL');
});

it('KOMARI_PG_START_TIMEOUT=0 tries once; a CLI command gives the same message', async () => {
  const res = await runCli(['unlock'], { KOMARI_DB: url, KOMARI_PG_START_TIMEOUT: '0' }, 30_000, dir);
  assert.equal(res.code, 1);
  const out = res.stdout + res.stderr;
  assert.doesNotMatch(out, /retrying/);
  assert.match(out, /cannot reach PostgreSQL at 127\.0\.0\.1:1 \(ECONNREFUSED\); gave up after 0 s/);
  assert.doesNotMatch(out, /s3cret-pass/);
});

it('a KOMARI_PG_START_TIMEOUT that is not a whole number of seconds is refused by name', async () => {
  const res = await runCli(['server'], { KOMARI_DB: url, KOMARI_PG_START_TIMEOUT: 'soon' }, 30_000, dir);
  assert.equal(res.code, 1);
  assert.match(res.stdout + res.stderr, /KOMARI_PG_START_TIMEOUT/);
});
