import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { addReportingNode, editNode, startWebServer, type FakeNode } from './helpers/web-server.ts';

const phone = { width: 390, height: 844 };

const text = {
  en: { edit: 'Edit', install: 'Install', terminal: 'Terminal', files: 'Files', remove: 'Delete', cancel: 'Cancel', close: 'Close', tooBig: 'The traffic limit must be zero or more.' },
  'zh-CN': { edit: '编辑', install: '安装', terminal: '终端', files: '文件', remove: '删除', cancel: '取消', close: '关闭', tooBig: '流量上限必须大于或等于 0。' },
} as const;

/**
 * The element lies wholly inside the phone's screen width (as laid out, without scrolling
 * anything sideways), and a tap at its centre lands on it.
 */
async function onScreen(page: Page, el: Locator, what: string): Promise<void> {
  const box = await el.boundingBox();
  assert.ok(box, `${what} is laid out`);
  assert.ok(box.x >= 0 && box.x + box.width <= phone.width, `${what} spans ${box.x}..${box.x + box.width}, outside 0..${phone.width}`);
  assert.ok(box.width >= 24 && box.height >= 24, `${what} is big enough to tap (${box.width}×${box.height})`);
  // the element itself (not something over it) is what sits at its centre
  const hit = await page.evaluate(
    ([x, y]) => document.elementFromPoint(x!, y!)?.closest('button, a')?.textContent ?? '',
    [box.x + box.width / 2, box.y + box.height / 2],
  );
  assert.equal(hit, await el.textContent(), `${what} receives the tap`);
  await el.click({ trial: true });
}

describe('admin → servers on a 390 px phone: every action on screen and clickable (issue 17 §5)', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let node: FakeNode;

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    node = await addReportingNode(s, cookie, 'a-server-with-a-rather-long-name-for-a-phone');
    await editNode(s, cookie, node.uuid, { group: 'production-eu-west', remark: 'the main database host, keep an eye on it' });
    await addReportingNode(s, cookie, 'second');
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`${locale}: the row's actions sit inside the screen and work; a refused edit reads in the page's language`, async () => {
      const w = text[locale];
      const p = await openPage(browser, s.url, { sessionCookie: cookie, locale, viewport: phone });
      try {
        const { page } = p;
        await page.goto(`${s.url}/admin/nodes`);
        const row = page.locator(`tr[data-uuid="${node.uuid}"]`);
        const actions = row.getByTestId('node-actions');
        await actions.waitFor();
        for (const name of [w.edit, w.install, w.terminal, w.files, w.remove]) {
          await onScreen(page, actions.getByRole(name === w.terminal || name === w.files ? 'link' : 'button', { name, exact: true }), name);
        }
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'nothing wider than the phone');
        // and nothing hidden in a table that scrolls sideways
        const table = page.locator('.table-scroll').first();
        assert.ok(await table.evaluate((t) => t.scrollWidth <= t.clientWidth), 'the node table does not scroll sideways');

        // each button really opens what it says
        await actions.getByRole('button', { name: w.install, exact: true }).click();
        await page.getByTestId('node-install').waitFor();
        await page.getByTestId('node-install').getByRole('button', { name: w.close }).last().click();
        await actions.getByRole('button', { name: w.remove, exact: true }).click();
        await page.getByTestId('node-remove').getByRole('button', { name: w.cancel }).click();
        await page.getByTestId('node-remove').waitFor({ state: 'detached' });

        // a refused edit: the server's English sentence, shown in the page's language
        await actions.getByRole('button', { name: w.edit, exact: true }).click();
        const dialog = page.getByTestId('node-edit');
        await dialog.locator('input[name=traffic_limit]').fill('-1');
        await dialog.locator('button[type=submit]').click();
        await dialog.getByTestId('edit-error').getByText(w.tooBig).waitFor();
        // the dialog scrolls up and down on a phone, never sideways
        await dialog.locator('button[type=submit]').scrollIntoViewIfNeeded();
        await onScreen(page, dialog.locator('button[type=submit]'), 'the dialog’s save button');
        await dialog.getByRole('button', { name: w.cancel }).click();
        const unchanged = (await http(s.url, `/api/admin/client/${node.uuid}`, { cookie })).json;
        assert.equal(unchanged.traffic_limit, 0);
        p.forgetRefusals(400);
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }
});
