import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { startWebServer } from './helpers/web-server.ts';

describe('admin → settings in a real browser', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  const publicSettings = async () => (await http(s.url, '/api/public')).json.data as Record<string, unknown>;
  const adminSettings = async () => (await http(s.url, '/api/admin/settings', { cookie })).json.data as Record<string, unknown>;
  const form = (page: Page) => page.getByTestId('settings-form');

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  it('saves the changed settings: /api/public, the served index.html and the page title follow', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    try {
      await p.page.goto(s.url + '/admin/settings');
      await form(p.page).locator('input[name=sitename]').fill('Panel Test');
      await form(p.page).locator('textarea[name=custom_head]').fill('<meta name="e2e-marker" content="from-the-panel">');
      await form(p.page).locator('input[name=private_site]').check();
      const firstTier = form(p.page).getByTestId('retention-row').first();
      await firstTier.locator('input[name=keep]').fill('2');
      await firstTier.locator('select[name=keepUnit]').selectOption('d');
      // changed elsewhere after the page loaded: a save of other keys must not write it back
      const other = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { description: 'set by the API' } });
      assert.equal(other.status, 200, other.text);

      await p.page.getByTestId('settings-save').click();
      await p.page.getByTestId('settings-saved').waitFor();
      await p.page.waitForFunction(() => document.title === 'Admin · Panel Test');

      const stored = await adminSettings();
      assert.equal(stored.sitename, 'Panel Test');
      assert.equal(stored.private_site, true);
      assert.equal(stored.description, 'set by the API');
      assert.deepEqual((stored.history_retention as { keepHours: number }[])[0]!.keepHours, 48);
      const pub = (await http(s.url, '/api/public', { cookie })).json.data as Record<string, unknown>;
      assert.equal(pub.sitename, 'Panel Test');
      assert.equal(pub.private_site, true);
      const index = await http(s.url, '/', { cookie });
      assert.match(index.text, /<title>Panel Test<\/title>/);
      assert.ok(index.text.includes('<meta name="e2e-marker" content="from-the-panel">'), 'custom head is served in index.html');
      p.assertClean();
    } finally {
      await p.close();
    }
    await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { private_site: false } });
  });

  it('a refused value is shown and nothing of that save is stored', async () => {
    const before = await publicSettings();
    const tiersBefore = (await adminSettings()).history_retention;
    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    try {
      await p.page.goto(s.url + '/admin/settings');
      await form(p.page).locator('input[name=sitename]').fill('Must Not Stick');
      // 90 s after a 60 s tier is not a multiple of it: the server refuses the ladder
      const second = form(p.page).getByTestId('retention-row').nth(1);
      await second.locator('input[name=interval]').fill('90');
      await second.locator('select[name=intervalUnit]').selectOption('s');
      await p.page.getByTestId('settings-save').click();
      await p.page.getByTestId('settings-error').getByText(/history_retention/).waitFor();
      assert.equal((await publicSettings()).sitename, before.sitename);
      assert.deepEqual((await adminSettings()).history_retention, tiersBefore);
      assert.notEqual(await p.page.title(), 'Must Not Stick');
      p.forgetRefusals(400);
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('zh-CN: the settings page is translated and clean, on a phone in the dark', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie, locale: 'zh-CN', viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    try {
      await p.page.goto(s.url + '/admin/settings');
      await p.page.getByRole('heading', { name: '历史数据保留' }).waitFor();
      await form(p.page).getByRole('button', { name: '随机生成' }).click();
      assert.match(await form(p.page).locator('input[name=auto_discovery_key]').inputValue(), /^[0-9A-Za-z]{24}$/);
      p.assertClean();
    } finally {
      await p.close();
    }
  });
});
