import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { addReportingNode, startWebServer, type FakeNode } from './helpers/web-server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('admin ping tasks page in a real browser', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let node: FakeNode;

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    node = await addReportingNode(s, cookie, 'probe-node');
    await addReportingNode(s, cookie, 'other-node');
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  const tasks = async (): Promise<any[]> => (await http(s.url, '/api/admin/ping/', { cookie })).json.data;

  async function fillForm(page: Page, f: { name?: string; type?: string; target?: string; interval?: string }) {
    const form = page.getByTestId('ping-form');
    if (f.name !== undefined) await form.locator('input[name=name]').fill(f.name);
    if (f.type !== undefined) await form.locator('select[name=type]').selectOption(f.type);
    if (f.target !== undefined) await form.locator('input[name=target]').fill(f.target);
    if (f.interval !== undefined) await form.locator('input[name=interval]').fill(f.interval);
  }

  it('adds a task for a node, edits its interval and deletes it; bad input is refused and changes nothing', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    try {
      const { page } = p;
      await page.goto(`${s.url}/admin/ping`);
      await page.getByTestId('ping-add').click();
      await fillForm(page, { name: 'Cloudflare', type: 'tcp', target: 'not a host!', interval: '30' });
      await page.getByTestId('node-picker').getByLabel('probe-node').check();
      const save = page.getByTestId('ping-form').getByRole('button', { name: 'Save' });

      // the server refuses the target: its reason is shown and nothing is stored
      await save.click();
      await page.getByTestId('ping-error').getByText('target must not contain spaces').waitFor();
      assert.deepEqual(await tasks(), []);
      p.forgetRefusals(400);

      // an interval of 0 is refused before it is sent
      await fillForm(page, { target: '1.1.1.1:443', interval: '0' });
      await save.click();
      await page.getByTestId('ping-error').getByText('whole number of seconds').waitFor();
      assert.deepEqual(await tasks(), []);

      await fillForm(page, { interval: '30' });
      await save.click();
      const row = page.getByTestId('ping-table').locator('tr', { hasText: 'Cloudflare' });
      await row.getByText('every 30 seconds').waitFor();
      const [added] = await tasks();
      assert.deepEqual(
        { name: added.name, type: added.type, target: added.target, interval: added.interval, clients: added.clients },
        { name: 'Cloudflare', type: 'tcp', target: '1.1.1.1:443', interval: 30, clients: [node.uuid] },
      );

      await row.getByRole('button', { name: 'Edit' }).click();
      await fillForm(page, { interval: '120' });
      await save.click();
      await row.getByText('every 120 seconds').waitFor();
      const [edited] = await tasks();
      assert.equal(edited.interval, 120);
      assert.deepEqual(edited.clients, [node.uuid], 'editing keeps the chosen nodes');

      await row.getByRole('button', { name: 'Delete' }).click();
      await row.getByRole('button', { name: 'Delete with its history' }).click();
      await page.getByText('No ping tasks yet').waitFor();
      assert.deepEqual(await tasks(), []);
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('renders in Simplified Chinese on a phone in dark mode without errors', async () => {
    await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name: 'Google DNS', type: 'icmp', target: '8.8.8.8', interval: 60, clients: [node.uuid] } });
    const p = await openPage(browser, s.url, { sessionCookie: cookie, locale: 'zh-CN', viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    try {
      const { page } = p;
      await page.goto(`${s.url}/admin/ping`);
      await page.getByRole('heading', { name: '延迟监测' }).waitFor();
      await page.getByTestId('ping-table').getByText('每 60 秒').waitFor();
      await page.getByTestId('ping-add').click();
      await page.getByTestId('ping-form').getByRole('button', { name: '保存' }).click();
      await page.getByTestId('ping-error').getByText('请填写任务名称').waitFor();
      // nothing wider than the phone: the page itself does not scroll sideways
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
      p.assertClean();
    } finally {
      await p.close();
    }
  });
});
