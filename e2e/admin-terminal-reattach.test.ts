import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { generateTotpSecret, totpCode } from '../packages/server/src/auth/totp.ts';
import { addNode, eventually, sampleReport } from '../packages/server/test/helpers/agent-common.ts';
import type { TestServer } from '../packages/server/test/helpers/server.ts';
import { agentTerminal, type TerminalPeer } from '../packages/server/test/helpers/terminal.ts';
import { V2SocketAgent } from '../packages/server/test/helpers/v2-agent.ts';
import { frameWhere, typedInto } from './helpers/agent-frames.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { startWebServer } from './helpers/web-server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Every WebSocket the page opens, kept on `window.__sockets`, so a test can cut one as a network
 * would (the page's own code is untouched; a close code other than 1000 is what it sees then).
 */
const recordSockets = () => {
  const w = window as any;
  w.__sockets = [];
  const Native = WebSocket;
  w.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      w.__sockets.push(this);
    }
  };
};

const dropTerminalSocket = (page: Page) =>
  page.evaluate(() => {
    const sockets = (window as any).__sockets as WebSocket[];
    sockets.filter((ws) => ws.url.includes('/terminal') && ws.readyState === WebSocket.OPEN).forEach((ws) => ws.close(4000, 'e2e: network cut'));
  });

const terminalText = (page: Page) => page.locator('.xterm-rows').innerText();

describe('the web terminal re-attaches a dropped socket and ends its session on close (Komari 1.5)', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let agent: V2SocketAgent;
  let keepAlive: ReturnType<typeof setInterval>;
  const node = { uuid: '', token: '' };
  const storageKey = () => `komari-terminal:${node.uuid}`;

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    Object.assign(node, await addNode(s, cookie, 'web-reattach'));
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

  /** Opens the terminal page on the node, lets the agent dial in and print a prompt. */
  async function openSession(page: Page, banner: string): Promise<{ id: string; peer: TerminalPeer }> {
    await page.goto(`${s.url}/terminal?uuid=${node.uuid}`);
    const id = (await frameWhere(agent, (f) => f.method === 'agent.terminal.request')).params.request_id as string;
    await page.locator('[data-testid=terminal-status][data-status=waiting]').waitFor();
    const peer = await agentTerminal(s, node.token, id);
    peer.send(Buffer.from(`${banner}\r\n$ `), true);
    await page.locator('[data-testid=terminal-status][data-status=connected]').waitFor();
    await page.locator('.xterm-rows').getByText(banner).waitFor();
    return { id, peer };
  }

  it('hides the request id, re-attaches a cut socket with the output made meanwhile, and ends the shell on "End session"', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    try {
      const { page } = p;
      await page.addInitScript(recordSockets);
      const { id, peer } = await openSession(page, 'Welcome to web-reattach');
      // the server's first frame is the session id: kept, never shown
      const shown = await terminalText(page);
      assert.ok(!shown.includes('request_id') && !shown.includes(id), shown);
      assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), storageKey()), id);

      await dropTerminalSocket(page);
      await page.locator('.xterm-rows').getByText('Connection lost. Reconnecting… (1/5)').waitFor();
      await eventually(() => s.ctx.terminal.suspendedCount === 1, 5000);
      // produced while no browser is attached: kept by the server, replayed on re-attach
      peer.send(Buffer.from('made while you were away\r\n$ '), true);
      await page.locator('.xterm-rows').getByText('made while you were away').waitFor();
      await page.locator('.xterm-rows').getByText('Reconnected.').waitFor();
      await page.locator('[data-testid=terminal-status][data-status=connected]').waitFor();
      assert.equal(s.ctx.terminal.size, 1, 'the same session, not a new one');
      assert.equal(s.ctx.terminal.suspendedCount, 0);
      assert.ok(!(await terminalText(page)).includes('request_id'));

      // the re-attached socket carries keystrokes to the same shell
      await page.locator('.xterm-helper-textarea').focus();
      await page.keyboard.type('uptime');
      await page.keyboard.press('Enter');
      assert.match(await typedInto(peer, 'uptime\r'), /uptime\r$/);

      await page.getByTestId('terminal-end').click();
      const told = await peer.next(5000);
      assert.deepEqual({ binary: told.binary, text: told.text }, { binary: false, text: '{"type":"close"}' });
      await peer.closed;
      await eventually(() => s.ctx.terminal.size === 0 && s.ctx.terminal.suspendedCount === 0, 5000);
      await page.locator('[data-testid=terminal-status][data-status=closed]').getByText('closed by you').waitFor();
      assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), storageKey()), null);
      await page.getByTestId('terminal-reconnect').getByText('Reconnect').waitFor();
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('in Chinese with 2FA on: a cut socket and a reload re-attach without a code; an expired session offers a new one, which asks for it', async () => {
    const account = (await s.ctx.store.accounts.first())!;
    const secret = generateTotpSecret();
    await s.ctx.store.accounts.update(account.uuid, { twoFactor: secret }, Date.now());
    const p = await openPage(browser, s.url, { sessionCookie: cookie, locale: 'zh-CN' });
    try {
      const { page } = p;
      await page.addInitScript(recordSockets);
      await page.goto(`${s.url}/terminal?uuid=${node.uuid}`);
      await page.locator('input[name="2fa_code"]').fill(totpCode(secret, Date.now()));
      await page.getByRole('button', { name: '连接' }).click();
      const id = (await frameWhere(agent, (f) => f.method === 'agent.terminal.request')).params.request_id as string;
      const peer = await agentTerminal(s, node.token, id);
      peer.send(Buffer.from('欢迎 web-reattach\r\n$ '), true);
      await page.locator('.xterm-rows').getByText('欢迎 web-reattach').waitFor();

      await dropTerminalSocket(page);
      await page.locator('.xterm-rows').getByText('连接已中断，正在重新连接…（1/5）').waitFor();
      await page.locator('[data-testid=terminal-status]').getByText('正在重新连接…').waitFor();
      await page.locator('.xterm-rows').getByText('已重新连接。').waitFor();
      await page.locator('[data-testid=terminal-status][data-status=connected]').waitFor();

      // a reload of the tab: the kept id re-attaches, no code prompt, the same session
      await page.reload();
      await page.locator('[data-testid=terminal-status][data-status=connected]').waitFor();
      assert.equal(await page.locator('input[name="2fa_code"]').count(), 0);
      peer.send(Buffer.from('after the reload\r\n$ '), true);
      await page.locator('.xterm-rows').getByText('after the reload').waitFor();
      assert.equal(s.ctx.terminal.size, 1);

      // the shell ends while the page is away: the reload is told the session expired
      await page.goto('about:blank');
      await eventually(() => s.ctx.terminal.suspendedCount === 1, 5000);
      peer.ws.close();
      await eventually(() => s.ctx.terminal.size === 0, 5000);
      await page.goto(`${s.url}/terminal?uuid=${node.uuid}`);
      await page.locator('[data-testid=terminal-status][data-status=closed]').getByText('终端会话已过期').waitFor();
      await page.getByTestId('terminal-reconnect').getByText('打开新会话').click();
      // a new session needs the code again
      await page.locator('input[name="2fa_code"]').waitFor();
      assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), storageKey()), null);
      p.assertClean();
    } finally {
      await p.close();
      await s.ctx.store.accounts.update(account.uuid, { twoFactor: '' }, Date.now());
    }
  });

  it('a kept id the server does not know (another node’s, or forged) is refused with 404 and offers a new session', async () => {
    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    try {
      const { page } = p;
      await page.goto(`${s.url}/`);
      await page.evaluate((k) => sessionStorage.setItem(k, 'Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp'), storageKey());
      await page.goto(`${s.url}/terminal?uuid=${node.uuid}`);
      await page.locator('[data-testid=terminal-status][data-status=closed]').getByText('the session could not be resumed').waitFor();
      assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), storageKey()), null);
      // no 2FA on this account: a new session opens at once
      await page.getByTestId('terminal-reconnect').getByText('Open a new session').click();
      const id = (await frameWhere(agent, (f) => f.method === 'agent.terminal.request')).params.request_id as string;
      const peer = await agentTerminal(s, node.token, id);
      peer.send(Buffer.from('fresh shell\r\n$ '), true);
      await page.locator('.xterm-rows').getByText('fresh shell').waitFor();
      // the refused upgrade and the probe's 404 are logged by Chromium; nothing else may be
      const left = p.problems.filter((m) => !/404|WebSocket connection to/.test(m));
      assert.deepEqual(left, []);
      assert.ok(p.problems.length > 0);
      await page.getByTestId('terminal-end').click();
      await peer.closed;
      await eventually(() => s.ctx.terminal.size === 0, 5000);
    } finally {
      await p.close();
    }
  });
});
