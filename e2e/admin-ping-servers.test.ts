import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { addReportingNode, startWebServer, type FakeNode } from './helpers/web-server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const text = {
  en: {
    save: 'Save',
    later: 'Also run on servers added later',
    all: 'All servers, now and later',
    chosen: 'Chosen servers',
    pickOne: 'Choose at least one server, or “All servers, now and later”.',
    badTarget: 'The target must not contain spaces or control characters.',
    edit: 'Edit',
    remove: 'Delete',
    confirm: 'Delete with its history',
  },
  'zh-CN': {
    save: '保存',
    later: '之后添加的服务器也自动执行',
    all: '所有服务器（包括之后添加的）',
    chosen: '指定的服务器',
    pickOne: '请至少选择一台服务器，或选择“所有服务器（包括之后添加的）”。',
    badTarget: '目标不能包含空格或控制字符。',
    edit: '编辑',
    remove: '删除',
    confirm: '连同历史记录删除',
  },
} as const;

describe('the ping-task form asks for a server unless "all servers, now and later" (issue 17 §5)', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  const nodes: FakeNode[] = [];
  const tasks = async (): Promise<any[]> => (await http(s.url, '/api/admin/ping/', { cookie })).json.data;

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    for (const name of ['one', 'two']) nodes.push(await addReportingNode(s, cookie, name));
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`${locale}: "added later" alone is refused with a clear message; "all servers" saves a task on every server; the server's refusal reads in the page's language`, async () => {
      const w = text[locale];
      const p = await openPage(browser, s.url, { sessionCookie: cookie, locale });
      try {
        const { page } = p;
        await page.goto(`${s.url}/admin/ping`);
        await page.getByTestId('ping-add').click();
        const form = page.getByTestId('ping-form');
        await form.locator('input[name=name]').fill(`every-${locale}`);
        await form.locator('input[name=target]').fill('1.1.1.1');
        await form.getByLabel(w.later).check();
        const save = form.getByRole('button', { name: w.save });
        await save.click();
        await page.getByTestId('ping-error').getByText(w.pickOne).waitFor();
        assert.deepEqual(await tasks(), [], 'nothing was sent');

        // a refusal from the server (a target with a space) is shown in the page's language
        await form.getByTestId('node-picker').getByLabel('one').check();
        await form.locator('input[name=target]').fill('1.1.1 .1');
        await save.click();
        await page.getByTestId('ping-error').getByText(w.badTarget).waitFor();
        assert.deepEqual(await tasks(), []);
        p.forgetRefusals(400);

        await form.locator('input[name=target]').fill('1.1.1.1');
        await form.getByLabel(w.all).check();
        assert.equal(await form.getByTestId('node-picker').count(), 0, 'no servers to pick when every one is meant');
        await save.click();
        await form.waitFor({ state: 'detached' });
        const [saved] = await tasks();
        assert.deepEqual([saved.name, [...saved.clients].sort(), saved.default_on], [`every-${locale}`, nodes.map((n) => n.uuid).sort(), true]);

        // editing it shows "all servers" chosen; switching to chosen servers with none is refused
        const row = page.getByTestId('ping-table').locator('tr', { hasText: `every-${locale}` });
        await row.getByRole('button', { name: w.edit }).click();
        assert.equal(await form.getByLabel(w.all).isChecked(), true);
        await form.getByLabel(w.chosen).check();
        await form.getByTestId('node-picker').getByRole('button', { name: locale === 'en' ? 'None' : '清空' }).click();
        await save.click();
        await page.getByTestId('ping-error').getByText(w.pickOne).waitFor();

        await row.getByRole('button', { name: w.remove }).click();
        await row.getByRole('button', { name: w.confirm }).click();
        await row.waitFor({ state: 'detached' });
        assert.deepEqual(await tasks(), []);
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }
});
