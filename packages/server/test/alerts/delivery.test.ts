import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { addNode } from '../helpers/agent-common.ts';
import { answerJson, startCaptureServer, type CaptureServer } from '../helpers/capture-server.ts';
import { ManualClock } from '../helpers/clock.ts';
import { http, startWithAdmin, type TestServer } from '../helpers/server.ts';

// Delivery: several channels at once, a hanging one delaying nobody, retries with backoff, the
// channels a rule chose, quiet hours (summary or drop), secrets kept out of the history and the
// audit log, and e-mail through a real SMTP server.

async function addChannel(s: TestServer, cookie: string, body: Record<string, unknown>): Promise<number> {
  const res = await http(s.url, '/api/admin/alerts/channels/add', { method: 'POST', cookie, body });
  assert.equal(res.status, 200, res.text);
  return res.json.data.id as number;
}

const hookConfig = (hook: CaptureServer, path = '/hook') => ({ url: `${hook.url}${path}`, method: 'POST', content_type: 'text/plain', body: '{{message}}' });

describe('delivery to several channels', () => {
  let s: TestServer;
  let cookie: string;
  let fast: CaptureServer;
  let hang: CaptureServer;
  let flaky: CaptureServer;
  let failuresLeft = 2;
  const fastAt: number[] = [];

  before(async () => {
    fast = await startCaptureServer((_r, res) => {
      fastAt.push(Date.now());
      answerJson(res, 200, {});
    });
    hang = await startCaptureServer(() => {}); // never answers
    flaky = await startCaptureServer((_r, res) => {
      if (failuresLeft-- > 0) answerJson(res, 502, { error: 'upstream down' });
      else answerJson(res, 200, {});
    });
    ({ s, cookie } = await startWithAdmin({ limits: { alerts: { sendTimeoutMs: 700, retryBaseMs: 20, attempts: 3 } } }));
  });
  after(async () => {
    await s.dispose();
    await Promise.all([fast.close(), hang.close(), flaky.close()]);
  });

  it('a hanging channel ends at its timeout and delays nobody; a failing one is retried; each result is recorded and audited', async () => {
    await addChannel(s, cookie, { name: 'fast', kind: 'webhook', config: hookConfig(fast) });
    await addChannel(s, cookie, { name: 'hangs', kind: 'webhook', config: hookConfig(hang) });
    await addChannel(s, cookie, { name: 'flaky', kind: 'webhook', config: hookConfig(flaky) });
    const started = Date.now();
    const res = await http(s.url, '/api/admin/test/sendMessage', { method: 'POST', cookie });
    assert.equal(res.status, 500);
    assert.equal(res.json.message, 'Failed to send message: hangs: no answer within 0.7 s');
    assert.ok(fastAt[0]! - started < 500, `the fast channel got it after ${fastAt[0]! - started} ms`);
    assert.equal(hang.seen.length, 3, 'three attempts at the hanging one');
    assert.equal(flaky.seen.length, 3, 'failed twice, delivered on the third attempt');

    const hist = await http(s.url, '/api/admin/alerts/history', { cookie });
    const test = hist.json.data.items.find((r: { event: string }) => r.event === 'Test');
    const byName = Object.fromEntries(test.results.map((r: { channel: string }) => [r.channel, r]));
    assert.deepEqual([byName.fast.ok, byName.fast.attempts], [true, 1]);
    assert.deepEqual([byName.flaky.ok, byName.flaky.attempts], [true, 3]);
    assert.deepEqual([byName.hangs.ok, byName.hangs.attempts, byName.hangs.error], [false, 3, 'no answer within 0.7 s']);
    const logs = JSON.stringify((await http(s.url, '/api/admin/logs?limit=100', { cookie })).json);
    assert.ok(logs.includes('Event message sent: Test via fast'));
    assert.ok(logs.includes('Failed to send event message after 3 attempts: no answer within 0.7 s,Test via hangs'));
  });

  it('a rule sends only to the channels it chose; a disabled channel gets nothing', async () => {
    const only = await startCaptureServer((_r, res) => answerJson(res, 200, {}));
    const other = await startCaptureServer((_r, res) => answerJson(res, 200, {}));
    try {
      const chosen = await addChannel(s, cookie, { name: 'chosen', kind: 'webhook', config: hookConfig(only) });
      await addChannel(s, cookie, { name: 'off', kind: 'webhook', config: hookConfig(other), enabled: false });
      const node = await addNode(s, cookie, 'epsilon');
      await s.ctx.alerts.fire({ kind: 'custom', event: 'Custom', emoji: '🔔', message: 'to one', nodes: [node.uuid], channels: [chosen] });
      await s.ctx.alerts.idle();
      assert.deepEqual(only.seen.map((r) => r.body), ['🔔🔔🔔\nEvent: Custom\nClients: epsilon\nMessage: to one\nTime: ' + only.seen[0]!.body.split('Time: ')[1]]);
      assert.equal(other.seen.length, 0);
      const rpc = await http(s.url, '/api/admin/alerts/channels/test', { method: 'POST', cookie, body: { id: chosen } });
      assert.equal(rpc.status, 200, rpc.text);
      assert.equal(only.seen.length, 2);
    } finally {
      await only.close();
      await other.close();
    }
  });
});

describe('secrets in failures', () => {
  it('a service that echoes its token: the history and the audit log show *** instead', async () => {
    const token = 'AbCdEf0123456789SeCrEt';
    const echo = await startCaptureServer((req, res) => answerJson(res, 401, { error: `bad token ${req.headers['x-gotify-key']}` }));
    const { s, cookie } = await startWithAdmin({ limits: { alerts: { retryBaseMs: 5 } } });
    try {
      await addChannel(s, cookie, { name: 'gotify', kind: 'gotify', config: { server_url: echo.url, app_token: token } });
      const res = await http(s.url, '/api/admin/test/sendMessage', { method: 'POST', cookie });
      assert.equal(res.status, 500);
      assert.ok(!res.text.includes(token), res.text);
      assert.ok(res.text.includes('***'));
      const hist = (await http(s.url, '/api/admin/alerts/history', { cookie })).text;
      const logs = (await http(s.url, '/api/admin/logs?limit=100', { cookie })).text;
      assert.ok(!hist.includes(token) && !logs.includes(token));
    } finally {
      await s.dispose();
      await echo.close();
    }
  });
});

describe('quiet hours', () => {
  it('holds what fires inside the window and sends one summary when it ends; "drop" sends nothing', async () => {
    const hook = await startCaptureServer((_r, res) => answerJson(res, 200, {}));
    const clock = new ManualClock(new Date(2026, 11, 7, 23, 30).getTime());
    const { s, cookie } = await startWithAdmin({ clock });
    try {
      await addChannel(s, cookie, { name: 'hook', kind: 'webhook', config: hookConfig(hook), template: '{{event}}|{{message}}' });
      const set = await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { alert_quiet_hours: { start: '23:00', end: '07:00', after: 'summary' } } });
      assert.equal(set.status, 200, set.text);
      const n = await addNode(s, cookie, 'zeta');
      await s.ctx.alerts.fire({ kind: 'custom', event: 'Offline', emoji: '🔴', message: 'zeta is offline since 23:30 (3 min)', nodes: [n.uuid] });
      clock.set(new Date(2026, 11, 8, 2, 0).getTime());
      await s.ctx.alerts.fire({ kind: 'custom', event: 'Online', emoji: '🟢', message: 'zeta is back online after 2 h 30 min offline', nodes: [n.uuid] });
      await s.ctx.jobs.run('alerts.quiet');
      await s.ctx.alerts.idle();
      assert.equal(hook.seen.length, 0, 'nothing inside the window');
      // A test send is not held.
      await http(s.url, '/api/admin/test/sendMessage', { method: 'POST', cookie });
      assert.equal(hook.seen.length, 1);
      clock.set(new Date(2026, 11, 8, 7, 1).getTime());
      await s.ctx.jobs.run('alerts.quiet');
      await s.ctx.alerts.idle();
      assert.equal(hook.seen.length, 2);
      assert.equal(hook.seen[1]!.body, 'Summary|Quiet hours 23:00–07:00 ended: 2 alerts held\n• 🔴 zeta is offline since 23:30 (3 min)\n• 🟢 zeta is back online after 2 h 30 min offline');

      await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { alert_quiet_hours: { start: '07:00', end: '08:00', after: 'drop' } } });
      await s.ctx.alerts.fire({ kind: 'custom', event: 'Offline', emoji: '🔴', message: 'dropped', nodes: [n.uuid] });
      clock.set(new Date(2026, 11, 8, 8, 5).getTime());
      await s.ctx.jobs.run('alerts.quiet');
      await s.ctx.alerts.idle();
      assert.equal(hook.seen.length, 2, 'dropped, not summarised');
      const bad = await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { alert_quiet_hours: { start: '25:00', end: '07:00' } } });
      assert.equal(bad.status, 400);
    } finally {
      await s.dispose();
      await hook.close();
    }
  });
});

describe('e-mail through a real SMTP server', () => {
  it('Komari’s email sender as the active method delivers the rendered template', async () => {
    const mails: string[] = [];
    const smtp = new SMTPServer({
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, cb) => (auth.username === 'alerts' && auth.password === 'smtp-pass' ? cb(null, { user: 'alerts' }) : cb(new Error('Invalid username or password'))),
      onData(stream, _session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push(Buffer.concat(chunks).toString());
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const port = (smtp.server.address() as { port: number }).port;
    const { s, cookie } = await startWithAdmin();
    try {
      const addition = JSON.stringify({ host: '127.0.0.1', port, username: 'alerts', password: 'smtp-pass', sender: 'Komari <alerts@example.test>', receiver: 'ops@example.test', use_ssl: false, use_login_auth: true });
      const set = await http(s.url, '/api/admin/settings/message-sender', { method: 'POST', cookie, body: { name: 'email', addition } });
      assert.equal(set.status, 200, set.text);
      await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { notification_method: 'email' } });
      const res = await http(s.url, '/api/admin/test/sendMessage', { method: 'POST', cookie });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json, { status: 'success', message: '' });
      assert.equal(mails.length, 1);
      assert.match(mails[0]!, /^Subject: Test\r?$/m);
      assert.match(mails[0]!, /^To: ops@example\.test\r?$/m);
      assert.match(mails[0]!, /Event: Test/);
      assert.match(mails[0]!, /Message: This is a test message from Komari\./);
    } finally {
      await s.dispose();
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});
