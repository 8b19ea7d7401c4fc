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

describe('remote exec and the web terminal in a real browser, with a real agent connection', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let agent: V2SocketAgent;
  let keepAlive: ReturnType<typeof setInterval>;
  const online = { uuid: '', token: '' };
  const offline = { uuid: '', token: '' };

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    Object.assign(online, await addNode(s, cookie, 'web-01'));
    Object.assign(offline, await addNode(s, cookie, 'sleepy-02'));
    // a v2 socket agent as the official one runs: it reports (notifications, no reply) every few seconds
    agent = await V2SocketAgent.connect(s, online.token);
    const report = () => agent.send({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() } });
    report();
    keepAlive = setInterval(report, 3000);
    await eventually(() => s.ctx.live.socketOf(online.uuid) !== undefined);
  });
  after(async () => {
    clearInterval(keepAlive);
    await agent?.close();
    await browser?.close();
    await s?.dispose();
  });

  it('runs `echo hi` on the online node and shows the output the agent posts back; an empty command is refused', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    try {
      const { page } = p;
      await page.goto(`${s.url}/admin/exec`);
      const picker = page.getByTestId('node-picker');
      await picker.locator('.picker-dot.online').waitFor();
      await page.getByTestId('pick-online').click();
      assert.equal(await picker.getByLabel('web-01').isChecked(), true);
      assert.equal(await picker.getByLabel('sleepy-02').isChecked(), false);

      // nothing to run: refused on the page, no task is created
      await page.getByTestId('exec-run').click();
      await page.getByTestId('exec-error').getByText('Enter a command').waitFor();
      assert.deepEqual((await http(s.url, '/api/admin/task/all', { cookie })).json.data, []);

      await page.locator('textarea[name=command]').fill('echo hi');
      await page.getByTestId('exec-run').click();
      const exec = await frameWhere(agent, (f) => f.method === 'agent.exec');
      assert.equal(exec.params.command, 'echo hi');
      const result = page.locator(`[data-client="${online.uuid}"]`);
      await result.and(page.locator('[data-state=pending]')).waitFor();

      const answer = await agent.call('agent.taskResult', { task_id: exec.params.task_id, result: 'hi\n', exit_code: 0 }, 'result-1');
      assert.deepEqual(answer.result, { status: 'success' });
      await result.and(page.locator('[data-state=ok]')).waitFor();
      assert.equal(await result.getByTestId('exec-output').textContent(), 'hi\n');
      await result.getByText('exit code 0').waitFor();
      await page.getByTestId('exec-history').getByText('echo hi').waitFor();
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('opens /terminal: typed keys reach the agent, the agent output shows in xterm, and its exit is reported', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    try {
      const { page } = p;
      await page.goto(`${s.url}/terminal?uuid=${online.uuid}`);
      // a v2 agent is asked with agent.terminal.request (Komari 1.5)
      const request = (await frameWhere(agent, (f) => f.method === 'agent.terminal.request')).params;
      const status = page.getByTestId('terminal-status');
      await page.locator('[data-testid=terminal-status][data-status=waiting]').waitFor();
      const peer = await agentTerminal(s, online.token, request.request_id);

      // the size xterm fitted to the window arrives first, as a JSON text frame
      const resize = await peer.next();
      assert.equal(resize.binary, false);
      const size = JSON.parse(resize.text);
      assert.equal(size.type, 'resize');
      assert.ok(size.cols > 20 && size.rows > 5, resize.text);

      peer.send(Buffer.from('Welcome to web-01\r\n$ '), true);
      await page.locator('[data-testid=terminal-status][data-status=connected]').waitFor();
      await page.locator('.xterm-rows').getByText('Welcome to web-01').waitFor();
      await page.waitForFunction(() => document.title === 'web-01 · Terminal · Komari');

      await page.locator('.xterm-helper-textarea').focus();
      await page.keyboard.type('echo hi');
      await page.keyboard.press('Enter');
      assert.match(await typedInto(peer, 'echo hi\r'), /echo hi\r$/);

      peer.send(Buffer.from('echo hi\r\nhi from the agent\r\n$ '), true);
      await page.locator('.xterm-rows').getByText('hi from the agent').waitFor();

      peer.ws.close();
      await page.locator('[data-testid=terminal-status][data-status=closed]').waitFor();
      await status.getByText('the shell on the server ended').waitFor();
      await page.getByTestId('terminal-reconnect').waitFor();
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('in Chinese, on a phone in dark mode: the exec page and an offline node’s terminal render cleanly', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie, locale: 'zh-CN', viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    try {
      const { page } = p;
      await page.goto(`${s.url}/admin/exec`);
      await page.getByRole('heading', { name: '远程执行' }).waitFor();
      await page.getByTestId('exec-history').getByText('echo hi').click();
      await page.getByTestId('exec-results').getByText('已完成 1 / 1').waitFor();

      // only the offline node chosen: the server refuses, the page says why in Chinese
      await page.getByTestId('node-picker').getByLabel('sleepy-02').check();
      await page.locator('textarea[name=command]').fill('uptime');
      await page.getByTestId('exec-run').click();
      await page.getByTestId('exec-error').getByText('所选服务器均不在线').waitFor();
      p.forgetRefusals(400);

      await page.goto(`${s.url}/terminal?uuid=${offline.uuid}`);
      await page.locator('[data-testid=terminal-status][data-status=offline]').getByText('服务器离线').waitFor();
      await page.getByTestId('terminal-reconnect').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the terminal page is ${overflow}px wider than the phone`);
      p.assertClean();
    } finally {
      await p.close();
    }
    // without a session the terminal asks for a login instead of opening a socket
    const guest = await openPage(browser, s.url, { locale: 'zh-CN' });
    try {
      await guest.page.goto(`${s.url}/terminal?uuid=${online.uuid}`);
      await guest.page.getByTestId('terminal-notice').getByText('请先以管理员身份登录').waitFor();
      assert.equal(await guest.page.locator('.xterm').count(), 0);
      guest.assertClean();
    } finally {
      await guest.close();
    }
  });

  it('the terminal takes the admin’s xterm.js settings (font, padding, theme)', async () => {
    const saved = await http(s.url, '/api/admin/settings/xtermjs', {
      method: 'POST',
      cookie,
      body: { terminalOptions: { fontFamily: 'monospace', fontSize: 21, theme: { background: '#102030', foreground: '#fafafa' } }, terminalPadding: 5 },
    });
    assert.equal(saved.status, 200, saved.text);
    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    try {
      const { page } = p;
      await page.goto(`${s.url}/terminal?uuid=${offline.uuid}`);
      await page.locator('[data-testid=terminal-status][data-status=offline]').waitFor();
      await page.waitForFunction(() => {
        const rows = document.querySelector<HTMLElement>('.terminal-box .xterm-rows');
        return rows !== null && getComputedStyle(rows).fontSize === '21px';
      });
      const look = await page.evaluate(() => ({
        padding: getComputedStyle(document.querySelector('.terminal-box .xterm')!).padding,
        box: getComputedStyle(document.querySelector('.terminal-box')!).backgroundColor,
      }));
      assert.deepEqual(look, { padding: '5px', box: 'rgb(16, 32, 48)' });
      p.assertClean();
    } finally {
      await p.close();
      await http(s.url, '/api/admin/settings/xtermjs', { method: 'POST', cookie, body: {} });
    }
  });
});
