import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode } from '../helpers/agent-common.ts';
import { answerJson, startCaptureServer, type CaptureServer } from '../helpers/capture-server.ts';
import { http, rpc, startWithAdmin, type TestServer } from '../helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

// The test send and ad-hoc notifications (notifications.md §10) through Komari's active sender: a
// webhook pointed at a local stand-in. Retries are kept fast (10 ms, then 40 ms).

const testText = 'This is a test message from Komari.';
const emptySender = 'you are using an empty message sender, please check your configuration';

describe('POST /api/admin/test/sendMessage and admin:sendNotification', () => {
  let s: TestServer;
  let cookie: string;
  let hook: CaptureServer;
  /** how the stand-in answers: 200, or a failure status with a body */
  let answer: { status: number; body: unknown } = { status: 200, body: { ok: true } };

  const testSend = () => http(s.url, '/api/admin/test/sendMessage', { method: 'POST', cookie });
  const settings = (body: Record<string, unknown>) => http(s.url, '/api/admin/settings', { method: 'POST', cookie, body });
  const logs = async (): Promise<string[]> => (await http(s.url, '/api/admin/logs?limit=1000', { cookie })).json.data.logs.map((l: any) => l.message);
  const history = async (): Promise<any[]> => (await http(s.url, '/api/admin/alerts/history', { cookie })).json.data.items;
  /** The default body template's `message`: the rendered notification text. */
  const messages = () => hook.seen.map((r) => (JSON.parse(r.body) as { message: string; title: string }));

  before(async () => {
    hook = await startCaptureServer((_req, res) => answerJson(res, answer.status, answer.body));
    ({ s, cookie } = await startWithAdmin({ limits: { alerts: { retryBaseMs: 10 } } }));
  });
  after(async () => {
    await s.dispose();
    await hook.close();
  });

  it('with notification_method "none" and no channels: 500 with the empty sender’s message, audited and in the history', async () => {
    const res = await testSend();
    assert.equal(res.status, 500, res.text);
    assert.deepEqual(res.json, { status: 'error', message: `Failed to send message: ${emptySender}` });
    // Komari tries the empty sender three times over; another try cannot help, so it is tried once.
    assert.ok((await logs()).includes(`Failed to send event message after 1 attempt: ${emptySender},Test`), (await logs()).join('\n'));
    const [rec] = await history();
    assert.equal(rec.event, 'Test');
    assert.equal(rec.message, testText);
    assert.deepEqual(rec.nodes, []);
    assert.deepEqual(rec.results.map((r: any) => ({ ok: r.ok, kind: r.kind, error: r.error, attempts: r.attempts })), [
      { ok: false, kind: 'empty', error: emptySender, attempts: 1 },
    ]);
  });

  it('an active sender whose row is still the zero config: 500 naming the missing field, nothing sent', async () => {
    assert.equal((await settings({ notification_method: 'webhook' })).status, 200);
    try {
      const res = await testSend();
      assert.equal(res.status, 500, res.text);
      assert.deepEqual(res.json, { status: 'error', message: 'Failed to send message: webhook is not fully configured: url is required' });
      const [rec] = await history();
      assert.deepEqual(rec.results.map((r: any) => [r.channel_id, r.kind, r.ok, r.attempts]), [[0, 'webhook', false, 0]]);
      // komari-ts: a config that cannot be sent is not tried, and the audit line says so.
      assert.ok((await logs()).includes('Failed to send event message after 0 attempts: webhook is not fully configured: url is required,Test'));
    } finally {
      await settings({ notification_method: 'none' });
    }
  });

  it('with notification_enabled false: success and nothing is sent', async () => {
    const cfg = await http(s.url, '/api/admin/settings/message-sender', {
      method: 'POST', cookie, body: { name: 'webhook', addition: JSON.stringify({ url: `${hook.url}/komari`, method: 'POST' }) },
    });
    assert.equal(cfg.status, 200, cfg.text);
    assert.equal((await settings({ notification_method: 'webhook', notification_enabled: false })).status, 200);
    const res = await testSend();
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'success', message: '' });
    // The route answers after delivery is over: nothing reached the stand-in.
    assert.equal(hook.seen.length, 0);
    assert.equal((await settings({ notification_enabled: true })).status, 200);
  });

  it('with the webhook sender: the stand-in gets the default template for Test; the route answers with no data', async () => {
    const logsBefore = (await logs()).length;
    const res = await testSend();
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'success', message: '' });
    assert.equal(hook.seen.length, 1);
    const req = hook.seen[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.rawUrl, '/komari');
    assert.equal(req.headers['content-type'], 'application/json');
    const { message, title } = messages()[0]!;
    assert.equal(title, 'Test');
    assert.match(message, /^\nEvent: Test\nClients: \nMessage: This is a test message from Komari\.\nTime: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    // Komari's JSON escaping of substituted values: \u000A for a newline.
    assert.ok(req.body.includes('\\u000AEvent: Test\\u000A'), req.body);

    const newLogs = (await logs()).slice(0, (await logs()).length - logsBefore);
    assert.ok(newLogs.includes('Event message sent: Test'), newLogs.join('\n'));
    const [rec] = await history();
    assert.equal(rec.event, 'Test');
    assert.deepEqual(rec.results.map((r: any) => ({ channel_id: r.channel_id, channel: r.channel, kind: r.kind, ok: r.ok, error: r.error, attempts: r.attempts })), [
      { channel_id: 0, channel: 'webhook', kind: 'webhook', ok: true, error: '', attempts: 1 },
    ]);
  });

  it('the same test send over /api/rpc2 (admin:testSendMessage) answers with no result', async () => {
    const seen = hook.seen.length;
    const res = await rpc(s.url, 'admin:testSendMessage', undefined, { cookie });
    assert.deepEqual(res, { jsonrpc: '2.0', id: 1 });
    assert.equal(hook.seen.length, seen + 1);
  });

  it('a failing service: 3 attempts, 500 "Failed to send message: <reason>", audited with Komari’s text', async () => {
    answer = { status: 502, body: { error: 'bad gateway' } };
    try {
      const seen = hook.seen.length;
      const res = await testSend();
      assert.equal(res.status, 500, res.text);
      const reason = 'webhook answered HTTP 502: {"error":"bad gateway"}';
      assert.deepEqual(res.json, { status: 'error', message: `Failed to send message: ${reason}` });
      assert.equal(hook.seen.length, seen + 3, 'three attempts');
      assert.ok((await logs()).includes(`Failed to send event message after 3 attempts: ${reason},Test`));
      const [rec] = await history();
      assert.deepEqual(rec.results.map((r: any) => [r.ok, r.error, r.attempts]), [[false, reason, 3]]);
    } finally {
      answer = { status: 200, body: { ok: true } };
    }
  });

  it('a service that echoes a secret header back: the secret is masked in the answer, the history and the audit log', async () => {
    const echo = await startCaptureServer((req, res) => answerJson(res, 401, { error: `invalid key ${String(req.headers['x-key'])}` }));
    const setHook = (url: string, extra: Record<string, unknown> = {}) =>
      http(s.url, '/api/admin/settings/message-sender', { method: 'POST', cookie, body: { name: 'webhook', addition: JSON.stringify({ url, method: 'POST', ...extra }) } });
    assert.equal((await setHook(`${echo.url}/x`, { headers: JSON.stringify({ 'X-Key': 'sekrit-123' }) })).status, 200);
    try {
      const res = await testSend();
      assert.equal(res.status, 500, res.text);
      assert.equal(echo.seen[0]!.headers['x-key'], 'sekrit-123');
      assert.deepEqual(res.json, { status: 'error', message: 'Failed to send message: webhook answered HTTP 401: {"error":"invalid key ***"}' });
      assert.equal(JSON.stringify(await history()).includes('sekrit-123'), false);
      assert.equal((await logs()).some((l) => l.includes('sekrit-123')), false);
    } finally {
      await setHook(`${hook.url}/komari`);
      await echo.close();
    }
  });

  it('a sender that cannot be reached fails the same way, naming the cause', async () => {
    const dead = await startCaptureServer(() => {});
    const deadUrl = dead.url;
    await dead.close();
    await http(s.url, '/api/admin/settings/message-sender', {
      method: 'POST', cookie, body: { name: 'webhook', addition: JSON.stringify({ url: `${deadUrl}/gone`, method: 'POST' }) },
    });
    try {
      const res = await testSend();
      assert.equal(res.status, 500, res.text);
      assert.deepEqual(res.json, { status: 'error', message: 'Failed to send message: request failed: ECONNREFUSED' });
    } finally {
      await http(s.url, '/api/admin/settings/message-sender', {
        method: 'POST', cookie, body: { name: 'webhook', addition: JSON.stringify({ url: `${hook.url}/komari`, method: 'POST' }) },
      });
    }
  });

  it('admin:sendNotification: a missing or empty event is -32602 "event is required"', async () => {
    const seen = hook.seen.length;
    for (const params of [{}, { event: {} }, { event: { event: '' } }, { event: { message: 'hi' } }]) {
      const res = await rpc(s.url, 'admin:sendNotification', params, { cookie });
      assert.deepEqual(res.error, { code: -32602, message: 'event is required' }, JSON.stringify(params));
    }
    assert.equal(hook.seen.length, seen);
  });

  it('admin:sendNotification: all clients unknown is -32603 and nothing is sent', async () => {
    const seen = hook.seen.length;
    const records = (await history()).length;
    const res = await rpc(s.url, 'admin:sendNotification', { event: { event: 'Custom', message: 'x', clients: [{ uuid: 'ghost-1' }, { uuid: 'ghost-2' }] } }, { cookie });
    assert.deepEqual(res.error, { code: -32603, message: 'Failed to send notification: none of the specified clients exist' });
    assert.equal(hook.seen.length, seen);
    assert.equal((await history()).length, records, 'no history row for a refused notification');
  });

  it('admin:sendNotification: a custom event with one known and one unknown client goes out naming the known one', async () => {
    const node = await addNode(s, cookie, 'frankfurt-7');
    const seen = hook.seen.length;
    const res = await rpc(s.url, 'admin:sendNotification', {
      event: { event: 'Deploy', message: 'v2 rolled out', emoji: '🔔', clients: [{ uuid: node.uuid }, { uuid: 'ghost-3' }] },
    }, { cookie });
    assert.equal(res.error, undefined, JSON.stringify(res));
    assert.equal(hook.seen.length, seen + 1);
    const { message, title } = messages().at(-1)!;
    assert.equal(title, 'Deploy');
    assert.match(message, /^🔔🔔🔔\nEvent: Deploy\nClients: frankfurt-7\nMessage: v2 rolled out\nTime: /);
    const [rec] = await history();
    assert.deepEqual([rec.event, rec.message, rec.nodes], ['Deploy', 'v2 rolled out', [{ uuid: node.uuid, name: 'frankfurt-7' }]]);
  });

  it('guests can neither test-send nor send a notification', async () => {
    const guest = await rpc(s.url, 'admin:sendNotification', { event: { event: 'X' } });
    assert.equal(guest.error?.code, -32041);
    const guestTest = await http(s.url, '/api/admin/test/sendMessage', { method: 'POST' });
    assert.equal(guestTest.status, 401);
  });
});
