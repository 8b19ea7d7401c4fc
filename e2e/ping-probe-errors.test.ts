import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { spawnAgent, type AgentProcess } from '../packages/agent/test/helpers/agent-process.ts';
import { addNode, eventually } from '../packages/server/test/helpers/agent-common.ts';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { startWebServer } from './helpers/web-server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const agentMain = fileURLToPath(new URL('../packages/agent/src/main.ts', import.meta.url));

const texts = {
  en: {
    badge: 'No ping program on the server: no-ping-host',
    reason: 'No ping program on the server',
    legend: 'Cloudflare ICMP (⚠ No ping program on the server)',
    hint: 'Install ping on that server',
  },
  'zh-CN': {
    badge: '服务器上没有 ping 程序：no-ping-host',
    reason: '服务器上没有 ping 程序',
    legend: 'Cloudflare ICMP（⚠ 服务器上没有 ping 程序）',
    hint: '请在该服务器上安装 ping',
  },
} as const;

/** The legend labels of one chart on the node page. */
const legendOf = (page: Page, chart: string) => page.locator(`[data-chart="${chart}"] .u-legend .u-series .u-label`).allTextContents();

/**
 * Our agent, run as its own process on a host with no `ping` (PATH is an empty folder), gets an
 * icmp task every second: the admin's task list and the node page say why it shows 100 % loss.
 */
describe('probe errors in a real browser: our agent without `ping`', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let agent: AgentProcess;
  let emptyPath: string;
  const node = { uuid: '', token: '' };

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    emptyPath = mkdtempSync(join(tmpdir(), 'komari-no-ping-'));
    Object.assign(node, await addNode(s, cookie, 'no-ping-host'));
    agent = spawnAgent([agentMain, '-e', s.url, '-t', node.token, '-i', '1'], { env: { PATH: emptyPath } });
    await eventually(() => s.ctx.live.socketOf(node.uuid) !== undefined, 20_000);
    const add = async (body: Record<string, unknown>) => {
      const res = await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { interval: 1, clients: [node.uuid], ...body } });
      assert.equal(res.status, 200, res.text);
      return res.json.data.task_id as number;
    };
    const icmp = await add({ name: 'Cloudflare ICMP', type: 'icmp', target: '127.0.0.1' });
    // a probe that runs, so the latency chart has a line and a legend
    const tcp = await add({ name: 'Local TCP', type: 'tcp', target: `127.0.0.1:${new URL(s.url).port}` });
    await eventually(async () => {
      const tasks = (await http(s.url, '/api/admin/ping/', { cookie })).json.data as any[];
      return tasks.some((t) => t.id === icmp && t.probe_errors?.[0]?.code === 'no_ping_binary') && s.ctx.ping.recent.get(tcp, node.uuid)?.latencyMs !== undefined;
    }, 20_000);
  });
  after(async () => {
    await agent?.stop();
    await browser?.close();
    await s?.dispose();
    if (emptyPath) rmSync(emptyPath, { recursive: true, force: true });
  });

  for (const locale of ['en', 'zh-CN'] as const) {
    const w = texts[locale];

    it(`${locale}: the admin's ping-task list shows a warning with the reason and the server`, async () => {
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        await page.goto(`${s.url}/admin/ping`);
        const row = page.getByTestId('ping-table').locator('tr', { hasText: 'Cloudflare ICMP' });
        const badge = row.getByTestId('probe-error');
        await badge.filter({ hasText: w.badge }).waitFor();
        assert.equal(await badge.getAttribute('data-code'), 'no_ping_binary');
        // the tooltip: what to do, then the agent's own detail (admins only)
        const title = (await badge.getAttribute('title')) ?? '';
        assert.ok(title.startsWith(w.hint), title);
        assert.match(title, /no-ping-host: no `ping` program on this host/);
        assert.equal(await page.getByTestId('ping-table').locator('tr', { hasText: 'Local TCP' }).getByTestId('probe-error').count(), 0);
        p.assertClean();
      } finally {
        await p.close();
      }
    });

    it(`${locale}: the node page names the reason in the task table and the chart legend; a guest gets no detail`, async () => {
      for (const admin of [false, true]) {
        const p = await openPage(browser, s.url, { locale, ...(admin ? { sessionCookie: cookie } : {}) });
        try {
          const { page } = p;
          await page.goto(`${s.url}/instance/${node.uuid}`);
          const note = page.locator('.ping-table tr', { hasText: 'Cloudflare ICMP' }).getByTestId('probe-error');
          await note.filter({ hasText: w.reason }).waitFor();
          assert.equal(await note.getAttribute('data-code'), 'no_ping_binary');
          const title = (await note.getAttribute('title')) ?? '';
          assert.ok(title.startsWith(w.hint), title);
          if (admin) assert.match(title, /no `ping` program on this host/);
          else assert.deepEqual([title.split('\n').length, /program on this host/.test(title)], [1, false], `a guest sees the hint alone: ${title}`);
          assert.equal(await page.locator('.ping-table tr', { hasText: 'Local TCP' }).getByTestId('probe-error').count(), 0);
          await page.locator('[data-chart="loss"] .u-legend').waitFor();
          for (const chart of ['latency', 'loss']) {
            const labels = await legendOf(page, chart);
            assert.ok(labels.includes(w.legend), `${chart}: ${JSON.stringify(labels)}`);
            assert.ok(labels.includes('Local TCP'), `${chart}: ${JSON.stringify(labels)}`);
          }
          p.assertClean();
        } finally {
          await p.close();
        }
      }
    });
  }
});
