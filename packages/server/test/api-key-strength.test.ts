import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { spawnCliServer } from './helpers/cli.ts';
import { http, rpc, startTestServer, type TestServer } from './helpers/server.ts';

/** The start of the refusal (the whole text is weakApiKeyMessage in protocol/api-key.ts). */
const weakKeyMessage = /^api_key must be at least 32 random-looking visible ASCII characters \(about 128 bits/;
const strongKey = 'strength-Wq4Zr9Kx2Mv7Bn1Tj6Hp3Ls8Dc';

describe('the API key must be long and random-looking', () => {
  let s: TestServer;
  let cookie: string;
  const save = (api_key: unknown) => http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { api_key } });
  const opensAdmin = async (key: string) => (await http(s.url, '/api/admin/session/get', { headers: { authorization: `Bearer ${key}` } })).status === 200;

  before(async () => {
    s = await startTestServer();
    cookie = await s.login();
  });
  after(() => s.dispose());

  it('a 12-character key, Komari’s minimum, is refused with 400 and the reason, and stores nothing', async () => {
    const res = await save('abcdefghijkl');
    assert.equal(res.status, 400);
    assert.equal(res.json.status, 'error');
    assert.match(res.json.message, weakKeyMessage);
    assert.equal(await opensAdmin('abcdefghijkl'), false);
    assert.equal((await http(s.url, '/api/admin/settings', { cookie })).json.data.api_key, '');
  });

  it('long but trivial keys (one character, a sequence, a repeated word, spaces) are refused', async () => {
    const weak = ['a'.repeat(48), 'abcdefghijklmnopqrstuvwxyz0123456789', 'Password1'.repeat(5), `${randomBytes(24).toString('base64url')} x`];
    for (const key of weak) {
      const res = await save(key);
      assert.equal(res.status, 400, key);
      assert.equal(await opensAdmin(key), false, key);
    }
  });

  it('admin:editSettings over JSON-RPC applies the same rule', async () => {
    const res = await rpc(s.url, 'admin:editSettings', { api_key: '0123456789abcdef' }, { cookie });
    assert.match(String(res.error?.message), weakKeyMessage);
  });

  it('random keys of 32+ characters (hex, base64url, a UUID) are accepted and open admin routes', async () => {
    for (const key of [randomBytes(16).toString('hex'), randomBytes(24).toString('base64url'), randomUUID(), strongKey]) {
      const res = await save(key);
      assert.equal(res.status, 200, `${key}: ${res.text}`);
      assert.equal(await opensAdmin(key), true, key);
      assert.equal(await opensAdmin(key.slice(0, -1)), false, 'a prefix');
      assert.equal(await opensAdmin(`${key}x`), false, 'a longer key');
    }
  });

  it('an empty key turns the API key off', async () => {
    assert.equal((await save('')).status, 200);
    assert.equal(await opensAdmin(strongKey), false);
  });
});

describe('a short API key stored by an older version', () => {
  let dbPath = '';
  let dispose: () => Promise<void> = async () => {};
  const oldKey = 'old-short-key-1234';
  before(async () => {
    const s = await startTestServer();
    dbPath = s.dbPath;
    await s.stop();
    dispose = () => s.dispose();
    const db = new DatabaseSync(dbPath);
    db.prepare("UPDATE settings SET value = ? WHERE key = 'api_key'").run(JSON.stringify(oldKey));
    db.close();
  });
  after(() => dispose());

  it('stops opening admin routes, and the server warns at start naming the setting but never the value', async () => {
    const server = await spawnCliServer(dbPath);
    try {
      const res = await http(server.url, '/api/admin/session/get', { headers: { authorization: `Bearer ${oldKey}` } });
      assert.equal(res.status, 401);
      const logs = server.stdout() + server.stderr();
      assert.match(logs, /setting api_key holds a stored value its rule no longer accepts/);
      assert.doesNotMatch(logs, new RegExp(oldKey));
    } finally {
      await server.stop();
    }
  });
});
