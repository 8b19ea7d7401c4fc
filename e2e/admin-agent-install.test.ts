import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { addNode, eventually, feedOf } from '../packages/server/test/helpers/agent-common.ts';
import { filesUnder, hostPath, runLine, startLine, stopGroup, thisNodeBin } from '../packages/server/test/helpers/install-line.ts';
import type { TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { startWebServer } from './helpers/web-server.ts';

const words = {
  en: { install: 'Install', official: 'Komari agent (official installer)', curl: 'komari-ts agent (curl)', wget: 'komari-ts agent (wget)', online: 'Online', hint: /Run the komari-ts line as root on any Linux host/ },
  'zh-CN': { install: '安装', official: 'Komari Agent（官方安装脚本）', curl: 'komari-ts Agent（curl）', wget: 'komari-ts Agent（wget）', online: '在线', hint: /在任何能访问本服务器的 Linux 主机上以 root 身份运行/ },
} as const;

describe('admin → install dialog shows the one-line agent install (issue 17, item 1)', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  const work = mkdtempSync(join(tmpdir(), 'komari-e2e-install-'));
  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  for (const [locale, w] of Object.entries(words) as [keyof typeof words, (typeof words)[keyof typeof words]][]) {
    it(`${locale}: the curl and wget lines from this server, beside the official line; the curl line as shown brings the node online`, async () => {
      const node = await addNode(s, cookie, `fresh-${locale}`);
      const p = await openPage(browser, s.url, { sessionCookie: cookie, locale });
      try {
        await p.page.goto(s.url + '/admin/nodes');
        await p.page.locator(`tr[data-uuid="${node.uuid}"]`).getByRole('button', { name: w.install }).click();
        const dialog = p.page.getByTestId('node-install');
        await dialog.getByText(w.curl, { exact: true }).waitFor();
        await dialog.getByText(w.wget, { exact: true }).waitFor();
        await dialog.getByText(w.official, { exact: true }).waitFor();
        await dialog.getByText(w.hint).waitFor();
        const curl = (await dialog.getByTestId('install-ts').locator('code').textContent())!;
        const wget = (await dialog.getByTestId('install-tsWget').locator('code').textContent())!;
        const official = (await dialog.getByTestId('install-official').locator('code').textContent())!;
        assert.equal(curl, `curl -fsSL ${s.url}/api/agent/install.sh | sh -s -- -e ${s.url} -t ${node.token}`);
        assert.equal(wget, `wget -qO- ${s.url}/api/agent/install.sh | sh -s -- -e ${s.url} -t ${node.token}`);
        assert.ok(official.endsWith(` -e ${s.url} -t ${node.token}`), official);
        p.assertClean();

        // The line exactly as shown, into a temporary root, in the foreground (no service here).
        const root = join(work, locale);
        const { child: agent } = startLine(`${curl} --root ${root} --foreground -i 1`, { PATH: hostPath(thisNodeBin) });
        try {
          await eventually(async () => (await feedOf(s.url)).online.includes(node.uuid), 30_000);
          await p.page.locator(`tr[data-uuid="${node.uuid}"]`).getByTestId('node-state').getByText(w.online).waitFor({ timeout: 15_000 });
        } finally {
          await stopGroup(agent);
        }
        const gone = await runLine(`${curl.split(' | ')[0]} | sh -s -- --uninstall --root ${root}`, { PATH: hostPath(thisNodeBin) });
        assert.equal(gone.code, 0, gone.stderr);
        assert.deepEqual(filesUnder(root), []);
      } finally {
        await p.close();
      }
    });
  }
});
