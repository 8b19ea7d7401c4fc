import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { mergeReports } from '../packages/web/src/node-page/live-window.ts';
import type { LiveReport } from '../packages/web/src/node-page/node-wire.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { addReportingNode, report, startWebServer, type FakeNode } from './helpers/web-server.ts';

const text = {
  en: { live: 'Live', note: 'updated every second' },
  'zh-CN': { live: '实时', note: '每秒更新' },
} as const;

/** The number of points the chart says it draws. */
const pointsOf = async (page: Page, id: string) => Number(await page.locator(`[data-chart="${id}"]`).getAttribute('data-points'));

describe('the node page: 1 h by default, a live range, a real 0 ms (issue 17 §5)', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let node: FakeNode;
  let cpu = 20;

  before(async () => {
    ({ s, cookie } = await startWebServer());
    node = await addReportingNode(s, cookie, 'live-1');
    const add = await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name: 'loopback', type: 'icmp', target: '127.0.0.1', interval: 60, clients: [node.uuid] } });
    assert.equal(add.status, 200, add.text);
    // a probe of the same host answers in 0 ms: a value, not a missing one
    for (const value of [0, 12]) {
      const res = await http(s.url, `/api/clients/ping/result?token=${node.token}`, { method: 'POST', body: { task_id: add.json.data.task_id, value, ping_type: 'icmp' } });
      assert.equal(res.status, 200, res.text);
    }
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`${locale}: opens on 1 hour with 0 ms shown as 0 ms; the live range draws the last minutes and appends each new report`, async () => {
      // a report inside the minute /api/recent keeps, whatever ran before
      await report(s, node, cpu);
      const p = await openPage(browser, s.url, { locale });
      try {
        const { page } = p;
        await page.goto(`${s.url}/instance/${node.uuid}`);
        await page.locator('.range-picker button[data-hours="1"][aria-pressed="true"]').waitFor();
        await page.locator('[data-testid="load-charts"][data-hours="1"][aria-busy="false"]').waitFor();
        const row = page.locator('.ping-table tbody tr').first();
        await row.locator('[data-stat="min"]').filter({ hasText: /^0 ms$/ }).waitFor();
        assert.equal(await row.locator('[data-stat="max"]').textContent(), '12 ms');
        assert.equal(await row.locator('[data-stat="avg"]').textContent(), '6 ms');

        await page.locator('.range-picker').getByRole('button', { name: text[locale].live, exact: true }).click();
        const live = page.locator('[data-testid="load-charts"][data-range="live"]');
        await live.getByText(text[locale].note).waitFor();
        // the minute /api/recent holds is drawn at once
        await page.waitForFunction(() => Number(document.querySelector('[data-chart="cpu"]')?.getAttribute('data-points')) > 0);
        await page.locator('[data-chart="cpu"] canvas').waitFor();
        const before = await pointsOf(page, 'cpu');
        cpu += 7;
        await report(s, node, cpu);
        await page.waitForFunction((n) => Number(document.querySelector('[data-chart="cpu"]')?.getAttribute('data-points')) > n, before);
        await page.locator('[data-figure="cpu"] .figure-value').filter({ hasText: `${cpu.toFixed(1)}%` }).waitFor();
        // the live chart is updated in place, not rebuilt every second
        await page.locator('[data-chart="cpu"] canvas').evaluate((c) => c.setAttribute('data-first', ''));
        const again = await pointsOf(page, 'cpu');
        cpu += 7;
        await report(s, node, cpu);
        await page.waitForFunction((n) => Number(document.querySelector('[data-chart="cpu"]')?.getAttribute('data-points')) > n, again);
        assert.equal(await page.locator('[data-chart="cpu"] canvas[data-first]').count(), 1, 'the same canvas drew the new point');

        // the choice is kept for the next visit
        await page.reload();
        await page.locator('.range-picker button[data-range="live"][aria-pressed="true"]').waitFor();
        await live.waitFor();
        await page.locator('.range-picker button[data-hours="1"]').click();
        await page.locator('[data-testid="load-charts"][data-hours="1"]').waitFor();
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }

  it('the reports kept are bounded: by the live window of the newest, by count, without repeats', () => {
    const at = (s: number): LiveReport => ({ updated_at: new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString() }) as LiveReport;
    const limits = { windowSeconds: 60, maxReports: 40 };
    let kept: LiveReport[] = [];
    for (let s = 0; s < 1000; s++) kept = mergeReports(kept, [at(s), at(s)], limits);
    assert.equal(kept.length, 40, 'never more than maxReports');
    assert.deepEqual(kept.map((r) => r.updated_at), Array.from({ length: 40 }, (_, i) => at(960 + i).updated_at));
    const sparse = mergeReports([at(0), at(10)], [at(100)], limits);
    assert.deepEqual(sparse.map((r) => r.updated_at), [at(100).updated_at], 'older than the window of the newest: dropped');
    assert.deepEqual(mergeReports([], [at(5), at(1), at(3)], limits).map((r) => r.updated_at), [at(1), at(3), at(5)].map((r) => r.updated_at));
  });
});
