import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { addNode } from '../packages/server/test/helpers/agent-common.ts';
import { ManualClock } from '../packages/server/test/helpers/clock.ts';
import { http, startWithAdmin, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage, type PageOptions } from './helpers/browser.ts';
import { editNode, report, uploadInfo, type FakeNode } from './helpers/web-server.ts';

const webRoot = process.env.KOMARI_WEB_ROOT ?? fileURLToPath(new URL('../packages/web', import.meta.url));
const minute = 60_000;
const hour = 60 * minute;
const loadCharts = ['cpu', 'memory', 'disk', 'network', 'load', 'connections', 'process'];
const pingCharts = ['latency', 'loss'];

/** The number of points a chart says it draws, and whether uPlot put a canvas in it. */
async function chartState(page: Page, id: string): Promise<{ points: number; canvas: boolean }> {
  const card = page.locator(`[data-chart="${id}"]`);
  return { points: Number(await card.getAttribute('data-points')), canvas: (await card.locator('canvas').count()) > 0 };
}

/** Waits until both history blocks show the answer for `hours` and are no longer loading. */
async function historyFor(page: Page, hours: number): Promise<void> {
  for (const block of ['load-charts', 'ping-charts']) {
    await page.locator(`[data-testid="${block}"][data-hours="${hours}"][aria-busy="false"]`).waitFor();
  }
}

describe('the node page at /instance/<uuid>', { skip: noBrowser }, () => {
  // The server's clock starts 20 h back so the node gets 20 h of history in a moment; it ends
  // at the real time, so the browser's window and the server's agree.
  const clock = new ManualClock(Date.now() - 20 * hour);
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let node: FakeNode;
  let quiet: FakeNode;
  let hidden: FakeNode;

  const open = async (path: string, o: PageOptions = {}) => {
    const p = await openPage(browser, s.url, o);
    await p.page.goto(s.url + path);
    return p;
  };

  before(async () => {
    if (!existsSync(join(webRoot, 'dist', 'index.html'))) throw new Error(`the web UI is not built in ${webRoot}`);
    ({ s, cookie } = await startWithAdmin({ clock, env: { KOMARI_WEB_ROOT: webRoot } }));
    node = { ...(await addNode(s, cookie, 'tokyo-1')), name: 'tokyo-1' };
    quiet = { ...(await addNode(s, cookie, 'quiet')), name: 'quiet' };
    hidden = { ...(await addNode(s, cookie, 'secret')), name: 'secret' };
    await uploadInfo(s, node);
    await editNode(s, cookie, node.uuid, { region: 'JP', price: 5, billing_cycle: 30, currency: '$', public_remark: 'Tokyo box' });
    await editNode(s, cookie, hidden.uuid, { hidden: true });
    for (const name of ['cloudflare', 'google']) {
      const res = await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name, type: 'icmp', target: '1.1.1.1', interval: 60, clients: [node.uuid] } });
      assert.equal(res.status, 200, res.text);
    }
    // A report and two ping results every 10 minutes for 20 hours; every 7th probe is lost.
    for (let i = 0; i < 120; i++) {
      await report(s, node, 10 + (i % 50));
      for (const task of [1, 2]) {
        const value = (i + task) % 7 === 0 ? -1 : 20 + task * 10 + (i % 5);
        const res = await http(s.url, `/api/clients/ping/result?token=${node.token}`, { method: 'POST', body: { task_id: task, value, ping_type: 'icmp' } });
        assert.equal(res.status, 200, res.text);
      }
      clock.advance(10 * minute);
    }
    clock.set(Date.now());
    await report(s, node, 33);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  it('draws every load and ping chart for each range, with the details and no console error', async () => {
    const p = await open(`/instance/${node.uuid}`);
    try {
      const { page } = p;
      await page.getByTestId('node-name').filter({ hasText: 'tokyo-1' }).waitFor();
      await page.waitForFunction(() => document.title === 'tokyo-1 · Komari');
      assert.equal(await page.locator('[data-detail="cpu"] dd').textContent(), 'AMD EPYC 7763 (4 cores)');
      assert.equal(await page.locator('[data-detail="price"] dd').textContent(), '$5 / month');
      assert.equal(await page.locator('[data-detail="remark"]').textContent(), 'Tokyo box');
      await page.locator('[data-detail="uptime"] dd').filter({ hasText: '1d 2h' }).waitFor();
      assert.equal(await page.locator('[data-detail="version"]').count(), 0, 'the agent version is for admins only');
      assert.equal(await page.locator('.region-flag').textContent(), '🇯🇵');
      for (const hours of [1, 6, 24, 168, 720]) {
        await page.locator(`.range-picker button[data-hours="${hours}"]`).click();
        await historyFor(page, hours);
        for (const id of [...loadCharts, ...pingCharts]) {
          const state = await chartState(page, id);
          assert.ok(state.points > 0 && state.canvas, `${id} at ${hours} h: ${JSON.stringify(state)}`);
        }
      }
      // 1 h holds 6 reports 10 minutes apart (plus the last one); 20 h of them at 6 h is more.
      await page.locator('.range-picker button[data-hours="1"]').click();
      await historyFor(page, 1);
      const oneHour = (await chartState(page, 'cpu')).points;
      await page.locator('.range-picker button[data-hours="24"]').click();
      await historyFor(page, 24);
      assert.ok((await chartState(page, 'cpu')).points > oneHour * 10, 'a longer range shows more history');
      assert.equal(await page.locator('.ping-table tbody tr').count(), 2);
      assert.equal(await page.locator('.ping-table tbody tr').first().locator('td').first().textContent(), 'cloudflare');
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('shows the live figures and follows a new report within a poll', async () => {
    const p = await open(`/instance/${node.uuid}`);
    try {
      const { page } = p;
      const cpu = page.locator('[data-figure="cpu"] .figure-value');
      await cpu.filter({ hasText: '33.0%' }).waitFor();
      await page.locator('[data-testid="node-status"][data-state="online"]').waitFor();
      clock.set(Date.now());
      await report(s, node, 77.5, { process: 321 });
      await cpu.filter({ hasText: '77.5%' }).waitFor({ timeout: 6000 });
      assert.equal(await page.locator('[data-figure="process"] .figure-value').textContent(), '321');
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('on a phone, in Chinese and dark: charts stacked full width, nothing wider than the screen', async () => {
    const p = await open(`/instance/${node.uuid}`, { locale: 'zh-CN', viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    try {
      const { page } = p;
      await page.getByRole('heading', { name: '实时状态' }).waitFor();
      await page.locator('[data-chart="cpu"] canvas').waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
      const cpu = (await page.locator('[data-chart="cpu"]').boundingBox())!;
      const memory = (await page.locator('[data-chart="memory"]').boundingBox())!;
      assert.ok(cpu.width > 340, `chart width ${cpu.width}`);
      assert.ok(memory.y >= cpu.y + cpu.height, 'the second chart sits below the first');
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no horizontal scrolling');
      // Turning the phone sideways widens the charts with their cards.
      await page.setViewportSize({ width: 800, height: 390 });
      await page.waitForFunction(() => document.querySelector('[data-chart="cpu"] canvas')!.getBoundingClientRect().width > 600);
      await page.setViewportSize({ width: 390, height: 844 });
      assert.equal(await page.locator('.range-picker button[data-hours="168"]').textContent(), '7 天');
      // Switching to light redraws the charts in the new colours: the old canvas is replaced.
      await page.locator('[data-chart="cpu"] canvas').evaluate((c) => c.setAttribute('data-old', ''));
      await page.getByTestId('appearance-switch').selectOption('light');
      await page.locator('[data-chart="cpu"] canvas:not([data-old])').waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('an unknown uuid and a hidden node (for a guest) read "node not found", in both languages; an admin sees both and the agent version', async () => {
    for (const [locale, text] of [['en', 'Node not found'], ['zh-CN', '未找到节点']] as const) {
      for (const uuid of ['no-such-node', hidden.uuid]) {
        const p = await open(`/instance/${uuid}`, { locale });
        try {
          await p.page.getByTestId('node-not-found').getByText(text).waitFor();
          assert.equal(await p.page.locator('[data-chart]').count(), 0);
          p.assertClean();
        } finally {
          await p.close();
        }
      }
    }
    const admin = await open(`/instance/${hidden.uuid}`, { sessionCookie: cookie });
    try {
      await admin.page.getByTestId('node-name').filter({ hasText: 'secret' }).waitFor();
      await admin.page.goto(`${s.url}/instance/${node.uuid}`);
      await admin.page.locator('[data-detail="version"] dd').filter({ hasText: 'e2e' }).waitFor();
      admin.assertClean();
    } finally {
      await admin.close();
    }
  });

  it('a node without reports or ping tasks says so instead of drawing empty charts', async () => {
    const p = await open(`/instance/${quiet.uuid}`);
    try {
      const { page } = p;
      await page.getByTestId('live-empty').waitFor();
      await page.getByTestId('ping-no-tasks').waitFor();
      await page.locator('[data-testid="node-status"][data-state="offline"]').waitFor();
      await page.locator('[data-chart="cpu"] .chart-empty').getByText('No data in this time range').waitFor();
      assert.equal(await page.locator('[data-chart="cpu"]').getAttribute('data-points'), '0');
      p.assertClean();
    } finally {
      await p.close();
    }
  });
});
