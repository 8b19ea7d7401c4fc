import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { addNode } from '../packages/server/test/helpers/agent-common.ts';
import type { TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage, type PageOptions } from './helpers/browser.ts';
import { addReportingNode, editNode, report, type FakeNode } from './helpers/web-server.ts';
import { startWebServer } from './helpers/web-server.ts';

const onlineLabel = { en: 'Online', 'zh-CN': '在线' } as const;
const offlineLabel = { en: 'Offline', 'zh-CN': '离线' } as const;
const priceLabel = { en: '$5 / month', 'zh-CN': '$5 / 月' } as const;

const card = (page: Page, node: { uuid: string }) => page.locator(`[data-testid=node-card][data-uuid="${node.uuid}"]`);

describe('the public dashboard in a real browser', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let alpha: FakeNode;
  let bravo: FakeNode;
  let hidden: FakeNode;
  let silent: { uuid: string };

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    alpha = await addReportingNode(s, cookie, 'alpha-tokyo', 10);
    bravo = await addReportingNode(s, cookie, 'bravo-paris', 20);
    hidden = await addReportingNode(s, cookie, 'secret-node', 30);
    silent = await addNode(s, cookie, 'charlie-never-reported');
    await editNode(s, cookie, alpha.uuid, { group: 'asia', tags: 'cn2;premium', region: 'JP', weight: 2, price: 5, billing_cycle: 30, currency: '$' });
    await editNode(s, cookie, bravo.uuid, { group: 'europe', region: '🇫🇷', weight: 1, traffic_limit: 10 * 2 ** 30, traffic_limit_type: 'sum' });
    await editNode(s, cookie, silent.uuid, { weight: 3 });
    await editNode(s, cookie, hidden.uuid, { hidden: true });
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  async function open(o: PageOptions = {}) {
    const p = await openPage(browser, s.url, o);
    await p.page.goto(s.url + '/');
    await card(p.page, alpha).locator('[data-field=cpu]').waitFor();
    return p;
  }

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`${locale}: a visitor sees every public node in weight order, never the hidden one`, async () => {
      const p = await open({ locale });
      try {
        const names = await p.page.locator('[data-testid=node-card] [data-field=name]').allTextContents();
        assert.deepEqual(names, ['bravo-paris', 'alpha-tokyo', 'charlie-never-reported']);
        assert.equal(await p.page.getByText('secret-node').count(), 0);
        assert.equal(await p.page.getByTestId('summary-online').textContent(), '2 / 3');
        assert.equal(await card(p.page, alpha).locator('[data-field=status]').textContent(), onlineLabel[locale]);
        assert.equal(await card(p.page, silent).locator('[data-field=status]').textContent(), offlineLabel[locale]);
        assert.match((await card(p.page, alpha).textContent()) ?? '', /🇯🇵/);
        assert.match((await card(p.page, alpha).locator('[data-field=billing]').textContent()) ?? '', new RegExp(priceLabel[locale].replace(/\$/g, '\\$')));
        // bravo: sum of 1 GiB up and 2 GiB down against 10 GiB
        assert.match((await card(p.page, bravo).locator('[data-field=traffic-limit]').textContent()) ?? '', /3\.0 GiB \/ 10\.0 GiB · 30\.0%/);
        assert.equal(await card(p.page, alpha).getAttribute('href'), `/instance/${alpha.uuid}`);
        assert.equal(await p.page.getByTestId('admin-link').textContent(), locale === 'en' ? 'Admin' : '管理');
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }

  it('live figures follow new reports without a reload', async () => {
    const p = await open();
    try {
      const cpu = card(p.page, alpha).locator('[data-field=cpu]');
      assert.equal(await cpu.textContent(), '10.0%');
      await p.page.evaluate(() => ((window as unknown as { marker: boolean }).marker = true));
      await report(s, alpha, 77.5);
      await p.page.waitForFunction((uuid) => document.querySelector(`[data-uuid="${uuid}"] [data-field=cpu]`)?.textContent === '77.5%', alpha.uuid);
      assert.equal(await p.page.evaluate(() => (window as unknown as { marker?: boolean }).marker), true, 'the page was not reloaded');
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('switches between cards and a table, and remembers the choice', async () => {
    const p = await open();
    try {
      await p.page.getByTestId('view-table').click();
      await p.page.locator('[data-testid=node-row]').nth(2).waitFor();
      assert.equal(await p.page.locator('[data-testid=node-card]').count(), 0);
      await p.page.reload();
      await p.page.locator(`[data-testid=node-row][data-uuid="${alpha.uuid}"] [data-field=cpu]`).waitFor();
      assert.equal(await p.page.locator('[data-testid=node-row]').count(), 3);
      await p.page.getByTestId('view-cards').click();
      await card(p.page, alpha).waitFor();
      assert.equal(await p.page.locator('[data-testid=node-row]').count(), 0);
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('group tabs, tag chips and the search narrow the list; a search matching nothing says so', async () => {
    const p = await open();
    const names = () => p.page.locator('[data-testid=node-card] [data-field=name]').allTextContents();
    try {
      await p.page.getByTestId('group-tab').filter({ hasText: 'asia' }).click();
      await p.page.waitForFunction(() => document.querySelectorAll('[data-testid=node-card]').length === 1);
      assert.deepEqual(await names(), ['alpha-tokyo']);
      await p.page.getByTestId('group-tab').filter({ hasText: 'All' }).click();
      await p.page.getByTestId('tag-chip').filter({ hasText: 'premium' }).click();
      await p.page.waitForFunction(() => document.querySelectorAll('[data-testid=node-card]').length === 1);
      assert.deepEqual(await names(), ['alpha-tokyo']);
      await p.page.getByTestId('tag-chip').filter({ hasText: 'premium' }).click();
      await p.page.getByTestId('search').fill('PARIS');
      await p.page.waitForFunction(() => document.querySelectorAll('[data-testid=node-card]').length === 1);
      assert.deepEqual(await names(), ['bravo-paris']);
      await p.page.getByTestId('search').fill('no-such-server');
      await p.page.getByTestId('no-match').waitFor();
      assert.equal(await p.page.locator('[data-testid=node-card]').count(), 0);
      await p.page.getByTestId('search').fill('');
      await p.page.waitForFunction(() => document.querySelectorAll('[data-testid=node-card]').length === 3);
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('fits a phone screen in dark mode, in Chinese', async () => {
    const p = await open({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    try {
      assert.equal(await p.page.evaluate(() => document.documentElement.dataset.theme), 'dark');
      const overflow = await p.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
      const box = await card(p.page, alpha).boundingBox();
      assert.ok(box && box.width > 300 && box.x >= 0 && box.x + box.width <= 390, `card box ${JSON.stringify(box)}`);
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('an admin sees the username in the header and still no hidden node; a node added later appears', async () => {
    const p = await open({ sessionCookie: cookie });
    try {
      await p.page.getByTestId('admin-link').filter({ hasText: s.adminUsername }).waitFor();
      assert.equal(await p.page.getByText('secret-node').count(), 0);
      const late = await addReportingNode(s, cookie, 'delta-late', 5);
      await card(p.page, late).waitFor({ timeout: 15_000 });
      p.assertClean();
    } finally {
      await p.close();
    }
  });
});
