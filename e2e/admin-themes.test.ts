import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ZipFile } from 'yazl';
import { eventually } from '../packages/server/test/helpers/agent-common.ts';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { addReportingNode, report, startWebServer, type FakeNode } from './helpers/web-server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

// The Themes page in both languages against a real server: a theme zip built here is uploaded
// through the page (chunked, with its progress), listed with its preview, made active and seen
// drawing live data on `/`; its settings form (every managed item type) is saved and read back
// through /api/public; then it is deleted after a confirmation.

const texts = {
  en: { menu: 'Themes', heading: 'Themes', name: 'Live board', installed: 'Theme installed.', saved: 'Settings saved.', active: 'Active', settings: 'Settings' },
  'zh-CN': { menu: '主题管理', heading: '主题管理', name: '实时看板', installed: '主题已安装。', saved: '设置已保存。', active: '已启用', settings: '设置' },
} as const;

/** A zip built in memory with yazl. */
async function zipOf(entries: { name: string; data: Buffer | string }[]): Promise<Buffer> {
  const zip = new ZipFile();
  for (const e of entries) zip.addBuffer(Buffer.from(e.data), e.name);
  zip.end();
  const parts: Buffer[] = [];
  for await (const c of zip.outputStream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** A 1×1 PNG, so the card's preview has something to decode. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/**
 * The theme's page: names from /api/nodes, figures from the /api/clients socket asked every
 * 300 ms, and the saved headline from /api/public — a theme's whole view of the server.
 */
const indexHtml = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Komari Monitor</title></head>
<body><h1 id="headline">live board</h1><ul id="nodes"></ul>
<script>
fetch('/api/public').then(function (r) { return r.json(); }).then(function (p) {
  var h = p.data && p.data.theme_settings && p.data.theme_settings.headline;
  if (h) document.getElementById('headline').textContent = h;
});
fetch('/api/nodes').then(function (r) { return r.json(); }).then(function (n) {
  var names = {};
  (n.data || []).forEach(function (x) { names[x.uuid] = x.name; });
  var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/clients');
  ws.onopen = function () { ws.send('get'); setInterval(function () { ws.send('get'); }, 300); };
  ws.onmessage = function (e) {
    var f = JSON.parse(e.data), d = (f.data && f.data.data) || {}, ul = document.getElementById('nodes');
    ul.textContent = '';
    Object.keys(d).forEach(function (u) {
      var li = document.createElement('li');
      li.setAttribute('data-uuid', u);
      li.textContent = (names[u] || u) + ' cpu ' + d[u].cpu.usage;
      ul.appendChild(li);
    });
  };
});
</script></body></html>`;

function manifest(short: string, name: Record<string, string>, url: string) {
  return {
    name, // zh-CN finds `zh` by its base language
    short,
    description: { en: 'Nodes as they report', 'zh-CN': '节点实时状态' },
    version: '1.2.3',
    author: 'e2e',
    url,
    preview: 'preview.png',
    unknown_field: 'dropped by the server',
    configuration: {
      type: 'managed',
      name: { en: 'Board settings', 'zh-CN': '看板设置' },
      data: [
        { type: 'title', name: { en: 'Look', 'zh-CN': '外观' } },
        // the page must render this as inert markup: the handler never runs
        { type: 'textbox', name: '<b data-x="1">Bold note</b><img src="x" onerror="window.__themePwned = 1"><script>window.__themePwned = 2</script>' },
        { key: 'headline', name: 'Headline', type: 'string', default: 'Hello' },
        { key: 'refresh_ms', name: 'Refresh (ms)', type: 'number', default: 2000 },
        { key: 'accent', name: 'Accent', type: 'select', options: 'blue, green,red' },
        { key: 'show_cpu', name: 'Show CPU', type: 'switch', default: false },
        { key: 'footer', name: 'Footer', type: 'richtext' },
        { key: 'pinned', name: 'Pinned nodes', type: 'nodes', default: '[]' },
        { key: 'probes', name: 'Probes', type: 'pingtasks' },
      ],
    },
  };
}

/** A theme package; the 6 MiB asset that does not compress makes the upload take two chunks. */
const themeZip = (short: string, name: Record<string, string> = { en: 'Live board', zh: '实时看板' }, url = '') =>
  zipOf([
    { name: 'komari-theme.json', data: JSON.stringify(manifest(short, name, url)) },
    { name: 'dist/index.html', data: indexHtml },
    { name: 'dist/assets/noise.bin', data: randomBytes(6 * 2 ** 20) },
    { name: 'preview.png', data: png },
  ]);

/** Records every percentage the upload's progress bar shows and the phases it passes. */
async function watchProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: { phases: string[]; percents: number[] } = { phases: [], percents: [] };
    (window as any).themeUpload = seen;
    const note = () => {
      const block = document.querySelector('[data-testid=themes-progress]');
      const phase = block?.getAttribute('data-phase');
      if (phase && seen.phases.at(-1) !== phase) seen.phases.push(phase);
      const bar = block?.querySelector('progress');
      if (bar && bar.max > 0) {
        const pct = Math.floor((bar.value / bar.max) * 100);
        if (seen.percents.at(-1) !== pct) seen.percents.push(pct);
      }
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

describe('admin Themes page in a real browser', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let nodes: FakeNode[];
  let taskId: number;
  let packageSite: Server;
  let sitePort: number;
  let importedZip: Buffer;

  before(async () => {
    // the stand-in for a theme's download site: the server may reach this loopback port only
    packageSite = createServer((req, res) => {
      const body = req.url === '/imported.zip' ? importedZip : undefined;
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/zip' }).end(body);
    });
    await new Promise<void>((resolve) => packageSite.listen(0, '127.0.0.1', resolve));
    sitePort = (packageSite.address() as AddressInfo).port;
    // its manifest names where it comes from, which is where an update downloads it again
    importedZip = await themeZip('imported_theme', { en: 'Imported', zh: '导入的主题' }, `http://127.0.0.1:${sitePort}/imported.zip`);
    ({ s, cookie } = await startWebServer({}, { outboundForTests: { loopbackPorts: [sitePort] } }));
    browser = await launchBrowser();
    nodes = [await addReportingNode(s, cookie, 'theme-alpha', 11), await addReportingNode(s, cookie, 'theme-beta', 22)];
    const task = await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name: 'gateway', type: 'tcp', target: '127.0.0.1:1', clients: [nodes[0]!.uuid], interval: 60 } });
    assert.equal(task.status, 200, task.text);
    taskId = task.json.data.task_id;
    assert.equal(typeof taskId, 'number');
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
    await new Promise((resolve) => packageSite?.close(resolve));
  });

  const publicInfo = async () => {
    const res = await http(s.url, '/api/public');
    assert.equal(res.status, 200, res.text);
    return res.json.data;
  };

  for (const locale of ['en', 'zh-CN'] as const) {
    const w = texts[locale];
    const short = `live_${locale.replace('-', '_')}`;

    it(`${locale}: upload → listed with its preview → active → live data on / → settings saved and public → deleted`, async () => {
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        // reachable from the admin menu
        await page.goto(`${s.url}/admin/nodes`);
        await page.getByRole('navigation').getByRole('link', { name: w.menu, exact: true }).click();
        await page.getByRole('heading', { name: w.heading, exact: true }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/admin/themes');

        // the default theme, when listed, can never be deleted
        await page.getByTestId('themes-list').waitFor();
        if ((await page.getByTestId('theme-default').count()) > 0) assert.equal(await page.getByTestId('theme-default-delete').count(), 0);

        // upload: two chunks, the bar climbs to 100 %, the merge's manifest is shown
        await watchProgress(page);
        await page.getByTestId('themes-file').setInputFiles({ name: `${short}.zip`, mimeType: 'application/zip', buffer: await themeZip(short) });
        await page.getByTestId('themes-upload-start').click();
        const progress = page.getByTestId('themes-progress');
        await progress.getByText(w.installed).waitFor({ timeout: 30_000 });
        const seen = await page.evaluate(() => (window as any).themeUpload);
        assert.ok(seen.phases.includes('uploading') && seen.phases.at(-1) === 'done', seen.phases.join(' → '));
        assert.equal(seen.percents.at(-1), 100, seen.percents.join(','));
        assert.ok(seen.percents.some((x: number) => x > 0 && x < 100), `an intermediate percentage: ${seen.percents.join(',')}`);
        const shown = page.getByTestId('themes-upload-manifest');
        await shown.getByText(short, { exact: true }).waitFor();
        await shown.getByText('1.2.3').waitFor();
        await shown.getByText(w.name).waitFor();

        // listed, in the admin's language, with a preview that decodes
        const card = page.getByTestId(`theme-${short}`);
        await card.getByRole('heading', { name: w.name }).waitFor();
        await card.getByText(locale === 'en' ? 'Nodes as they report' : '节点实时状态').waitFor();
        const img = card.locator('img.theme-preview');
        assert.equal(await img.getAttribute('src'), `/themes/${short}/preview.png`);
        await eventually(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth === 1), 10_000);

        // set active
        await page.getByTestId(`theme-${short}-activate`).click();
        await card.getByText(w.active, { exact: true }).waitFor();
        assert.equal(await card.getAttribute('data-active'), 'true');
        assert.equal((await publicInfo()).theme, short);

        // `/` is the theme now, drawing what the agents report, live
        const visitor = await openPage(browser, s.url, { locale });
        try {
          await visitor.page.goto(`${s.url}/`);
          const alpha = visitor.page.locator(`li[data-uuid="${nodes[0]!.uuid}"]`);
          await alpha.getByText('theme-alpha cpu ').waitFor();
          const cpu = locale === 'en' ? 61 : 62;
          await report(s, nodes[0]!, cpu);
          await alpha.getByText(`theme-alpha cpu ${cpu}`, { exact: true }).waitFor();
          await visitor.page.locator('#headline').getByText('Hello').waitFor(); // the string item's default, merged by /api/public
          visitor.assertClean();
        } finally {
          await visitor.close();
        }

        // the settings form, prefilled from the defaults
        await page.getByTestId(`theme-${short}-settings`).click();
        const form = card.getByTestId('theme-settings-form');
        await form.waitFor();
        assert.equal(await form.locator('input[name=headline]').inputValue(), 'Hello');
        assert.equal(await form.locator('input[name=refresh_ms]').inputValue(), '2000');
        assert.equal(await form.locator('select[name=accent]').inputValue(), 'blue');
        assert.equal(await form.locator('input[name=show_cpu]').isChecked(), false);
        // the textbox's HTML is shown as markup, never run
        await form.locator('.theme-settings-textbox b').getByText('Bold note').waitFor();
        assert.equal(await form.locator('.theme-settings-textbox img, .theme-settings-textbox script, [onerror]').count(), 0);
        assert.equal(await page.evaluate(() => (window as any).__themePwned), undefined);

        await form.locator('input[name=headline]').fill(`Board ${locale}`);
        await form.locator('input[name=refresh_ms]').fill('1500');
        await form.locator('select[name=accent]').selectOption('green');
        await form.locator('input[name=show_cpu]').check();
        await form.locator('textarea[name=footer]').fill('<p>footer</p>');
        await form.getByTestId('theme-setting-pinned').getByLabel('theme-beta').check();
        await form.getByTestId('theme-setting-probes').getByLabel('gateway').check();
        await page.getByTestId('theme-settings-save').click();
        await card.getByTestId('theme-settings-status').getByText(w.saved).waitFor();

        // public: the values, the nodes and ping tasks resolved to arrays
        const pub = await publicInfo();
        assert.deepEqual(pub.theme_settings, {
          headline: `Board ${locale}`,
          refresh_ms: 1500,
          accent: 'green',
          show_cpu: true,
          footer: '<p>footer</p>',
          pinned: [nodes[1]!.uuid],
          probes: [taskId],
        });

        // a fresh page shows the saved values
        await page.reload();
        await page.getByTestId(`theme-${short}-settings`).click();
        const again = page.getByTestId(`theme-${short}`).getByTestId('theme-settings-form');
        await again.waitFor();
        assert.equal(await again.locator('input[name=headline]').inputValue(), `Board ${locale}`);
        assert.equal(await again.getByTestId('theme-setting-pinned').getByLabel('theme-beta').isChecked(), true);
        assert.equal(await again.getByTestId('theme-setting-pinned').getByLabel('theme-alpha').isChecked(), false);
        assert.equal(await again.getByTestId('theme-setting-probes').getByLabel('gateway').isChecked(), true);

        // delete, after a confirmation
        await page.getByTestId(`theme-${short}-delete`).click();
        await page.getByTestId('theme-delete').waitFor();
        await page.getByTestId('theme-delete-confirm').click();
        await page.getByTestId(`theme-${short}`).waitFor({ state: 'detached' });
        const list = await http(s.url, '/api/admin/theme/list', { cookie });
        assert.equal(list.status, 200, list.text);
        assert.ok(!list.json.data.some((m: any) => m.short === short));
        assert.equal((await http(s.url, `/themes/${short}/preview.png`)).status, 404);

        // back to the default theme for the next language
        const reset = await http(s.url, '/api/admin/theme/set?theme=default', { cookie });
        assert.equal(reset.status, 200, reset.text);
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }

  it('en: a package the server refuses shows its message as sent, and nothing is listed', async () => {
    const p = await openPage(browser, s.url, { locale: 'en', sessionCookie: cookie });
    try {
      const { page } = p;
      await page.goto(`${s.url}/admin/themes`);
      await page.getByTestId('themes-list').waitFor();
      const before = (await http(s.url, '/api/admin/theme/list', { cookie })).json.data.length;
      const bad = await zipOf([{ name: 'dist/index.html', data: indexHtml }]);
      await page.getByTestId('themes-file').setInputFiles({ name: 'bad.zip', mimeType: 'application/zip', buffer: bad });
      await page.getByTestId('themes-upload-start').click();
      await page.getByTestId('themes-upload-error').getByText('主题配置文件 komari-theme.json 不存在').waitFor();
      assert.equal((await http(s.url, '/api/admin/theme/list', { cookie })).json.data.length, before);
      p.forgetRefusals(400);
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`${locale}: a URL import is looked up first, says when it replaces a theme, and installs only after a confirmation`, async () => {
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      const names = async () => ((await http(s.url, '/api/admin/theme/list', { cookie })).json.data as any[]).map((m) => m.short);
      try {
        const { page } = p;
        await page.goto(`${s.url}/admin/themes`);
        await page.getByTestId('themes-list').waitFor();
        const box = page.getByTestId('themes-import');
        const url = `http://127.0.0.1:${sitePort}/imported.zip`;
        const lookUp = async () => {
          await box.locator('input[name=url]').fill(url);
          await page.getByTestId('themes-import-preview').click();
          await box.getByTestId('themes-import-answer').getByText('imported_theme', { exact: true }).waitFor();
        };

        // the lookup installs nothing; the manifest is shown in the admin's language
        await lookUp();
        await box.getByText(locale === 'en' ? 'Imported' : '导入的主题', { exact: true }).waitFor();
        assert.equal(await box.getByTestId('themes-import-exists').count(), 0);
        assert.ok(!(await names()).includes('imported_theme'));
        await page.getByTestId('themes-import-confirm').click();
        await box.getByTestId('themes-import-status').getByText('主题导入成功', { exact: true }).waitFor();
        await page.getByTestId('theme-imported_theme').waitFor();
        assert.ok((await names()).includes('imported_theme'));

        // a second time it says it replaces the installed one, and the server's answer says so too
        await lookUp();
        await box.getByTestId('themes-import-exists').waitFor();
        await page.getByTestId('themes-import-confirm').click();
        await box.getByTestId('themes-import-status').getByText('主题导入成功（已覆盖同名主题）', { exact: true }).waitFor();

        // update: downloaded again from the manifest's url
        await page.getByTestId('theme-imported_theme-update').click();
        await page.getByTestId('theme-imported_theme-status').getByText('主题更新成功', { exact: true }).waitFor();
        assert.equal(await page.getByTestId('theme-default-update').count(), 0, 'the built-in theme is never updated');

        // a download the server refuses: its message, as sent, and nothing to confirm
        await box.locator('input[name=url]').fill(`http://127.0.0.1:${sitePort}/missing.zip`);
        await page.getByTestId('themes-import-preview').click();
        await box.getByTestId('themes-import-status').getByText('下载主题失败').waitFor();
        assert.equal(await page.getByTestId('themes-import-confirm').count(), 0);

        // clean up through the page: delete, confirmed
        await page.getByTestId('theme-imported_theme-delete').click();
        await page.getByTestId('theme-delete-confirm').click();
        await page.getByTestId('theme-imported_theme').waitFor({ state: 'detached' });
        assert.ok(!(await names()).includes('imported_theme'));
        p.forgetRefusals(400);
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }
  it('en: a raw configuration runs in a sandboxed frame that cannot reach the admin page; a redirect is an in-site link', async () => {
    // the raw page tries to read the admin's document and cookies: the opaque origin must stop it
    const raw = `<p id="ok">raw settings</p><script>
      var out = 'isolated';
      try { out = parent.document.title; } catch (e) { out = 'isolated'; }
      try { if (document.cookie) out = 'cookie'; } catch (e) {}
      document.getElementById('ok').textContent = 'raw settings ' + out;
    </script>`;
    const upload = async (short: string, configuration: unknown) => {
      const zip = await zipOf([{ name: 'komari-theme.json', data: JSON.stringify({ name: short, short, configuration }) }]);
      const init = await http(s.url, '/api/admin/upload/init', { method: 'POST', cookie, body: { purpose: 'theme', size: zip.length, filename: `${short}.zip` } });
      assert.equal(init.status, 200, init.text);
      const form = new FormData();
      form.append('upload_id', init.json.data.upload_id);
      form.append('chunk_index', '0');
      form.append('chunk_data', new Blob([new Uint8Array(zip)]), 'chunk');
      const chunk = await fetch(`${s.url}/api/admin/upload/chunk`, { method: 'POST', headers: { cookie: `session_token=${cookie}` }, body: form });
      assert.equal(chunk.status, 200, await chunk.text());
      const merge = await http(s.url, '/api/admin/upload/merge', { method: 'POST', cookie, body: { upload_id: init.json.data.upload_id } });
      assert.equal(merge.status, 200, merge.text);
    };
    await upload('raw_theme', { type: 'raw', data: raw });
    await upload('redirect_theme', { type: 'redirect', data: '../settings/site?tab=1' });
    const p = await openPage(browser, s.url, { locale: 'en', sessionCookie: cookie });
    try {
      const { page } = p;
      await page.goto(`${s.url}/admin/themes`);
      await page.getByTestId('theme-raw_theme-settings').click();
      const frame = page.getByTestId('theme-raw_theme').getByTestId('theme-raw-frame');
      const sandbox = (await frame.getAttribute('sandbox')) ?? '';
      assert.ok(!sandbox.includes('allow-same-origin'), sandbox);
      await page.frameLocator('[data-testid=theme-raw-frame]').getByText('raw settings isolated', { exact: true }).waitFor();

      await page.getByTestId('theme-redirect_theme-settings').click();
      const link = page.getByTestId('theme-redirect_theme').getByTestId('theme-redirect-link');
      assert.equal(await link.getAttribute('href'), '/settings/site?tab=1');
      for (const short of ['raw_theme', 'redirect_theme']) assert.equal((await http(s.url, '/api/admin/theme/delete', { method: 'POST', cookie, body: { short } })).status, 200);
      p.assertClean();
    } finally {
      await p.close();
    }
  });
});
