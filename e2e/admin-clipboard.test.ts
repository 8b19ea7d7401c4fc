import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { addNode, eventually, sampleReport } from '../packages/server/test/helpers/agent-common.ts';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { agentTerminal } from '../packages/server/test/helpers/terminal.ts';
import { V2SocketAgent } from '../packages/server/test/helpers/v2-agent.ts';
import { frameWhere, typedInto } from './helpers/agent-frames.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { startWebServer } from './helpers/web-server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

// Saved commands (Komari's clipboard, admin-api.md §9) in both languages against a real server:
// added, edited and deleted on their page (and read back through the API), picked on the exec
// page into the command box, and typed into a real terminal session from the terminal's menu.

const texts = {
  en: { heading: 'Saved commands', empty: 'No saved commands yet.', noText: 'Enter the command to save.', confirm: 'Delete it', menu: 'Saved commands', choose: 'Insert a saved command…' },
  'zh-CN': { heading: '常用命令', empty: '还没有保存的命令。', noText: '请输入要保存的命令。', confirm: '确认删除', menu: '常用命令', choose: '插入常用命令…' },
} as const;

describe('saved commands in a real browser: their page, the exec page and the terminal', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let agent: V2SocketAgent;
  let keepAlive: ReturnType<typeof setInterval>;
  const node = { uuid: '', token: '' };

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    Object.assign(node, await addNode(s, cookie, 'web-01'));
    agent = await V2SocketAgent.connect(s, node.token);
    const report = () => agent.send({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() } });
    report();
    keepAlive = setInterval(report, 3000);
    await eventually(() => s.ctx.live.socketOf(node.uuid) !== undefined);
  });
  after(async () => {
    clearInterval(keepAlive);
    await agent?.close();
    await browser?.close();
    await s?.dispose();
  });

  const stored = async (): Promise<any[]> => {
    const res = await http(s.url, '/api/admin/clipboard', { cookie });
    assert.equal(res.status, 200, res.text);
    return res.json.data ?? [];
  };
  const clearAll = async () => {
    const ids = (await stored()).map((e) => e.id);
    if (ids.length) assert.equal((await http(s.url, '/api/admin/clipboard/remove', { method: 'POST', cookie, body: { ids } })).status, 200);
  };

  for (const locale of ['en', 'zh-CN'] as const) {
    const w = texts[locale];
    const tag = locale === 'en' ? 'en' : 'zh';

    it(`${locale}: adds, edits and deletes a saved command; a blank command is refused and nothing is stored`, async () => {
      await clearAll();
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        await page.goto(`${s.url}/admin/clipboard`);
        await page.getByRole('heading', { name: w.heading, exact: true }).waitFor();
        await page.getByText(w.empty).waitFor();

        await page.getByTestId('clipboard-add').click();
        const form = page.getByTestId('clipboard-form');
        await form.locator('input[name=name]').fill(`update-${tag}`);
        await form.getByTestId('clipboard-save').click();
        await form.getByTestId('clipboard-form-error').getByText(w.noText).waitFor();
        assert.deepEqual(await stored(), []);

        await form.locator('textarea[name=text]').fill('apt update');
        await form.locator('input[name=remark]').fill('weekly');
        await form.locator('input[name=weight]').fill('3');
        await form.getByTestId('clipboard-save').click();
        const row = page.getByTestId('clipboard-table').locator('tr', { hasText: `update-${tag}` });
        await row.getByText('apt update').waitFor();
        let all = await stored();
        assert.equal(all.length, 1);
        assert.deepEqual({ name: all[0].name, text: all[0].text, remark: all[0].remark, weight: all[0].weight }, { name: `update-${tag}`, text: 'apt update', remark: 'weekly', weight: 3 });

        const id = all[0].id;
        await row.getByTestId('clipboard-edit').click();
        assert.equal(await form.locator('textarea[name=text]').inputValue(), 'apt update');
        await form.locator('textarea[name=text]').fill('apt update && apt upgrade -y');
        await form.locator('input[name=name]').fill(`upgrade-${tag}`);
        await form.getByTestId('clipboard-save').click();
        const edited = page.getByTestId('clipboard-table').locator('tr', { hasText: `upgrade-${tag}` });
        await edited.getByText('apt update && apt upgrade -y').waitFor();
        all = await stored();
        assert.equal(all.length, 1, 'the edit changed the entry, it did not add one');
        assert.deepEqual({ id: all[0].id, name: all[0].name, text: all[0].text, remark: all[0].remark }, { id, name: `upgrade-${tag}`, text: 'apt update && apt upgrade -y', remark: 'weekly' });

        await edited.getByTestId('clipboard-delete').click();
        await edited.getByTestId('clipboard-confirm-delete').getByText(w.confirm).click();
        await page.getByText(w.empty).waitFor();
        assert.deepEqual(await stored(), []);
        p.assertClean();
      } finally {
        await p.close();
      }
    });

    it(`${locale}: on the exec page, picking a saved command fills the command box and runs it`, async () => {
      await clearAll();
      for (const [name, text, weight] of [[`second-${tag}`, 'uptime', 5], [`first-${tag}`, 'df -h', 1]] as const) {
        assert.equal((await http(s.url, '/api/admin/clipboard', { method: 'POST', cookie, body: { name, text, weight } })).status, 200);
      }
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        await page.goto(`${s.url}/admin/exec`);
        const select = page.getByTestId('saved-command-select');
        await select.waitFor();
        // by weight: the lighter one first, after the prompt
        const options = await select.locator('option').allTextContents();
        assert.deepEqual(options, [w.choose, `first-${tag}`, `second-${tag}`]);
        await select.selectOption({ label: `second-${tag}` });
        assert.equal(await page.locator('textarea[name=command]').inputValue(), 'uptime');
        // the picker goes back to its prompt, so the same entry can be picked again
        assert.equal(await select.inputValue(), '');

        await page.getByTestId('node-picker').getByLabel('web-01').check();
        await page.getByTestId('exec-run').click();
        const exec = await frameWhere(agent, (f) => f.method === 'agent.exec');
        assert.equal(exec.params.command, 'uptime');
        p.assertClean();
      } finally {
        await p.close();
      }
    });

    it(`${locale}: in the web terminal, choosing a saved command types its text into the session`, async () => {
      await clearAll();
      assert.equal((await http(s.url, '/api/admin/clipboard', { method: 'POST', cookie, body: { name: `disk-${tag}`, text: 'df -h /\r' } })).status, 200);
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        await page.goto(`${s.url}/terminal?uuid=${node.uuid}`);
        // a v2 agent is asked as Komari 1.5 asks it: the agent.terminal.request event
        const request = await frameWhere(agent, (f) => f.method === 'agent.terminal.request');
        const peer = await agentTerminal(s, node.token, request.params.request_id);
        peer.send(Buffer.from('$ '), true);
        await page.locator('[data-testid=terminal-status][data-status=connected]').waitFor();

        const menu = page.getByTestId('saved-commands-menu');
        await menu.getByText(w.menu, { exact: true }).click();
        await menu.getByRole('menuitem', { name: `disk-${tag}` }).click();
        assert.match(await typedInto(peer, 'df -h /\r'), /df -h \/\r$/);
        // the menu closes after a choice
        assert.equal(await menu.evaluate((d) => (d as HTMLDetailsElement).open), false);
        peer.ws.close();
        await page.locator('[data-testid=terminal-status][data-status=closed]').waitFor();
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }
});
