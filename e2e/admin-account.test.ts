import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { totpCode } from '../packages/server/src/auth/totp.ts';
import { http, sessionCookieOf, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { startWebServer } from './helpers/web-server.ts';

describe('sessions, account and audit log pages in a real browser', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let password = '';

  before(async () => {
    ({ s, cookie } = await startWebServer());
    password = s.adminPassword;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  const loggedIn = async (c: string): Promise<boolean> => (await http(s.url, '/api/me', { cookie: c })).json.logged_in === true;
  async function login(pw: string): Promise<string> {
    const res = await http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password: pw } });
    assert.equal(res.status, 200, res.text);
    return sessionCookieOf(res.headers);
  }

  it('lists the sessions with this browser marked, and ends the other ones only', async () => {
    const other = await login(password);
    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    try {
      const { page } = p;
      await page.goto(`${s.url}/admin/sessions`);
      const table = page.getByTestId('sessions-table');
      const mine = table.locator('tr[data-current]');
      await mine.getByText('This browser').waitFor();
      await mine.getByText('Chrome on Linux').waitFor();
      assert.equal(await table.locator('tbody tr').count(), 2);

      await page.getByTestId('revoke-others').click();
      await page.locator('[data-testid=sessions-table] tbody tr').nth(1).waitFor({ state: 'detached' });
      assert.equal(await loggedIn(other), false, 'the other session has ended');
      assert.equal(await loggedIn(cookie), true, 'this one has not');
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('generates and saves an API key that then opens the admin API; a short key is refused and nothing is saved', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    const apiKey = async () => (await http(s.url, '/api/admin/settings/', { cookie })).json.data.api_key as string;
    try {
      const { page } = p;
      await page.goto(`${s.url}/admin/account`);
      const card = page.getByTestId('api-key-card');
      await card.getByText('No API key set.').waitFor();

      await page.getByTestId('api-key-generate').click();
      const input = card.locator('input[name=api_key]');
      await input.fill('too-short');
      await page.getByTestId('api-key-save').click();
      await page.getByTestId('api-key-error').getByText('at least 32 characters').waitFor();
      assert.equal(await apiKey(), '');
      // long enough but trivial: the server refuses it and its reason is shown
      await input.fill('a'.repeat(40));
      await page.getByTestId('api-key-save').click();
      await page.getByTestId('api-key-error').getByText('api_key must be at least 32 random-looking').waitFor();
      assert.equal(await apiKey(), '');
      p.forgetRefusals(400);

      await card.getByRole('button', { name: 'Cancel' }).click();
      await page.getByTestId('api-key-generate').click();
      const key = await input.inputValue();
      assert.match(key, /^[A-Za-z0-9]{32}$/);
      await page.getByTestId('api-key-save').click();
      await page.getByTestId('api-key-value').getByText(key).waitFor();
      assert.equal(await apiKey(), key);

      const res = await http(s.url, '/api/admin/client/list', { headers: { authorization: `Bearer ${key}` } });
      assert.equal(res.status, 200, res.text);
      assert.ok(Array.isArray(res.json));
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('pages through the audit log to the login lines, newest first', async () => {
    // enough newer lines to push the logins onto page 2 (20 a page): each node edit writes one
    const node = (await http(s.url, '/api/admin/client/add', { method: 'POST', cookie, body: { name: 'audited' } })).json.uuid as string;
    for (let i = 0; i < 22; i++) await http(s.url, `/api/admin/client/${node}/edit`, { method: 'POST', cookie, body: { remark: `r${i}` } });
    const total = (await http(s.url, '/api/admin/logs?limit=1', { cookie })).json.data.total as number;
    assert.ok(total > 25 && total <= 40, `total ${total}`);

    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    try {
      const { page } = p;
      await page.goto(`${s.url}/admin/logs`);
      const table = page.getByTestId('logs-table');
      const position = page.getByTestId('logs-position');
      await position.getByText(`Page 1 of 2 · ${total} entries`).waitFor();
      await table.getByText(`edit client:${node}`).first().waitFor();
      assert.equal(await table.locator('tbody tr').count(), 20);
      assert.equal(await table.getByText('logged in (password)').count(), 0, 'the logins are older than page 1');

      await page.getByTestId('logs-next').click();
      await position.getByText('Page 2 of 2').waitFor();
      const logins = table.locator('tr', { hasText: 'logged in (password)' });
      await logins.first().waitFor();
      assert.equal(await logins.count(), 2, 'one per login of this suite');
      await logins.first().getByText('admin').waitFor();
      await logins.first().getByText('Login', { exact: true }).waitFor();
      assert.equal(await page.getByTestId('logs-next').isDisabled(), true);

      await page.getByTestId('logs-size').selectOption('50');
      await position.getByText(`Page 1 of 1 · ${total} entries`).waitFor();
      // The position line follows the chosen size at once; the rows follow their answer.
      await table.locator('tbody tr').nth(total - 1).waitFor();
      assert.equal(await table.locator('tbody tr').count(), total);
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('changes the password: a mismatch is refused and changes nothing; success ends the session and shows the login', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    try {
      const { page } = p;
      await page.goto(`${s.url}/admin/account`);
      const form = page.getByTestId('password-form');
      await form.locator('input[name=old_password]').fill(password);
      await form.locator('input[name=new_password]').fill('Brand-new-pass-9');
      await form.locator('input[name=repeat_password]').fill('Brand-new-pass-8');
      await form.getByRole('button', { name: 'Change password' }).click();
      await page.getByTestId('password-error').getByText('The two new passwords differ').waitFor();
      assert.equal(await loggedIn(cookie), true, 'nothing changed');

      await form.locator('input[name=repeat_password]').fill('Brand-new-pass-9');
      await form.getByRole('button', { name: 'Change password' }).click();
      await page.getByTestId('login-form').waitFor();
      assert.equal(await loggedIn(cookie), false, 'the old session has ended');
      password = 'Brand-new-pass-9';
      cookie = await login(password);
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('turns two-factor sign-in on with the QR code and a code from the app, and off again; a malformed code is refused', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    const twoFactorOn = async () => (await http(s.url, '/api/me', { cookie })).json['2fa_enabled'] as boolean;
    try {
      const { page } = p;
      await page.goto(`${s.url}/admin/account`);
      const card = page.getByTestId('two-factor-card');
      await page.getByTestId('two-factor-start').click();
      const qr = page.getByTestId('two-factor-qr');
      await qr.waitFor();
      await page.waitForFunction(() => (document.querySelector('[data-testid=two-factor-qr]') as HTMLImageElement | null)?.naturalWidth === 250);

      await card.locator('input[name="2fa_code"]').fill('12345');
      await page.getByTestId('two-factor-submit').click();
      await page.getByTestId('two-factor-error').getByText('6-digit code').waitFor();
      assert.equal(await twoFactorOn(), false);

      // the pending secret sits in the HttpOnly cookie the QR route set: the "app" reads it from there
      const secret = (await p.context.cookies(s.url)).find((c) => c.name === '2fa_secret')?.value ?? '';
      assert.match(secret, /^[A-Z2-7]{32}$/);
      await card.locator('input[name="2fa_code"]').fill(totpCode(secret, Date.now()));
      await page.getByTestId('two-factor-submit').click();
      await page.getByTestId('two-factor-state').getByText('On:').waitFor();
      assert.equal(await twoFactorOn(), true);

      // a code is good once: turning it off takes the app's next code (accepted a step early)
      await card.locator('input[name="2fa_code"]').fill(totpCode(secret, Date.now() + 30_000));
      await page.getByTestId('two-factor-submit').click();
      await page.getByTestId('two-factor-state').getByText('Off:').waitFor();
      assert.equal(await twoFactorOn(), false);
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('renders sessions, account and audit log in Simplified Chinese on a phone in dark mode', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie, locale: 'zh-CN', viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    try {
      const { page } = p;
      await page.goto(`${s.url}/admin/sessions`);
      await page.getByTestId('sessions-table').getByText('当前浏览器').waitFor();
      await page.goto(`${s.url}/admin/account`);
      await page.getByRole('heading', { name: '两步验证' }).waitFor();
      await page.getByTestId('password-form').getByRole('button', { name: '修改密码' }).click();
      await page.getByTestId('password-error').getByText('请输入当前密码').waitFor();

      // renaming: too short is refused and changes nothing; a good name is saved and shown
      const username = async () => (await http(s.url, '/api/me', { cookie })).json.username as string;
      const rename = page.getByTestId('username-form');
      await rename.locator('input[name=username]').fill('ab');
      await rename.getByRole('button', { name: '修改用户名' }).click();
      await rename.getByText('用户名至少需要 3 个字符').waitFor();
      assert.equal(await username(), s.adminUsername);
      await rename.locator('input[name=username]').fill('运维管理员');
      await rename.getByRole('button', { name: '修改用户名' }).click();
      await rename.getByText('用户名已修改').waitFor();
      await rename.getByText('当前登录用户名：运维管理员').waitFor();
      assert.equal(await username(), '运维管理员');
      await page.goto(`${s.url}/admin/logs`);
      await page.getByTestId('logs-table').getByText('登录', { exact: true }).first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
      p.assertClean();
    } finally {
      await p.close();
    }
  });
});
