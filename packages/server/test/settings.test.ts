import { defaultSettings } from '@komari-ts/protocol';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { http, rpc, startTestServer, type TestServer } from './helpers/server.ts';

describe('admin settings', () => {
  let s: TestServer;
  let admin: string;
  before(async () => {
    s = await startTestServer();
    admin = await s.login();
  });
  after(() => s.dispose());

  const get = async (path = '/api/admin/settings/') => http(s.url, path, { cookie: admin });
  const post = async (body: unknown, path = '/api/admin/settings/') => http(s.url, path, { method: 'POST', cookie: admin, body });

  it('GET answers on both /api/admin/settings/ and the slashless spelling old UIs use', async () => {
    for (const path of ['/api/admin/settings/', '/api/admin/settings']) {
      const res = await get(path);
      assert.equal(res.status, 200, path);
      assert.equal(res.json.status, 'success');
      assert.equal(res.json.message, '');
      assert.equal(typeof res.json.data, 'object');
    }
  });

  it('a fresh instance materialises every default key', async () => {
    const { json } = await get();
    for (const [key, value] of Object.entries(defaultSettings())) {
      assert.ok(Object.hasOwn(json.data, key), `missing ${key}`);
      assert.deepEqual(json.data[key], value, key);
    }
    assert.equal(json.data.sitename, 'Komari');
    assert.equal(json.data.cors_origin_check_enabled, true);
    assert.equal(json.data.private_site, false);
  });

  it('POST saves on both spellings and answers the standard envelope without data', async () => {
    const a = await post({ sitename: 'Slash' }, '/api/admin/settings/');
    assert.equal(a.status, 200, a.text);
    assert.deepEqual(a.json, { status: 'success', message: '' });
    assert.equal((await get()).json.data.sitename, 'Slash');
    const b = await post({ sitename: 'No slash' }, '/api/admin/settings');
    assert.equal(b.status, 200, b.text);
    assert.equal((await get('/api/admin/settings')).json.data.sitename, 'No slash');
  });

  it('POST works without a Content-Type header (old UIs omit it)', async () => {
    const res = await http(s.url, '/api/admin/settings', {
      method: 'POST',
      cookie: admin,
      body: JSON.stringify({ description: 'no content type' }),
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal((await get()).json.data.description, 'no content type');
  });

  it('unknown keys are stored as sent and read back', async () => {
    const res = await post({ CreatedAt: '2025-01-01', custom_thing: { nested: [1, 2] } });
    assert.equal(res.status, 200, res.text);
    const { json } = await get();
    assert.equal(json.data.CreatedAt, '2025-01-01');
    assert.deepEqual(json.data.custom_thing, { nested: [1, 2] });
  });

  it('low_resource_mode is silently dropped', async () => {
    const res = await post({ low_resource_mode: true, theme: 'lrm-check' });
    assert.equal(res.status, 200, res.text);
    const { json } = await get();
    assert.equal(Object.hasOwn(json.data, 'low_resource_mode'), false);
    assert.equal(json.data.theme, 'lrm-check');
  });

  for (const [bad, key] of [
    [{ private_site: 'yes' }, 'private_site'],
    [{ sitename: 5 }, 'sitename'],
    [{ history_retention: [] }, 'history_retention'],
    [{ expire_notification_lead_days: 1.5 }, 'expire_notification_lead_days'],
  ] as const) {
    it(`a typed key with the wrong type (${JSON.stringify(bad)}) is a 400 naming it and nothing in the body is saved`, async () => {
      const before = (await get()).json.data;
      const res = await post({ description: `must-not-be-saved-${key}`, ...bad, custom_unknown_key: 'nope' });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.status, 'error');
      assert.ok(res.json.message.includes(key), `message names ${key}: ${res.json.message}`);
      const afterData = (await get()).json.data;
      assert.equal(afterData.description, before.description);
      assert.deepEqual(afterData[key], before[key]);
      assert.equal(Object.hasOwn(afterData, 'custom_unknown_key'), false);
    });
  }

  it('the 400 message says what the key must be', async () => {
    assert.equal((await post({ private_site: 'yes' })).json.message, 'private_site must be a boolean');
    assert.equal((await post({ sitename: 5 })).json.message, 'sitename must be a string');
    assert.equal((await post({ expire_notification_lead_days: 1.5 })).json.message, 'expire_notification_lead_days must be an integer');
    assert.equal((await post({ history_retention: [] })).json.message, 'history_retention must be a non-empty array');
    const tier = await post({ history_retention: [{ bucketSeconds: 0, keepHours: 24 }] });
    assert.equal(tier.status, 400);
    assert.match(tier.json.message, /^history_retention must be a non-empty array \(0\.bucketSeconds: /);
  });

  it('the same validation applies over RPC admin:editSettings', async () => {
    const r = await rpc(s.url, 'admin:editSettings', { private_site: 'yes', sitename: 'rpc-bad' }, { cookie: admin });
    assert.equal(r.error?.code, -32602);
    assert.match(r.error?.message ?? '', /private_site/);
    assert.notEqual((await get()).json.data.sitename, 'rpc-bad');
    const ok = await rpc(s.url, 'admin:editSettings', { sitename: 'rpc-good' }, { cookie: admin });
    assert.equal(ok.error, undefined);
    const all = await rpc(s.url, 'admin:getSettings', undefined, { cookie: admin });
    assert.equal(all.result.sitename, 'rpc-good');
  });

  it('an empty body saves nothing and writes no audit row', async () => {
    const count = async () => (await http(s.url, '/api/admin/logs?limit=1', { cookie: admin })).json.data.total as number;
    const before = await count();
    const res = await http(s.url, '/api/admin/settings', { method: 'POST', cookie: admin });
    assert.equal(res.status, 200, res.text);
    assert.equal(await count(), before);
  });

  it('a "__proto__" key cannot smuggle settings in through the prototype', async () => {
    try {
      const res = await post('{"__proto__":{"private_site":true,"sitename":"proto"}}');
      assert.ok(res.status === 200 || res.status === 400, res.text);
      const { json } = await get();
      assert.equal(json.data.private_site, false);
      assert.notEqual(json.data.sitename, 'proto');
    } finally {
      await post({ private_site: false, sitename: 'Komari' });
    }
  });

  it('a malformed JSON body is 400 "Invalid or missing request body"', async () => {
    const res = await post('{"sitename": ');
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { status: 'error', message: 'Invalid or missing request body' });
  });

  it('a JSON array body is a 400 and saves nothing', async () => {
    const before = (await get()).json.data;
    for (const body of [[{ sitename: 'array' }], ['sitename', 'array']]) {
      const res = await post(body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(res.json.status, 'error');
    }
    const afterData = (await get()).json.data;
    assert.equal(afterData.sitename, before.sitename);
    assert.deepEqual(Object.keys(afterData).sort(), Object.keys(before).sort());
  });

  it('a JSON scalar body ("x", 5, true) is a 400, as Komari fails to decode it into a map', async () => {
    for (const body of ['"scalar"', '5', 'true']) {
      const res = await post(body);
      assert.equal(res.status, 400, `${body}: ${res.text}`);
      assert.equal(res.json.status, 'error');
    }
  });

  it('a successful save writes the audit row "update settings: <keys>"', async () => {
    await post({ sitename: 'Audited', custom_footer: 'f' });
    const logs = await http(s.url, '/api/admin/logs?limit=20', { cookie: admin });
    const row = (logs.json.data.logs as { message: string; msg_type: string }[]).find((l) => l.message.startsWith('update settings:'));
    assert.ok(row, 'an update settings row exists');
    assert.equal(row.msg_type, 'info');
    const keys = row.message.slice('update settings: '.length).split(', ').sort();
    assert.deepEqual(keys, ['custom_footer', 'sitename']);
  });

  it('a guest gets 401 Unauthorized. on GET and POST and nothing is saved', async () => {
    const g = await http(s.url, '/api/admin/settings');
    assert.equal(g.status, 401);
    assert.deepEqual(g.json, { status: 'error', message: 'Unauthorized.' });
    const p = await http(s.url, '/api/admin/settings/', { method: 'POST', body: { sitename: 'guest-wrote-this' } });
    assert.equal(p.status, 401);
    assert.deepEqual(p.json, { status: 'error', message: 'Unauthorized.' });
    assert.notEqual((await get()).json.data.sitename, 'guest-wrote-this');
    const r = await rpc(s.url, 'admin:getSettings');
    assert.equal(r.error?.code, -32041);
  });
});

describe('settings persistence', () => {
  it('settings survive a restart', async () => {
    const first = await startTestServer();
    let second: TestServer | undefined;
    try {
      const cookie = await first.login();
      const res = await http(first.url, '/api/admin/settings', {
        method: 'POST',
        cookie,
        body: { sitename: 'Persisted', private_site: true, some_unknown: 7 },
      });
      assert.equal(res.status, 200, res.text);
      const theme = await http(first.url, '/api/admin/theme/settings?theme=default', { method: 'POST', cookie, body: { k: 'v' } });
      assert.equal(theme.status, 200, theme.text);
      await first.stop();
      second = await startTestServer({ dir: first.dir });
      const pub = await http(second.url, '/api/public');
      assert.equal(pub.json.data.sitename, 'Persisted');
      assert.equal(pub.json.data.private_site, true);
      assert.equal(pub.json.data.theme_settings.k, 'v');
      const all = await http(second.url, '/api/admin/settings', { cookie: await second.login() });
      assert.equal(all.json.data.some_unknown, 7);
    } finally {
      if (second) await second.dispose();
      else await first.dispose().catch(() => rmSync(first.dir, { recursive: true, force: true }));
    }
  });
});
