import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './helpers/cli.ts';
import { freshPgSchema, pgSkipReason, testPgUrl } from './helpers/postgres.ts';
import { http, startTestServer } from './helpers/server.ts';

describe('komari CLI commands on PostgreSQL', { skip: testPgUrl ? undefined : pgSkipReason }, () => {
  let schema: Awaited<ReturnType<typeof freshPgSchema>>;
  const dir = mkdtempSync(join(tmpdir(), 'komari-pg-cli-'));
  const env = () => ({ KOMARI_DB: testPgUrl, KOMARI_PG_SCHEMA: schema.schema, KOMARI_PG_START_TIMEOUT: '0' });

  before(async () => {
    schema = await freshPgSchema();
    const s = await startTestServer({ dir, pg: { url: testPgUrl, schema: schema.schema } });
    await s.stop();
  });
  after(async () => {
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('chpasswd changes the admin password in the PostgreSQL schema KOMARI_PG_SCHEMA names', async () => {
    const res = await runCli(['chpasswd', '-p', 'new-pg-password-9'], env(), 30_000, dir);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /Password changed successfully/);
    const s = await startTestServer({ dir, pg: { url: testPgUrl, schema: schema.schema } });
    try {
      const old = await http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password: s.adminPassword } });
      assert.equal(old.status, 401, 'the old password no longer works');
      const now = await http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password: 'new-pg-password-9' } });
      assert.equal(now.status, 200, now.text);
    } finally {
      await s.stop();
    }
  });

  it('permit-login writes the setting; no "Database file does not exist" for a URL', async () => {
    await schema.pool.query(`INSERT INTO settings (key, value) VALUES ('disable_password_login', 'true') ON CONFLICT (key) DO UPDATE SET value = 'true'`);
    const res = await runCli(['permit-login'], env(), 30_000, dir);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.doesNotMatch(res.stdout, /does not exist/);
    const { rows } = await schema.pool.query<{ value: unknown }>(`SELECT value FROM settings WHERE key = 'disable_password_login'`);
    assert.equal(String(rows[0]?.value), 'false');
  });

  it('a bad KOMARI_PG_SCHEMA is refused by name', async () => {
    const res = await runCli(['unlock'], { ...env(), KOMARI_PG_SCHEMA: 'x"; DROP' }, 30_000, dir);
    assert.equal(res.code, 1);
    assert.match(res.stdout + res.stderr, /KOMARI_PG_SCHEMA/);
  });
});
