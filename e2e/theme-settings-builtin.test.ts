import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { addReportingNode, editNode, type FakeNode } from './helpers/web-server.ts';
import { startWebServer } from './helpers/web-server.ts';

const memoryLabel = { en: 'Memory', 'zh-CN': '内存' } as const;

const card = (page: Page, node: { uuid: string }) => page.locator(`[data-testid=node-card][data-uuid="${node.uuid}"]`);

/**
 * The built-in theme's managed settings (packages/web/komari-theme.json) saved through the admin
 * API, and the public dashboard following them from /api/public `theme_settings`.
 */
describe('the built-in dashboard follows its theme settings', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let alpha: FakeNode;
  let bravo: FakeNode;

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    alpha = await addReportingNode(s, cookie, 'alpha', 10);
    bravo = await addReportingNode(s, cookie, 'bravo', 20);
    await editNode(s, cookie, alpha.uuid, { weight: 1, price: 5, billing_cycle: 30, currency: '$' });
    await editNode(s, cookie, bravo.uuid, { weight: 2, price: 7, billing_cycle: 30, currency: '$' });
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  async function saveSettings(body: Record<string, unknown>) {
    const res = await http(s.url, '/api/admin/theme/settings?theme=default', { method: 'POST', cookie, body });
    assert.deepEqual([res.status, res.json], [200, { status: 'success', message: '' }]);
  }

  async function visit(locale: string) {
    const p = await openPage(browser, s.url, { locale });
    await p.page.goto(s.url + '/');
    await p.page.locator('[data-testid=node-grid], [data-testid=node-table]').first().waitFor();
    return p;
  }

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`${locale}: nothing saved shows the manifest's defaults: cards with every figure, the summary, weight order`, async () => {
      await saveSettings({});
      const p = await visit(locale);
      try {
        await card(p.page, alpha).locator('[data-field=cpu]').waitFor();
        assert.equal(await p.page.getByTestId('node-table').count(), 0);
        for (const field of ['cpu', 'memory', 'disk', 'speed', 'load', 'uptime', 'connections', 'billing']) {
          assert.equal(await card(p.page, alpha).locator(`[data-field=${field}]`).count(), 1, field);
        }
        assert.match((await card(p.page, alpha).textContent()) ?? '', new RegExp(memoryLabel[locale]));
        assert.equal(await p.page.getByTestId('summary-online').count(), 1);
        assert.deepEqual(await p.page.locator('[data-testid=node-card] [data-field=name]').allTextContents(), ['alpha', 'bravo']);
        p.assertClean();
      } finally {
        await p.close();
      }
    });

    it(`${locale}: default_view table opens the table; a visitor's own choice still wins`, async () => {
      await saveSettings({ default_view: 'table' });
      const p = await visit(locale);
      try {
        await p.page.getByTestId('node-table').waitFor();
        assert.equal(await p.page.getByTestId('node-grid').count(), 0);
        await p.page.getByTestId('view-cards').click();
        await p.page.getByTestId('node-grid').waitFor();
        await p.page.reload();
        await p.page.getByTestId('node-grid').waitFor();
        assert.equal(await p.page.getByTestId('node-table').count(), 0, 'the choice is remembered over the site default');
        p.assertClean();
      } finally {
        await p.close();
      }
    });

    it(`${locale}: figures switched off leave the card, the summary can go, pinned servers come first`, async () => {
      await saveSettings({
        default_view: 'cards',
        card_show_cpu: false,
        card_show_billing: false,
        card_show_network: false,
        show_summary: false,
        featured_nodes: JSON.stringify([bravo.uuid, 'no-such-node']),
      });
      const p = await visit(locale);
      try {
        await card(p.page, alpha).locator('[data-field=memory]').waitFor();
        for (const field of ['cpu', 'billing', 'speed', 'traffic']) {
          assert.equal(await card(p.page, alpha).locator(`[data-field=${field}]`).count(), 0, `${field} is hidden`);
        }
        for (const field of ['memory', 'disk', 'load', 'uptime']) {
          assert.equal(await card(p.page, alpha).locator(`[data-field=${field}]`).count(), 1, `${field} is shown`);
        }
        assert.equal(await p.page.getByTestId('summary-online').count(), 0);
        assert.deepEqual(await p.page.locator('[data-testid=node-card] [data-field=name]').allTextContents(), ['bravo', 'alpha']);
        assert.equal(await card(p.page, bravo).getAttribute('data-featured'), 'true');
        assert.equal(await card(p.page, alpha).getAttribute('data-featured'), null);
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }

  it('the built-in manifest is published at /themes/default/komari-theme.json', async () => {
    const res = await http(s.url, '/themes/default/komari-theme.json');
    assert.equal(res.status, 200);
    assert.equal(res.json.short, 'default');
    assert.deepEqual(res.json.name, { en: 'Komari TS (built-in)', 'zh-CN': 'Komari TS（内置）' });
  });
});
