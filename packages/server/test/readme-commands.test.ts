import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bannerTitle } from '../src/logging/banner.ts';
import { spawnCliServer, startScriptPath } from './helpers/cli.ts';
import { http, sessionCookieOf } from './helpers/server.ts';

describe("the README's start command", () => {
  it('says each step, starts the server on SQLite, ends with the banner and the admin password, and that password logs in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'komari-readme-'));
    const server = await spawnCliServer(join(dir, 'data', 'komari.db'), {}, ['bash', startScriptPath]);
    try {
      const out = server.stdout();
      const steps = ['komari-ts: building the web UI', 'komari-ts: building the agent bundle', 'komari-ts: starting the server', bannerTitle];
      const at = steps.map((step) => out.indexOf(step));
      assert.ok(at.every((i, n) => i >= 0 && (n === 0 || i > at[n - 1]!)), `steps out of order or missing in: ${out}`);
      const m = /Default admin account created\. Username: admin , Password: ([0-9A-Za-z]{12})\n/.exec(out);
      assert.ok(m, `no password line in: ${out}`);
      assert.ok(m.index > at[3]!, 'the password is in the banner');
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
