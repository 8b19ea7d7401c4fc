import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { addNode } from './helpers/agent-common.ts';
import { downloadBackup } from './helpers/restore.ts';
import { http, startTestServer, startWithAdmin } from './helpers/server.ts';

// Komari restores a data/backup.zip found at start (admin-api.md §11.3). komari-ts does too,
// through the same validation and swap as an upload; a bad file is refused, kept aside, and the
// server starts on its own data.

describe('a backup.zip dropped into the data folder is restored at start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-dropped-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a valid one replaces the data before the server is handed out; the file is consumed', async () => {
    const { s: source, cookie: sourceCookie } = await startWithAdmin();
    const wanted = await addNode(source, sourceCookie, 'from-the-backup');
    const archive = await downloadBackup(source, sourceCookie);
    await source.dispose();

    const first = await startWithAdmin({ dir });
    await addNode(first.s, first.cookie, 'replaced');
    await first.s.stop();
    writeFileSync(join(dir, 'backup.zip'), archive);

    const s = await startTestServer({ dir });
    try {
      const cookie = await s.login();
      const list = await http(s.url, '/api/admin/client/list', { cookie });
      assert.deepEqual(list.json.map((n: { uuid: string }) => n.uuid), [wanted.uuid]);
      assert.equal(existsSync(join(dir, 'backup.zip')), false);
      const status = await http(s.url, '/api/admin/backup/status', { cookie });
      assert.equal(status.json.data.last.ok, true);
      assert.equal(readdirSync(join(dir, 'backup')).filter((f) => f.startsWith('pre-restore-')).length, 1);
    } finally {
      await s.stop();
    }
  });

  it('a bad one is refused and kept as backup/refused-<time>.zip; the server starts on its data', async () => {
    writeFileSync(join(dir, 'backup.zip'), 'not a zip');
    const s = await startTestServer({ dir });
    try {
      const cookie = await s.login();
      const list = await http(s.url, '/api/admin/client/list', { cookie });
      assert.equal(list.json.length, 1);
      assert.equal(existsSync(join(dir, 'backup.zip')), false);
      assert.equal(readdirSync(join(dir, 'backup')).filter((f) => /^refused-\d{8}-\d{6}\.zip$/.test(f)).length, 1);
    } finally {
      await s.stop();
    }
  });
});
