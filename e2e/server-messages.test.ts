import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { serverErrorCodes } from '@komari-ts/protocol/error-codes';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { startWebServer } from './helpers/web-server.ts';

const locales = ['en', 'zh-CN'] as const;

const text = {
  en: { wrong: 'Wrong username or password.', limited: /^Too many failed logins\. Try again in \d+ seconds\.$/ },
  'zh-CN': { wrong: '用户名或密码错误。', limited: /^登录失败次数过多，请在 \d+ 秒后重试。$/ },
} as const;

function translations(locale: string): Record<string, Record<string, string>> {
  return JSON.parse(readFileSync(new URL(`../packages/web/src/i18n/locales/${locale}/server-errors.json`, import.meta.url), 'utf8')) as Record<string, Record<string, string>>;
}

async function fillLogin(page: Page, username: string, password: string): Promise<void> {
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('[data-testid=login-form] button[type=submit]').click();
}

describe('server messages in the page language through stable codes (issue 17 §5)', () => {
  it('every code of the catalog has a text in every language', () => {
    for (const locale of locales) {
      const t = translations(locale);
      for (const code of serverErrorCodes) {
        const [group, key] = code.split('.');
        assert.equal(typeof t[group!]?.[key!], 'string', `${locale} has no text for ${code}`);
      }
    }
  });

  describe('the login page', { skip: noBrowser }, () => {
    let s: TestServer;
    let browser: Browser;
    before(async () => {
      ({ s } = await startWebServer());
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await s?.dispose();
    });

    it('shows a wrong password, then the lockout after too many, in English and in Chinese', async () => {
      const pages = await Promise.all(locales.map((locale) => openPage(browser, s.url, { locale })));
      try {
        for (const [i, locale] of locales.entries()) {
          await pages[i]!.page.goto(`${s.url}/admin`);
          await fillLogin(pages[i]!.page, s.adminUsername, 'not-the-password');
          await pages[i]!.page.getByTestId('login-error').getByText(text[locale].wrong, { exact: true }).waitFor();
        }
        // fail from here until the guard refuses (its allowance is the server's configuration)
        let res = await http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password: 'nope' } });
        for (let n = 0; n < 50 && res.status !== 429; n++) res = await http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password: 'nope' } });
        assert.equal(res.status, 429, res.text);
        for (const [i, locale] of locales.entries()) {
          const { page } = pages[i]!;
          await fillLogin(page, s.adminUsername, s.adminPassword);
          await page.getByTestId('login-error').getByText(text[locale].limited).waitFor();
          pages[i]!.forgetRefusals(401);
          pages[i]!.forgetRefusals(429);
          pages[i]!.assertClean();
        }
      } finally {
        await Promise.all(pages.map((p) => p.close()));
      }
    });
  });
});
