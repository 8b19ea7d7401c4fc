import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { addReportingNode, startWebServer, type FakeNode } from './helpers/web-server.ts';

const prompt = { en: 'This site is private', 'zh-CN': '本站为私有站点' } as const;

describe('the dashboard of a private site in a real browser', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let node: FakeNode;

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    node = await addReportingNode(s, cookie, 'private-alpha', 12);
    const res = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { private_site: true } });
    assert.equal(res.status, 200, res.text);
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`${locale}: a visitor gets the login prompt and no node data`, async () => {
      const p = await openPage(browser, s.url, { locale });
      const asked: string[] = [];
      p.page.on('request', (r) => asked.push(new URL(r.url()).pathname));
      try {
        await p.page.goto(s.url + '/');
        await p.page.getByTestId('private-site').getByText(prompt[locale]).waitFor();
        assert.equal(await p.page.locator('[data-testid=node-card], [data-testid=node-row]').count(), 0);
        assert.equal(await p.page.getByText(node.name).count(), 0);
        assert.deepEqual(asked.filter((path) => path === '/api/nodes' || path === '/api/clients'), [], 'node data was requested');
        assert.equal(await p.page.getByTestId('private-login').getAttribute('href'), '/admin?next=%2F');
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }

  it('a node page asks the visitor to log in too, and asks the server nothing about the node', async () => {
    const p = await openPage(browser, s.url);
    const asked: string[] = [];
    p.page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    try {
      await p.page.goto(`${s.url}/instance/${node.uuid}`);
      await p.page.getByTestId('private-site').waitFor();
      assert.equal(await p.page.getByTestId('private-login').getAttribute('href'), `/admin?next=${encodeURIComponent(`/instance/${node.uuid}`)}`);
      assert.deepEqual(asked.filter((path) => path.startsWith('/api/') && !['/api/me', '/api/public'].includes(path)), []);
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('the prompt leads to the login form, which brings the admin back to the nodes', async () => {
    const p = await openPage(browser, s.url);
    try {
      await p.page.goto(s.url + '/');
      await p.page.getByTestId('private-login').click();
      await p.page.waitForURL((u) => u.pathname === '/admin' && u.searchParams.get('next') === '/');
      await p.page.locator('input[name=username]').fill(s.adminUsername);
      await p.page.locator('input[name=password]').fill(s.adminPassword);
      await p.page.locator('[data-testid=login-form] button[type=submit]').click();
      await p.page.waitForURL((u) => u.pathname === '/');
      await p.page.locator(`[data-testid=node-card][data-uuid="${node.uuid}"] [data-field=cpu]`).waitFor();
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('a logged-in admin sees the nodes with live figures', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    try {
      await p.page.goto(s.url + '/');
      const cpu = p.page.locator(`[data-testid=node-card][data-uuid="${node.uuid}"] [data-field=cpu]`);
      await cpu.waitFor();
      assert.equal(await cpu.textContent(), '12.0%');
      assert.equal(await p.page.getByTestId('private-site').count(), 0);
      p.assertClean();
    } finally {
      await p.close();
    }
  });
});
