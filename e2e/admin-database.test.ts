import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { formatBytes } from '../packages/web/src/lib/format.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { addReportingNode, report, startWebServer, type FakeNode } from './helpers/web-server.ts';

// The database page in both languages against a real server: the size the server measures, the
// vacuum after its confirmation with the result, and clearing history (load; load and ping), each
// after its confirmation, checked through the records API and the audit log.

const texts = {
  en: { heading: 'Database', reclaimed: 'Space reclaimed.', loadDone: 'Load history cleared.', allDone: 'Load and ping history cleared.', cancel: 'Cancel' },
  'zh-CN': { heading: '数据库', reclaimed: '空间已回收。', loadDone: '负载历史已清除。', allDone: '负载和延迟历史已清除。', cancel: '取消' },
} as const;

describe('admin database page in a real browser', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let node: FakeNode;
  let task: number;

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    node = await addReportingNode(s, cookie, 'db-node');
    const add = await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name: 'gw', type: 'tcp', target: '127.0.0.1:1', clients: [node.uuid], interval: 60 } });
    assert.equal(add.status, 200, add.text);
    task = add.json.data.task_id;
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  const records = async (kind: 'load' | 'ping'): Promise<unknown[]> => {
    const res = await http(s.url, `/api/records/${kind}?uuid=${node.uuid}&hours=1`, { cookie });
    assert.equal(res.status, 200, res.text);
    return res.json.data.records;
  };
  /** a report and a ping result, flushed to the file: history in both series */
  const fillHistory = async () => {
    await report(s, node, 30);
    const ping = await http(s.url, `/api/clients/ping/result?token=${node.token}`, { method: 'POST', body: { task_id: task, value: 12 } });
    assert.equal(ping.status, 200, ping.text);
    await s.ctx.history.flush();
    await s.ctx.ping.history.flush();
    assert.ok((await records('load')).length > 0);
    assert.ok((await records('ping')).length > 0);
  };
  const measured = async (): Promise<number> => {
    const size = (await http(s.url, '/api/admin/database/size', { cookie })).json.data.main.size as number;
    assert.ok(size > 0);
    return size;
  };
  const audit = async (): Promise<string[]> => (await http(s.url, '/api/admin/logs?limit=20', { cookie })).json.data.logs.map((l: { message: string }) => l.message);

  for (const locale of ['en', 'zh-CN'] as const) {
    const w = texts[locale];

    it(`${locale}: shows the size the server measures and reclaims space after a confirmation`, async () => {
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        // the file grows as the page is served (sessions, audit): the size shown lies between two readings
        const low = await measured();
        await page.goto(`${s.url}/admin/database`);
        await page.getByRole('heading', { name: w.heading, exact: true }).waitFor();
        const shown = page.getByTestId('size-main');
        await shown.waitFor();
        const high = await measured();
        const text = (await shown.textContent()) ?? '';
        const m = /^(\d+(?:\.\d)?) (B|KiB|MiB|GiB)$/.exec(text);
        assert.ok(m, text);
        const unit = 1024 ** ['B', 'KiB', 'MiB', 'GiB'].indexOf(m[2]!);
        // formatBytes rounds to a tenth of its unit
        const shownBytes = Number(m[1]) * unit;
        assert.ok(shownBytes >= low - unit / 20 && shownBytes <= high + unit / 20, `${text} is not between ${formatBytes(low)} and ${formatBytes(high)}`);

        // the dialog's Cancel leaves everything as it was
        const before = (await audit()).filter((m) => m === 'reclaimed database space').length;
        await page.getByTestId('vacuum').click();
        await page.getByTestId('vacuum-dialog').getByRole('button', { name: w.cancel, exact: true }).click();
        await page.getByTestId('vacuum-dialog').waitFor({ state: 'detached' });
        assert.equal((await audit()).filter((m) => m === 'reclaimed database space').length, before);

        await page.getByTestId('vacuum').click();
        await page.getByTestId('vacuum-dialog-confirm').click();
        const result = page.getByTestId('vacuum-result');
        await result.getByText(w.reclaimed).waitFor();
        assert.equal(await result.getAttribute('data-ok'), 'true');
        assert.equal((await audit()).filter((m) => m === 'reclaimed database space').length, before + 1);
        p.assertClean();
      } finally {
        await p.close();
      }
    });

    it(`${locale}: clears load history, then load and ping history, each after a confirmation`, async () => {
      await fillHistory();
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        await page.goto(`${s.url}/admin/database`);
        await page.getByTestId('clear-load').click();
        await page.getByTestId('clear-dialog-confirm').click();
        await page.getByTestId('clear-result').getByText(w.loadDone).waitFor();
        assert.deepEqual(await records('load'), []);
        assert.ok((await records('ping')).length > 0, 'the ping history stays');
        assert.equal((await audit())[0], 'clear records');

        await fillHistory();
        await page.getByTestId('clear-all').click();
        await page.getByTestId('clear-dialog-confirm').click();
        await page.getByTestId('clear-result').getByText(w.allDone).waitFor();
        assert.deepEqual(await records('load'), []);
        assert.deepEqual(await records('ping'), []);
        assert.equal((await audit())[0], 'clear all records');
        // the node and its task stay
        assert.equal((await http(s.url, `/api/admin/client/${node.uuid}`, { cookie })).status, 200);
        assert.equal((await http(s.url, '/api/admin/ping/', { cookie })).json.data.length, 1);
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }
});
