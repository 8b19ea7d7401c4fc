import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { totpCode } from '../packages/server/src/auth/totp.ts';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { startWebServer } from './helpers/web-server.ts';

const wrongPassword = { en: 'Wrong username or password.', 'zh-CN': '用户名或密码错误。' } as const;
const settingsLabel = { en: 'Settings', 'zh-CN': '站点设置' } as const;

async function fillLogin(page: Page, username: string, password: string): Promise<void> {
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('[data-testid=login-form] button[type=submit]').click();
}

async function loggedIn(page: Page): Promise<boolean> {
  return page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { logged_in: boolean }).logged_in);
}

describe('admin login, logout and the admin frame in a real browser', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`${locale}: a wrong password stays on the login form with an error; the right one enters; logout returns to login`, async () => {
      const p = await openPage(browser, s.url, { locale });
      try {
        await p.page.goto(s.url + '/admin');
        await fillLogin(p.page, s.adminUsername, 'not-the-password');
        await p.page.getByTestId('login-error').getByText(wrongPassword[locale]).waitFor();
        assert.equal(await loggedIn(p.page), false);
        assert.equal(await p.page.locator('nav.admin-menu').count(), 0);

        await fillLogin(p.page, s.adminUsername, s.adminPassword);
        await p.page.locator('nav.admin-menu').getByText(settingsLabel[locale]).waitFor();
        await p.page.waitForURL((u) => u.pathname === '/admin/nodes');
        assert.equal(await loggedIn(p.page), true);

        await p.page.getByTestId('logout').click();
        await p.page.getByTestId('login-form').waitFor();
        assert.equal(await loggedIn(p.page), false);
        p.forgetRefusals(401);
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }

  it('honours a same-site `next` after login and ignores one that leaves the site', async () => {
    const cases = [
      { next: '/admin/settings', expected: '/admin/settings' },
      { next: '//evil.example/admin', expected: '/admin/nodes' },
      { next: 'https://evil.example/', expected: '/admin/nodes' },
    ];
    for (const c of cases) {
      const p = await openPage(browser, s.url);
      try {
        await p.page.goto(`${s.url}/admin?next=${encodeURIComponent(c.next)}`);
        await fillLogin(p.page, s.adminUsername, s.adminPassword);
        await p.page.waitForURL((u) => u.origin === s.url && u.pathname === c.expected);
        await p.page.locator('nav.admin-menu a[aria-current=page]').waitFor();
        p.assertClean();
      } finally {
        await p.close();
      }
    }
  });

  it('on a phone the menu folds behind a toggle, in the dark', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie, viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    try {
      await p.page.goto(s.url + '/admin/nodes');
      const settings = p.page.locator('nav.admin-menu a[href="/admin/settings"]');
      await p.page.getByTestId('menu-toggle').waitFor();
      assert.equal(await settings.isVisible(), false, 'the menu starts folded');
      await p.page.getByTestId('menu-toggle').click();
      await settings.click();
      await p.page.waitForURL((u) => u.pathname === '/admin/settings');
      await settings.waitFor({ state: 'hidden' });
      assert.equal(await p.page.evaluate(() => document.documentElement.dataset.theme), 'dark');
      const width = await p.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no sideways scrolling on a phone (page is ${width}px wide)`);
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  // Last: it turns on 2FA for the admin, which every later login would need.
  it('asks for the two-factor code when the account has 2FA, and a valid code enters', async () => {
    const gen = await fetch(`${s.url}/api/admin/2fa/generate`, { headers: { cookie: `session_token=${cookie}` } });
    const secret = gen.headers.getSetCookie().map((c) => /^2fa_secret=([^;]*)/.exec(c)?.[1]).find(Boolean) ?? '';
    const on = await http(s.url, `/api/admin/2fa/enable?code=${totpCode(secret, Date.now())}`, {
      method: 'POST',
      headers: { cookie: `session_token=${cookie}; 2fa_secret=${secret}` },
    });
    assert.equal(on.status, 200, on.text);

    const p = await openPage(browser, s.url);
    try {
      await p.page.goto(s.url + '/admin/settings');
      await fillLogin(p.page, s.adminUsername, s.adminPassword);
      const code = p.page.locator('input[name="2fa_code"]');
      await code.waitFor();
      assert.equal(await loggedIn(p.page), false);
      // the enable above used this step's code, and a code is good once: the app's next one
      await code.fill(totpCode(secret, Date.now() + 30_000));
      await p.page.locator('[data-testid=login-form] button[type=submit]').click();
      await p.page.locator('nav.admin-menu a[aria-current=page][href="/admin/settings"]').waitFor();
      assert.equal(await loggedIn(p.page), true);
      p.forgetRefusals(401);
      p.assertClean();
    } finally {
      await p.close();
    }
  });
});
