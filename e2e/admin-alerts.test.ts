import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sendJson, startFakeProvider, type FakeProvider } from '../packages/server/test/helpers/oauth.ts';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { addReportingNode, startWebServer, type FakeNode } from './helpers/web-server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

// The alerts page in both languages against a real server: channels whose deliveries go to a
// local HTTP server standing in for the chat services, rules made through the dialogs (and read
// back through the API), quiet hours, and the history the test sends leave behind.

const texts = {
  en: { heading: 'Alerts', delivered: 'Test message delivered.', testSent: 'Test message sent', saved: 'Saved.', off: 'Off', edit: 'Edit', del: 'Delete', confirm: 'Delete it', noName: 'Give the rule a name.', badWindow: 'Window (minutes) must be a whole number from 1 to 240.' },
  'zh-CN': { heading: '告警通知', delivered: '测试消息已送达。', testSent: '测试消息已通过', saved: '已保存。', off: '关', edit: '编辑', del: '删除', confirm: '确认删除', noName: '请填写规则名称。', badWindow: '时间窗口（分钟）必须是 1 到 240 之间的整数。' },
} as const;
type Locale = keyof typeof texts;

describe('admin alerts page in a real browser', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let hook: FakeProvider;
  const nodes = {} as Record<Locale, FakeNode>;

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    hook = await startFakeProvider((_req, res) => sendJson(res, 200, { ok: true }));
    nodes.en = await addReportingNode(s, cookie, 'alert-node-en');
    nodes['zh-CN'] = await addReportingNode(s, cookie, 'alert-node-zh');
    const task = await http(s.url, '/api/admin/ping/add', {
      method: 'POST', cookie, body: { name: 'gateway', type: 'tcp', target: '127.0.0.1:1', clients: [nodes.en.uuid, nodes['zh-CN'].uuid], interval: 60 },
    });
    assert.equal(task.status, 200, task.text);
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
    await hook?.close();
  });

  const get = async (path: string): Promise<any> => {
    const res = await http(s.url, path, { cookie });
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    return res.json.data;
  };
  const open = (page: Page, tab: string) => page.goto(`${s.url}/admin/alerts?tab=${tab}`);

  for (const locale of ['en', 'zh-CN'] as const) {
    const w = texts[locale];
    const tag = locale === 'en' ? 'en' : 'zh';

    it(`${locale}: adds a channel from the form and its test reaches the service, adds one from a URL, switches it off`, async () => {
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        await open(page, 'channels');
        await page.getByRole('heading', { name: w.heading, exact: true }).waitFor();

        await page.getByTestId('channel-add').click();
        const dialog = page.getByTestId('channel-dialog');
        await dialog.locator('input[name=channel-name]').fill(`hook-${tag}`);
        await dialog.locator('select[name=kind]').selectOption('webhook');
        await dialog.locator('input[name=url]').fill(`${hook.url}/hook-${tag}`);
        await dialog.locator('select[name=method]').selectOption('POST');
        await dialog.getByTestId('channel-save').click();
        const row = page.getByTestId('channels-table').locator('tr', { hasText: `hook-${tag}` });
        await row.waitFor();

        const before = hook.seen.length;
        await row.getByTestId('channel-test').click();
        await row.getByTestId('channel-test-result').getByText(w.delivered).waitFor();
        const got = hook.seen.slice(before).filter((r) => r.url.pathname === `/hook-${tag}`);
        assert.equal(got.length, 1, 'the service got the test message once');
        assert.equal(got[0]!.method, 'POST');
        assert.ok(JSON.parse(got[0]!.body).message, `the default body carries the message: ${got[0]!.body}`);

        // Komari's test goes through every enabled channel and is kept in the history
        const beforeKomari = hook.seen.length;
        await page.getByTestId('sender-test').click();
        await page.getByTestId('sender-saved').getByText(w.testSent).waitFor();
        assert.ok(hook.seen.slice(beforeKomari).some((r) => r.url.pathname === `/hook-${tag}`), 'Komari\'s test reached the channel');

        await page.getByTestId('channel-add').click();
        await dialog.locator('input[name=source][value=url]').check();
        await dialog.locator('input[name=channel-name]').fill(`url-${tag}`);
        // a scheme no kind reads: the server's refusal is shown and nothing is stored
        await dialog.locator('input[name=channel-url]').fill('nosuch://example.com/x');
        await dialog.getByTestId('channel-save').click();
        await dialog.getByTestId('channel-error').waitFor();
        assert.ok(!((await get('/api/admin/alerts/channels')) as any[]).some((c) => c.name === `url-${tag}`));
        p.forgetRefusals(400);
        await dialog.locator('input[name=channel-url]').fill(`ntfy://127.0.0.1:${new URL(hook.url).port}/topic-${tag}`);
        await dialog.getByTestId('channel-save').click();
        const urlRow = page.getByTestId('channels-table').locator('tr', { hasText: `url-${tag}` });
        await urlRow.waitFor();
        // ntfy:// is plain HTTP: the stand-in gets the topic the URL named
        const sent = hook.seen.length;
        await urlRow.getByTestId('channel-test').click();
        await urlRow.getByTestId('channel-test-result').getByText(w.delivered).waitFor();
        assert.equal(JSON.parse(hook.seen[sent]!.body).topic, `topic-${tag}`);

        await urlRow.getByTestId('channel-enabled').uncheck();
        await urlRow.getByText(w.off, { exact: true }).waitFor();
        const stored = (await get('/api/admin/alerts/channels')) as any[];
        const fromUrl = stored.find((c) => c.name === `url-${tag}`);
        assert.equal(fromUrl.kind, 'ntfy');
        assert.equal(fromUrl.enabled, false);
        assert.equal(stored.find((c) => c.name === `hook-${tag}`).enabled, true);
        p.assertClean();
      } finally {
        await p.close();
      }
    });

    it(`${locale}: sets Komari's one sender from its form, and Komari's test reaches it`, async () => {
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        await open(page, 'channels');
        const card = page.getByTestId('komari-sender');
        await card.locator('select[name=notification_method]').selectOption('webhook');
        await card.locator('input[name=url]').fill(`${hook.url}/komari-${tag}`);
        await card.locator('select[name=method]').selectOption('POST');
        await page.getByTestId('sender-save').click();
        await page.getByTestId('sender-saved').getByText(w.saved).waitFor();
        assert.equal((await get('/api/admin/settings/')).notification_method, 'webhook');
        const stored = JSON.parse((await get('/api/admin/settings/message-sender?provider=webhook')).addition);
        assert.deepEqual({ url: stored.url, method: stored.method }, { url: `${hook.url}/komari-${tag}`, method: 'POST' });

        const before = hook.seen.length;
        await page.getByTestId('sender-test').click();
        await page.getByTestId('sender-saved').getByText(w.testSent).waitFor();
        assert.ok(hook.seen.slice(before).some((r) => r.url.pathname === `/komari-${tag}`), 'the test went through Komari\'s sender');
        p.assertClean();
      } finally {
        await p.close();
      }
    });

    it(`${locale}: makes a load rule and a latency rule in their dialogs and turns on an offline rule with its grace`, async () => {
      // Chinese on a phone in dark mode: the tables stack and the dialogs fit
      const phone = locale === 'zh-CN' ? { viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const } : {};
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie, ...phone });
      const node = nodes[locale];
      try {
        const { page } = p;
        await open(page, 'rules');

        await page.getByTestId('load-add').click();
        const load = page.getByTestId('load-dialog');
        // refused before sending: no name, then a window past Komari's 240 minutes
        await load.getByTestId('load-save').click();
        await load.getByTestId('load-error').getByText(w.noName).waitFor();
        await load.locator('input[name=name]').fill(`ram-${tag}`);
        await load.locator('input[name=interval]').fill('241');
        await load.getByTestId('node-picker').getByLabel(node.name).check();
        await load.getByTestId('load-save').click();
        await load.getByTestId('load-error').getByText(w.badWindow).waitFor();
        await load.locator('select[name=metric]').selectOption('ram');
        await load.locator('input[name=threshold]').fill('90');
        await load.locator('input[name=ratio]').fill('0.5');
        await load.locator('input[name=interval]').fill('10');
        await load.getByTestId('load-save').click();
        await page.getByTestId('load-table').locator('tr', { hasText: `ram-${tag}` }).waitFor();
        const loadRule = ((await get('/api/admin/notification/load/')) as any[]).find((r) => r.name === `ram-${tag}`);
        assert.deepEqual(
          { metric: loadRule.metric, threshold: loadRule.threshold, ratio: loadRule.ratio, interval: loadRule.interval, clients: loadRule.clients, channels: loadRule.channels },
          { metric: 'ram', threshold: 90, ratio: 0.5, interval: 10, clients: [node.uuid], channels: null },
        );
        const loadRow = page.getByTestId('load-table').locator('tr', { hasText: `ram-${tag}` });
        await loadRow.getByRole('button', { name: w.edit }).click();
        await load.locator('input[name=threshold]').fill('95');
        await load.getByTestId('load-save').click();
        await load.waitFor({ state: 'detached' });
        const edited = ((await get('/api/admin/notification/load/')) as any[]).find((r) => r.name === `ram-${tag}`);
        assert.deepEqual({ threshold: edited.threshold, clients: edited.clients }, { threshold: 95, clients: [node.uuid] }, 'editing keeps the rest');

        await page.getByTestId('ping-rule-add').click();
        const ping = page.getByTestId('ping-rule-dialog');
        await ping.locator('input[name=name]').fill(`loss-${tag}`);
        await ping.locator('input[name=loss_percent]').fill('15');
        await ping.locator('input[name=latency_ms]').fill('250');
        await ping.locator('input[name=window_minutes]').fill('10');
        // only Komari's sender gets this rule's notices
        await ping.getByTestId('channel-choice').locator('input[type=radio]').nth(1).check();
        await ping.getByTestId('channel-choice').locator('input[type=checkbox]').first().check();
        await ping.getByTestId('ping-rule-save').click();
        await page.getByTestId('ping-rule-table').locator('tr', { hasText: `loss-${tag}` }).waitFor();
        const pingRule = ((await get('/api/admin/alerts/ping')) as any[]).find((r) => r.name === `loss-${tag}`);
        assert.deepEqual(
          { loss: pingRule.loss_percent, latency: pingRule.latency_ms, window: pingRule.window_minutes, clients: pingRule.clients, channels: pingRule.channels, enabled: pingRule.enabled },
          { loss: 15, latency: 250, window: 10, clients: [], channels: [0], enabled: true },
        );
        // a second one, deleted again from its row
        await page.getByTestId('ping-rule-add').click();
        await ping.locator('input[name=name]').fill(`gone-${tag}`);
        await ping.getByTestId('ping-rule-save').click();
        const gone = page.getByTestId('ping-rule-table').locator('tr', { hasText: `gone-${tag}` });
        await gone.getByRole('button', { name: w.del }).click();
        await gone.getByRole('button', { name: w.confirm }).click();
        await gone.waitFor({ state: 'detached' });
        assert.ok(!((await get('/api/admin/alerts/ping')) as any[]).some((r) => r.name === `gone-${tag}`));

        const offline = page.getByTestId('rules-offline');
        const nodeRow = offline.locator(`tr[data-node="${node.uuid}"]`);
        assert.equal(await nodeRow.locator('input[name=grace]').inputValue(), '180', 'a node without a rule shows the default grace');
        await nodeRow.locator('input[name=enable]').check();
        await nodeRow.locator('input[name=grace]').fill('90');
        await offline.locator('button[type=submit]').click();
        await page.getByTestId('rules-offline-status').getByText(w.saved).waitFor();
        const rule = ((await get('/api/admin/notification/offline')) as any[]).find((r) => r.client === node.uuid);
        assert.deepEqual({ enable: rule.enable, grace: rule.grace_period }, { enable: true, grace: 90 });
        // the settings cards save only their own keys (other values per language: an unchanged card saves nothing)
        const want = locale === 'en' ? { traffic: 75, days: 3, hour: 8 } : { traffic: 70, days: 4, hour: 10 };
        const traffic = page.getByTestId('rules-traffic');
        await traffic.locator('input[name=traffic_limit_percentage]').fill(String(want.traffic));
        await traffic.locator('button[type=submit]').click();
        await page.getByTestId('rules-traffic-status').getByText(w.saved).waitFor();
        const expiry = page.getByTestId('rules-expiry');
        await expiry.locator('input[name=expire_notification_lead_days]').fill(String(want.days));
        await expiry.locator('select[name=expire_notification_hour]').selectOption(String(want.hour));
        await expiry.locator('button[type=submit]').click();
        await page.getByTestId('rules-expiry-status').getByText(w.saved).waitFor();
        const settings = await get('/api/admin/settings/');
        assert.deepEqual(
          { traffic: settings.traffic_limit_percentage, days: settings.expire_notification_lead_days, hour: settings.expire_notification_hour },
          want,
        );

        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page is ${overflow}px wider than the window`);
        p.assertClean();
      } finally {
        await p.close();
      }
    });

    it(`${locale}: sets quiet hours and lists the test sends in the history`, async () => {
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        await open(page, 'quiet');
        const quiet = page.getByTestId('quiet-hours');
        await quiet.locator('input[name=quiet-on]').check();
        await quiet.locator('input[name=quiet-start]').fill(locale === 'en' ? '22:30' : '23:15');
        await quiet.locator('input[name=quiet-end]').fill('06:45');
        await quiet.locator('select[name=quiet-after]').selectOption('drop');
        await quiet.locator('button[type=submit]').click();
        await page.getByTestId('quiet-status').getByText(w.saved).waitFor();
        const settings = await get('/api/admin/settings/');
        assert.deepEqual(settings.alert_quiet_hours, { start: locale === 'en' ? '22:30' : '23:15', end: '06:45', after: 'drop' });
        // off again, so the next run's test sends are not held back by the window
        await page.reload();
        await quiet.locator('input[name=quiet-on]').uncheck();
        await quiet.locator('button[type=submit]').click();
        await page.getByTestId('quiet-status').getByText(w.saved).waitFor();
        assert.equal((await get('/api/admin/settings/')).alert_quiet_hours, null);

        await page.getByTestId('alerts-tab-history').click();
        const table = page.getByTestId('history-table');
        await table.locator('tr[data-record-id]').first().waitFor();
        const history = await get('/api/admin/alerts/history?limit=50&page=1');
        assert.ok(history.total >= 1, 'the test sends left history rows');
        assert.equal(await table.locator('tr[data-record-id]').count(), Math.min(history.total, 50));
        await table.getByText(`hook-${tag} ✓`).first().waitFor();
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }
});
