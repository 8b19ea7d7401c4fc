import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { freePort, runCli } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'komari-pg-url-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Before, a PostgreSQL URL in KOMARI_DB was taken for a file name: the server made a folder
// `postgres:` and started on a new SQLite database there, with a new admin.
it('a PostgreSQL URL in KOMARI_DB is refused with a message that does not repeat it, and nothing is created', async () => {
  const url = 'postgres://komari:s3cret-pass@127.0.0.1:5432/komari';
  const res = await runCli(['server'], { KOMARI_DB: url, KOMARI_LISTEN: `127.0.0.1:${await freePort()}` }, 30_000, dir);
  assert.notEqual(res.code, 0);
  const out = res.stdout + res.stderr;
  assert.match(out, /KOMARI_DB names a PostgreSQL database, which this version of komari-ts cannot run on yet/);
  assert.doesNotMatch(out, /s3cret-pass/);
  assert.deepEqual(readdirSync(dir), [], 'no file or folder was made for the URL');
});
