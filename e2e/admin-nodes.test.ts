import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NodeWire } from '@komari-ts/protocol';
import type { Browser, Page } from 'playwright-core';
import { eventually } from '../packages/server/test/helpers/agent-common.ts';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { addReportingNode, startWebServer } from './helpers/web-server.ts';

describe('admin → servers in a real browser', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  const list = async (): Promise<NodeWire[]> => (await http(s.url, '/api/admin/client/list', { cookie })).json as NodeWire[];
  const byName = async (name: string) => (await list()).find((n) => n.name === name);
  const row = (page: Page, uuid: string) => page.locator(`tr[data-uuid="${uuid}"]`);

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    await addReportingNode(s, cookie, 'alpha');
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  it('adds a node, copies its install command, edits, reorders and removes it', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    try {
      await p.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.url });
      const alpha = (await byName('alpha'))!;
      await p.page.goto(s.url + '/admin/nodes');
      await row(p.page, alpha.uuid).getByTestId('node-state').getByText('Online').waitFor();

      // add: the dialog shows the new token and the commands that use it
      await p.page.getByTestId('add-node').click();
      await p.page.getByTestId('node-add').locator('input[name=name]').fill('web-1');
      await p.page.getByTestId('node-add').locator('button[type=submit]').click();
      const token = await p.page.getByTestId('node-token').inputValue();
      const added = await byName('web-1');
      assert.equal(added?.token, token);
      await p.page.getByTestId('copy-official').click();
      await p.page.getByTestId('copy-official').getByText('Copied').waitFor();
      const official = await p.page.evaluate(() => navigator.clipboard.readText());
      assert.match(official, /^bash <\(curl -sL https:\/\/raw\.githubusercontent\.com\/komari-monitor\/komari-agent\/refs\/heads\/main\/install\.sh\) /);
      assert.ok(official.endsWith(` -e ${s.url} -t ${token}`), official);
      await p.page.getByTestId('copy-ts').click();
      await p.page.getByTestId('copy-ts').getByText('Copied').waitFor();
      assert.equal(await p.page.evaluate(() => navigator.clipboard.readText()), `curl -fsSL ${s.url}/api/agent/install.sh | sh -s -- -e ${s.url} -t ${token}`);
      await p.page.getByTestId('node-add').getByRole('button', { name: 'Close' }).last().click();
      const web = row(p.page, added!.uuid);
      await web.waitFor();
      assert.equal(await web.locator(`a[href="/terminal?uuid=${added!.uuid}"]`).getAttribute('target'), '_blank');

      // a bad edit shows the server's refusal and changes nothing
      await web.getByRole('button', { name: 'Edit' }).click();
      const dialog = p.page.getByTestId('node-edit');
      await dialog.locator('input[name=name]').fill('web-1-renamed');
      await dialog.locator('input[name=traffic_limit]').fill('-1');
      await dialog.locator('button[type=submit]').click();
      await dialog.getByTestId('edit-error').getByText('The traffic limit must be zero or more.').waitFor();
      const unchanged = (await byName('web-1'))!;
      assert.equal(unchanged.traffic_limit, 0);

      // a good edit reaches the API
      await dialog.locator('input[name=traffic_limit]').fill('1.5');
      await dialog.locator('input[name=group]').fill('edge');
      await dialog.locator('input[name=price]').fill('4.99');
      await dialog.locator('input[name=expired_at]').fill('2030-01-15');
      await dialog.locator('select[name=traffic_limit_type]').selectOption('sum');
      await dialog.locator('input[name=hidden]').check();
      await dialog.locator('button[type=submit]').click();
      await dialog.waitFor({ state: 'detached' });
      const edited = (await list()).find((n) => n.uuid === added!.uuid)!;
      assert.deepEqual(
        { name: edited.name, group: edited.group, price: edited.price, hidden: edited.hidden, expired_at: Date.parse(edited.expired_at ?? ''), traffic_limit: edited.traffic_limit, traffic_limit_type: edited.traffic_limit_type },
        { name: 'web-1-renamed', group: 'edge', price: 4.99, hidden: true, expired_at: Date.UTC(2030, 0, 15), traffic_limit: 1.5 * 2 ** 30, traffic_limit_type: 'sum' },
      );
      await web.getByTestId('node-visibility').getByText('Hidden').waitFor();

      // reorder: web-1 moves above alpha, and the weights say so
      await web.getByRole('button', { name: 'Move web-1-renamed up' }).click();
      await eventually(async () => {
        const w = Object.fromEntries((await list()).map((n) => [n.name, n.weight]));
        return w['web-1-renamed'] === 0 && w.alpha === 1;
      }, 5000);
      await p.page.locator('tr[data-testid=node-row]').first().and(web).waitFor();

      // remove, after confirming
      await web.getByRole('button', { name: 'Delete' }).click();
      await p.page.getByTestId('confirm-remove').click();
      await web.waitFor({ state: 'detached' });
      assert.equal((await list()).some((n) => n.uuid === added!.uuid), false);
      p.forgetRefusals(400);
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('zh-CN: the list and the edit dialog are translated and clean, on a phone', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie, locale: 'zh-CN', viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    try {
      await p.page.goto(s.url + '/admin/nodes');
      await p.page.getByRole('heading', { name: '服务器' }).waitFor();
      const alpha = p.page.locator('tr[data-testid=node-row]', { hasText: 'alpha' });
      await alpha.getByRole('button', { name: '编辑' }).click();
      await p.page.getByTestId('node-edit').getByText('流量计算方式').waitFor();
      await p.page.getByTestId('node-edit').getByRole('button', { name: '取消' }).click();
      await alpha.getByRole('button', { name: '安装' }).click();
      await p.page.getByTestId('node-install').getByText('Komari Agent（官方安装脚本）').waitFor();
      p.assertClean();
    } finally {
      await p.close();
    }
  });
});
