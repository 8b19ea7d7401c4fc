import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode } from '../helpers/agent-common.ts';
import { answerJson, startCaptureServer, type CaptureServer } from '../helpers/capture-server.ts';
import { http, rpc, startWithAdmin, type TestServer } from '../helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

// komari-ts's alert channels under /api/admin/alerts: kinds, add (from kind + config or from a
// URL), edit, delete, test, and every refusal leaving the channel list as it was. One local
// stand-in answers every channel; the request path says which channel it came from.

describe('alert channels (/api/admin/alerts/channels)', () => {
  let s: TestServer;
  let cookie: string;
  let hook: CaptureServer;

  const list = async (): Promise<any[]> => {
    const res = await http(s.url, '/api/admin/alerts/channels', { cookie });
    assert.equal(res.status, 200, res.text);
    return res.json.data;
  };
  const post = (verb: string, body: unknown) => http(s.url, `/api/admin/alerts/channels/${verb}`, { method: 'POST', cookie, body });
  const hookAt = (path: string, extra: Record<string, unknown> = {}) => ({ url: `${hook.url}${path}`, method: 'POST', ...extra });
  const paths = () => hook.seen.map((r) => r.url.pathname);

  async function refused(verb: string, body: unknown, message: string | RegExp, status = 400): Promise<void> {
    const before = await list();
    const seen = hook.seen.length;
    const res = await post(verb, body);
    assert.equal(res.status, status, res.text);
    assert.equal(res.json.status, 'error');
    if (typeof message === 'string') assert.equal(res.json.message, message);
    else assert.match(res.json.message, message);
    assert.deepEqual(await list(), before, 'nothing changed');
    assert.equal(hook.seen.length, seen, 'nothing sent');
  }

  before(async () => {
    hook = await startCaptureServer((_req, res) => answerJson(res, 200, { ok: true }));
    ({ s, cookie } = await startWithAdmin({ limits: { alerts: { retryBaseMs: 10 } } }));
  });
  after(async () => {
    await s.dispose();
    await hook.close();
  });

  it('channel-kinds lists every kind (not empty) with its fields and URL schemes; Komari’s six are marked', async () => {
    const res = await http(s.url, '/api/admin/alerts/channel-kinds', { cookie });
    assert.equal(res.status, 200, res.text);
    const kinds: any[] = res.json.data;
    assert.deepEqual(kinds.map((k) => k.kind), [
      'telegram', 'email', 'webhook', 'bark', 'Server酱³', 'Server酱Turbo',
      'ntfy', 'gotify', 'discord', 'slack', 'dingtalk', 'wecom', 'feishu', 'pushplus', 'pushover', 'matrix',
    ]);
    assert.deepEqual(kinds.filter((k) => k.komari).map((k) => k.kind), ['telegram', 'email', 'webhook', 'bark', 'Server酱³', 'Server酱Turbo']);
    for (const k of kinds) {
      assert.deepEqual(Object.keys(k), ['kind', 'komari', 'fields', 'url_schemes']);
      assert.ok(k.fields.length > 0, k.kind);
      for (const f of k.fields) assert.deepEqual(Object.keys(f), ['name', 'required', 'type', 'options', 'default', 'help']);
      assert.ok(Array.isArray(k.url_schemes));
    }
    const by = Object.fromEntries(kinds.map((k) => [k.kind, k]));
    assert.deepEqual(by.webhook.url_schemes, ['json', 'jsons']);
    assert.deepEqual(by.ntfy.url_schemes, ['ntfy', 'ntfys']);
    assert.deepEqual(by.webhook.fields.map((f: any) => f.name), ['url', 'method', 'content_type', 'headers', 'body', 'username', 'password']);
  });

  it('add from kind + config answers {id}; the list shows the row with its defaults', async () => {
    const res = await post('add', { name: 'ops hook', kind: 'webhook', config: hookAt('/one') });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'success', message: '', data: { id: 1 } });
    const [row] = await list();
    assert.deepEqual({ ...row, created_at: typeof row.created_at }, {
      id: 1, kind: 'webhook', name: 'ops hook', enabled: true, template: '', created_at: 'string',
      config: { url: `${hook.url}/one`, method: 'POST', content_type: '', headers: '', body: '', username: '', password: '' },
    });
  });

  it('add from a json:// URL lands as a webhook POSTing to http://host:port/path', async () => {
    const port = new URL(hook.url).port;
    const res = await post('add', { name: 'from url', url: `json://127.0.0.1:${port}/two?+X-Token=abc` });
    assert.equal(res.status, 200, res.text);
    const row = (await list()).find((c) => c.id === res.json.data.id);
    assert.equal(row.kind, 'webhook');
    assert.equal(row.config.url, `http://127.0.0.1:${port}/two`);
    assert.equal(row.config.method, 'POST');
    assert.equal(row.config.headers, JSON.stringify({ 'X-Token': 'abc' }));
    const test = await post('test', { id: row.id });
    assert.equal(test.status, 200, test.text);
    const req = hook.seen.at(-1)!;
    assert.equal(req.url.pathname, '/two');
    assert.equal(req.headers['x-token'], 'abc');
  });

  it('add from an ntfy:// URL: plain http to the host given, the topic in the JSON body', async () => {
    const port = new URL(hook.url).port;
    const res = await post('add', { name: 'ntfy', url: `ntfy://127.0.0.1:${port}/alerts-topic`, enabled: false });
    assert.equal(res.status, 200, res.text);
    const row = (await list()).find((c) => c.id === res.json.data.id);
    assert.deepEqual([row.kind, row.config.server_url, row.config.topic, row.enabled], ['ntfy', `http://127.0.0.1:${port}`, 'alerts-topic', false]);
    // A test reaches a channel that is switched off.
    const test = await post('test', { id: row.id });
    assert.equal(test.status, 200, test.text);
    assert.equal(test.json.data.results[0].ok, true);
    const req = hook.seen.at(-1)!;
    assert.equal(req.url.pathname, '/');
    assert.deepEqual([JSON.parse(req.body).topic, JSON.parse(req.body).title], ['alerts-topic', 'Test']);
  });

  it('test {id} delivers the Test to the stand-in and answers the per-channel result', async () => {
    const seen = hook.seen.length;
    const res = await post('test', { id: 1 });
    assert.equal(res.status, 200, res.text);
    assert.equal(hook.seen.length, seen + 1);
    assert.equal(hook.seen.at(-1)!.url.pathname, '/one');
    assert.match(JSON.parse(hook.seen.at(-1)!.body).message, /\nEvent: Test\nClients: \nMessage: This is a test message from Komari\.\n/);
    const [r] = res.json.data.results;
    assert.deepEqual({ ...r, at: typeof r.at }, { channel_id: 1, channel: 'ops hook', kind: 'webhook', ok: true, error: '', attempts: 1, at: 'string' });
  });

  it('edit changes what is given and keeps unspecified config fields', async () => {
    const set = await post('edit', { id: 1, config: { username: 'bob', password: 'pw' } });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.json, { status: 'success', message: '' });
    const row = (await list()).find((c) => c.id === 1);
    assert.deepEqual([row.config.url, row.config.method, row.config.username, row.config.password], [`${hook.url}/one`, 'POST', 'bob', 'pw']);
    const rename = await post('edit', { id: 1, name: 'ops', template: '{{event}}: {{message}}' });
    assert.equal(rename.status, 200, rename.text);
    const again = (await list()).find((c) => c.id === 1);
    assert.deepEqual([again.name, again.template, again.config.username], ['ops', '{{event}}: {{message}}', 'bob']);
    await post('test', { id: 1 });
    assert.equal(JSON.parse(hook.seen.at(-1)!.body).message, 'Test: This is a test message from Komari.');
    assert.equal(hook.seen.at(-1)!.headers.authorization, `Basic ${Buffer.from('bob:pw').toString('base64')}`);
  });

  it('bad adds are 400 naming the problem and change nothing', async () => {
    await refused('add', { name: 'x', kind: 'carrier-pigeon', config: {} }, 'Unknown channel kind: carrier-pigeon');
    await refused('add', { name: 'x', kind: 'empty', config: {} }, 'Unknown channel kind: empty');
    await refused('add', { name: 'x', kind: 'webhook', config: {} }, /^Invalid configuration: url\b/);
    await refused('add', { name: 'x', kind: 'telegram', config: { bot_token: '1:abc' } }, /^Invalid configuration: chat_id\b/);
    await refused('add', { name: 'x', kind: 'email', config: { host: 'h', port: '25' } }, /^Invalid configuration: port\b/);
    await refused('add', { name: 'x', kind: 'webhook', config: hookAt('/x', { method: 'PUT' }) }, /^Invalid configuration: method\b/);
    await refused('add', { name: 'x' }, 'kind or url is required');
    await refused('add', { name: 'x', url: 'not a url' }, /^Invalid channel URL: /);
    await refused('add', { name: 'x', url: 'gopher://host/x' }, /^Invalid channel URL: unknown channel URL scheme "gopher"/);
    await refused('add', { name: 'x', url: 'ntfy://' }, /^Invalid channel URL: /);
    await refused('add', { kind: 'webhook', config: hookAt('/x') }, /name/);
    await refused('add', { name: '   ', kind: 'webhook', config: hookAt('/x') }, /name is required/);
    await refused('add', { name: 'n'.repeat(101), kind: 'webhook', config: hookAt('/x') }, /name/);
    await refused('add', { name: 'x', kind: 'webhook', config: hookAt('/x'), template: 't'.repeat(16 * 1024 + 1) }, /template/);
    await refused('add', { name: 'x', kind: 'webhook', config: 'url=http://x' }, /config/);
    await refused('add', [{ name: 'x', kind: 'webhook', config: hookAt('/x') }], /^Invalid request body: /);
  });

  it('bad edits, deletes and tests: 400/404 and nothing changed', async () => {
    await refused('edit', { id: 99, name: 'x' }, 'Channel not found: 99', 404);
    await refused('delete', { id: 99 }, 'Channel not found: 99', 404);
    await refused('test', { id: 99 }, 'Channel not found: 99', 404);
    await refused('edit', { id: 1, config: { url: '' } }, /^Invalid configuration: url\b/);
    await refused('edit', { id: 1, config: { method: 'PATCH' } }, /^Invalid configuration: method\b/);
    await refused('edit', { id: 1, name: '' }, /name is required/);
    await refused('edit', { id: 1, name: 'n'.repeat(101) }, /name/);
    await refused('edit', { id: 1, template: 't'.repeat(16 * 1024 + 1) }, /template/);
    await refused('edit', { name: 'x' }, /^Invalid request body: id/);
    await refused('delete', {}, /^Invalid request body: id/);
    await refused('test', { id: 'one' }, /^Invalid request body: id/);
  });

  it('a test through a failing channel is 500 naming the reason', async () => {
    const dead = await startCaptureServer((_req, res) => answerJson(res, 503, { error: 'maintenance' }));
    try {
      const add = await post('add', { name: 'flaky', kind: 'webhook', config: { url: `${dead.url}/x`, method: 'POST' }, enabled: false });
      const res = await post('test', { id: add.json.data.id });
      assert.equal(res.status, 500, res.text);
      assert.deepEqual(res.json, { status: 'error', message: 'Failed to send message: webhook answered HTTP 503: {"error":"maintenance"}' });
      assert.equal(dead.seen.length, 3);
      assert.equal((await post('delete', { id: add.json.data.id })).status, 200);
    } finally {
      await dead.close();
    }
  });

  it('a channel whose URL is not http(s) is refused when saved (fetch would answer data: URLs itself)', async () => {
    const before = (await http(s.url, '/api/admin/alerts/channels', { cookie })).json.data;
    for (const url of ['data:,ok', 'file:///etc/passwd', 'blob:x']) {
      const add = await post('add', { name: 'bad url', kind: 'webhook', config: { url, method: 'POST' } });
      assert.equal(add.status, 400, add.text);
      assert.deepEqual(add.json, { status: 'error', message: 'Invalid configuration: url must start with http:// or https://' });
    }
    assert.deepEqual((await http(s.url, '/api/admin/alerts/channels', { cookie })).json.data, before);
  });

  it('a Test goes once to Komari’s sender and to every enabled channel; a disabled one gets nothing', async () => {
    // Channels now: 1 ops (/one, enabled), 2 from url (/two, enabled), 3 ntfy (disabled). Add a disabled /off.
    const off = await post('add', { name: 'off', kind: 'webhook', config: hookAt('/off'), enabled: false });
    assert.equal(off.status, 200, off.text);
    await http(s.url, '/api/admin/settings/message-sender', {
      method: 'POST', cookie, body: { name: 'webhook', addition: JSON.stringify(hookAt('/komari')) },
    });
    await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { notification_method: 'webhook' } });
    const seen = hook.seen.length;
    const res = await http(s.url, '/api/admin/test/sendMessage', { method: 'POST', cookie });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'success', message: '' });
    assert.deepEqual(paths().slice(seen).sort(), ['/komari', '/one', '/two']);
    const [rec] = (await http(s.url, '/api/admin/alerts/history', { cookie })).json.data.items;
    assert.equal(rec.event, 'Test');
    assert.deepEqual(rec.results.map((r: any) => [r.channel_id, r.ok]).sort(), [[0, true], [1, true], [2, true]]);

    // Test via channel 0 = Komari's active sender.
    const zero = await post('test', { id: 0 });
    assert.equal(zero.status, 200, zero.text);
    assert.equal(paths().at(-1), '/komari');
  });

  it('delete removes the channel; the same methods answer over /api/rpc2', async () => {
    const before = await list();
    const del = await post('delete', { id: 2 });
    assert.equal(del.status, 200, del.text);
    assert.deepEqual(del.json, { status: 'success', message: '' });
    assert.deepEqual((await list()).map((c) => c.id), before.map((c) => c.id).filter((id) => id !== 2));
    const viaRpc = await rpc(s.url, 'admin:deleteAlertChannel', [1], { cookie });
    assert.deepEqual(viaRpc, { jsonrpc: '2.0', id: 1 });
    assert.equal((await list()).some((c) => c.id === 1), false);
    const gone = await rpc(s.url, 'admin:deleteAlertChannel', { id: 1 }, { cookie });
    assert.deepEqual(gone.error, { code: -32044, message: 'Channel not found: 1' });
  });

  it('guests can neither list nor change channels', async () => {
    assert.equal((await http(s.url, '/api/admin/alerts/channels')).status, 401);
    assert.equal((await http(s.url, '/api/admin/alerts/channel-kinds')).status, 401);
    const before = await list();
    const add = await http(s.url, '/api/admin/alerts/channels/add', { method: 'POST', body: { name: 'x', kind: 'webhook', config: hookAt('/x') } });
    assert.equal(add.status, 401);
    assert.deepEqual(await list(), before);
  });
});

describe('alert channels: at most limits.alerts.maxRules', () => {
  it('the channel past the limit is 400 and not added', async () => {
    const { s, cookie } = await startWithAdmin({ limits: { alerts: { maxRules: 1 } } });
    try {
      const body = { name: 'x', kind: 'webhook', config: { url: 'http://127.0.0.1:9/x' } };
      assert.equal((await http(s.url, '/api/admin/alerts/channels/add', { method: 'POST', cookie, body })).status, 200);
      const over = await http(s.url, '/api/admin/alerts/channels/add', { method: 'POST', cookie, body });
      assert.equal(over.status, 400, over.text);
      assert.deepEqual(over.json, { status: 'error', message: 'Too many channels (at most 1)' });
      assert.equal((await http(s.url, '/api/admin/alerts/channels', { cookie })).json.data.length, 1);
    } finally {
      await s.dispose();
    }
  });
});

describe('rules that chose a channel that is then deleted', () => {
  it('posting the rules back whole still works; a channel id that was never chosen is still refused', async () => {
    const { s, cookie } = await startWithAdmin();
    try {
      const post = (path: string, body: unknown) => http(s.url, path, { method: 'POST', cookie, body });
      const node = await addNode(s, cookie, 'a');
      const ch = (await post('/api/admin/alerts/channels/add', { name: 'x', kind: 'webhook', config: { url: 'http://127.0.0.1:9/x' } })).json.data.id as number;
      assert.equal((await post('/api/admin/notification/offline/edit', [{ client: node.uuid, enable: true, grace_period: 60, channels: [ch] }])).status, 200);
      const load = (await post('/api/admin/notification/load/add', { clients: [node.uuid], metric: 'cpu', threshold: 90, ratio: 0.5, interval: 5, channels: [ch] })).json.data.task_id;
      assert.equal((await post('/api/admin/alerts/channels/delete', { id: ch })).status, 200);

      const [offline] = (await http(s.url, '/api/admin/notification/offline', { cookie })).json.data;
      const back = await post('/api/admin/notification/offline/edit', [{ ...offline, grace_period: 120 }]);
      assert.equal(back.status, 200, back.text);
      const [rule] = (await http(s.url, '/api/admin/notification/load/', { cookie })).json.data;
      const loadBack = await post('/api/admin/notification/load/edit', { notifications: [{ ...rule, threshold: 80 }] });
      assert.equal(loadBack.status, 200, loadBack.text);
      assert.equal(rule.id, load);

      const fresh = await post('/api/admin/notification/offline/edit', [{ client: node.uuid, enable: true, grace_period: 60, channels: [ch, ch + 1] }]);
      assert.deepEqual([fresh.status, fresh.json.message], [400, `Channel not found: ${ch + 1}`]);
    } finally {
      await s.dispose();
    }
  });
});
