import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { eventually } from '../packages/server/test/helpers/agent-common.ts';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { addReportingNode, startWebServer, type FakeNode } from './helpers/web-server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const words = {
  en: { section: 'Remote control', files: 'File manager', off: 'Off for this server', notReported: 'not reported', disable: 'Disable remote control on this host', install: 'Install', edit: 'Edit' },
  'zh-CN': { section: '远程控制', files: '文件管理', off: '对此服务器关闭', notReported: '未上报', disable: '在此主机上禁用远程控制', install: '安装', edit: '编辑' },
} as const;

describe('admin → remote control switches in a real browser (issue 18)', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let node: FakeNode;
  const settings = async () => (await http(s.url, '/api/admin/settings', { cookie })).json.data;
  const override = async () => ((await http(s.url, `/api/admin/client/${node.uuid}`, { cookie })).json as any).remote_control;

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    node = await addReportingNode(s, cookie, 'rc-node');
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  for (const [locale, w] of Object.entries(words) as [keyof typeof words, (typeof words)[keyof typeof words]][]) {
    it(`${locale}: toggles a server-wide switch and a node override, and adds the agent flag`, async () => {
      const p = await openPage(browser, s.url, { sessionCookie: cookie, locale });
      try {
        const wasOn = (await settings()).remote_exec_enabled as boolean;
        await p.page.goto(s.url + '/admin/settings');
        const section = p.page.getByTestId('remote-control-settings');
        await section.getByRole('heading', { name: w.section }).waitFor();
        await section.locator('input[name=remote_exec_enabled]').setChecked(!wasOn);
        await p.page.getByTestId('settings-save').click();
        await p.page.getByTestId('settings-saved').waitFor();
        await eventually(async () => (await settings()).remote_exec_enabled === !wasOn, 5000);

        await p.page.goto(s.url + '/admin/nodes');
        const row = p.page.locator(`tr[data-uuid="${node.uuid}"]`);
        await row.getByRole('button', { name: w.edit }).click();
        const dialog = p.page.getByTestId('node-edit');
        const fields = dialog.getByTestId('node-remote-control');
        await fields.getByText(w.files).waitFor();
        await dialog.getByTestId('node-capabilities').getByText(w.notReported).waitFor();
        const wanted = locale === 'en' ? 'off' : 'follow';
        await fields.locator('select[name=remote_files]').selectOption(wanted);
        if (wanted === 'off') assert.equal(await fields.locator('select[name=remote_files] option:checked').textContent(), w.off);
        await dialog.locator('button[type=submit]').click();
        await dialog.waitFor({ state: 'detached' });
        await eventually(async () => (await override()).files === (wanted === 'off' ? false : null), 5000);
        assert.deepEqual(await override(), { exec: null, terminal: null, files: wanted === 'off' ? false : null });

        await row.getByRole('button', { name: w.install }).click();
        const install = p.page.getByTestId('node-install');
        const official = install.getByTestId('install-official').locator('code');
        const ours = install.getByTestId('install-ts').locator('code');
        assert.ok(!(await official.textContent())!.includes('--disable-web-ssh'));
        await install.getByLabel(w.disable).check();
        assert.ok((await official.textContent())!.endsWith(`-t ${node.token} --disable-web-ssh`));
        assert.ok((await ours.textContent())!.endsWith(`-t ${node.token} --disable-web-ssh`));
        await install.getByLabel(w.disable).uncheck();
        assert.ok((await ours.textContent())!.endsWith(`-t ${node.token}`));
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }
});
