import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { spawnCliServer, startScriptPath } from './helpers/cli.ts';
import { http, sessionCookieOf } from './helpers/server.ts';

describe("the README's start command", () => {
  it('starts the server on SQLite, prints the admin password once, and that password logs in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'komari-readme-'));
    const server = await spawnCliServer(join(dir, 'data', 'komari.db'), {}, ['bash', startScriptPath]);
    try {
      const m = /Default admin account created\. Username: admin , Password: ([0-9A-Za-z]{12})\n/.exec(server.stdout());
      assert.ok(m, `no password line in: ${server.stdout()}`);
      const login = await http(server.url, '/api/login', { method: 'POST', body: { username: 'admin', password: m[1] } });
      assert.equal(login.status, 200);
      const me = await http(server.url, '/api/me', { cookie: sessionCookieOf(login.headers) });
      assert.equal(me.json.logged_in, true);
      assert.equal(me.json.username, 'admin');
    } finally {
      const { code } = await server.stop();
      rmSync(dir, { recursive: true, force: true });
      assert.equal(code, 0, 'SIGTERM ends the server cleanly');
    }
  });
});
