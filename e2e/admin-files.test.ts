import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { spawnAgent, type AgentProcess } from '../packages/agent/test/helpers/agent-process.ts';
import { addNode, eventually } from '../packages/server/test/helpers/agent-common.ts';
import type { TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { startWebServer } from './helpers/web-server.ts';

// The file manager end to end in both languages: a real server, our real agent serving a temp
// folder (--file-root), and chromium. Every change made in the page is checked on disk, and the
// download's bytes against the file's.

const MiB = 1024 * 1024;
const agentMain = fileURLToPath(new URL('../packages/agent/src/main.ts', import.meta.url));

const texts = {
  en: {
    heading: 'Files on web-01', files: 'Files', name: 'Name', size: 'Size', upload: 'Upload a file', mkdir: 'New folder', deleteTitle: 'Delete',
    unavailable: /not connected|does not support/,
  },
  'zh-CN': {
    heading: 'web-01 的文件', files: '文件', name: '名称', size: '大小', upload: '上传文件', mkdir: '新建文件夹', deleteTitle: '删除',
    unavailable: /未连接|不支持/,
  },
} as const;

describe('the file manager in a real browser against our agent', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let agent: AgentProcess;
  let root: string;
  const node = { uuid: '', token: '' };
  let offline = '';

  before(async () => {
    // 1 MiB chunks (the smallest allowed) so the upload and the download below take several
    ({ s, cookie } = await startWebServer({}, { limits: { files: { defaultChunkBytes: MiB } } }));
    browser = await launchBrowser();
    root = mkdtempSync(join(tmpdir(), 'komari-files-e2e-'));
    Object.assign(node, await addNode(s, cookie, 'web-01'));
    offline = (await addNode(s, cookie, 'web-02')).uuid;
    agent = spawnAgent([agentMain, '-e', s.url, '-t', node.token, '-i', '1', '--file-root', root]);
    await eventually(() => s.ctx.live.socketOf(node.uuid) !== undefined, 20_000);
  });
  after(async () => {
    await agent?.stop();
    await browser?.close();
    await s?.dispose();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const row = (page: Page, name: string) => page.locator(`[data-testid=files-row][data-name="${name}"]`);

  for (const locale of ['en', 'zh-CN'] as const) {
    const w = texts[locale];
    const tag = locale === 'en' ? 'en' : 'zh';

    it(`${locale}: browse by breadcrumbs, upload, edit, make, rename and delete a folder, download — each checked on disk`, async () => {
      const home = join(root, `home-${tag}`);
      mkdirSync(join(home, 'sub'), { recursive: true });
      writeFileSync(join(home, 'notes.txt'), 'hello\n');
      const blob = randomBytes(2 * MiB + 12_345);
      writeFileSync(join(home, 'blob.bin'), blob);

      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        // from the servers table's "Files" action
        await page.goto(`${s.url}/admin/nodes`);
        await page.locator(`[data-testid=node-row][data-uuid="${node.uuid}"]`).getByRole('link', { name: w.files, exact: true }).click();
        await page.getByRole('heading', { name: w.heading, exact: true }).waitFor();
        // the single root (the served folder) opens at once
        await row(page, `home-${tag}`).waitFor();
        const table = page.getByTestId('files-table');
        assert.equal(await table.locator('th').first().textContent(), w.name);
        assert.equal(await table.locator('th').nth(1).textContent(), w.size);
        assert.equal((await page.locator('.files-upload-pick').textContent())?.trim(), w.upload);

        // into home-xx, then sub, then back to home-xx by its breadcrumb
        await row(page, `home-${tag}`).getByTestId('files-open').click();
        await row(page, 'notes.txt').waitFor();
        assert.deepEqual(await page.getByTestId('files-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name'))), ['sub', 'blob.bin', 'notes.txt']);
        await row(page, 'sub').getByTestId('files-open').click();
        await page.getByTestId('files-crumbs').locator('[aria-current=page]', { hasText: 'sub' }).waitFor();
        await page.getByTestId('files-crumbs').getByRole('link', { name: `home-${tag}`, exact: true }).click();
        await row(page, 'notes.txt').waitFor();
        assert.match(new URL(page.url()).searchParams.get('path') ?? '', new RegExp(`/home-${tag}$`));

        // upload in three chunks: the bar moves up through the chunks to 100 % and the bytes are on disk
        await page.evaluate(() => {
          const seen: number[] = [];
          (window as unknown as { percents: number[] }).percents = seen;
          new MutationObserver(() => {
            const el = document.querySelector('[data-testid=files-upload-progress]');
            const v = Number(el?.getAttribute('data-percent') ?? NaN);
            if (el && seen.at(-1) !== v) seen.push(v);
          }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-percent'] });
        });
        const upload = randomBytes(2 * MiB + 700_000);
        await page.getByTestId('files-upload-input').setInputFiles({ name: 'up.bin', mimeType: 'application/octet-stream', buffer: upload });
        await page.locator('[data-testid=files-upload-progress][data-state=done][data-percent="100"]').waitFor();
        const percents = await page.evaluate(() => (window as unknown as { percents: number[] }).percents);
        assert.deepEqual([...percents].sort((a, b) => a - b), percents, `the bar went back: ${percents.join(',')}`);
        assert.ok(percents.some((v) => v > 0 && v < 100), `no step between 0 and 100: ${percents.join(',')}`);
        assert.equal(percents.at(-1), 100);
        assert.equal(await page.locator('[data-testid=files-upload-progress] progress').evaluate((el) => (el as HTMLProgressElement).value), 100);
        await row(page, 'up.bin').waitFor();
        assert.ok(readFileSync(join(home, 'up.bin')).equals(upload));

        // edit and save a text file
        await row(page, 'notes.txt').getByTestId('files-edit').click();
        const text = page.getByTestId('files-editor-text');
        await text.waitFor();
        assert.equal(await text.inputValue(), 'hello\n');
        await text.fill(`hello ${locale} 你好\n`);
        await page.getByTestId('files-editor-save').click();
        await page.getByTestId('files-done').waitFor();
        assert.equal(readFileSync(join(home, 'notes.txt'), 'utf8'), `hello ${locale} 你好\n`);

        // a new folder
        await page.getByRole('button', { name: w.mkdir, exact: true }).click();
        const mkdir = page.getByTestId('files-mkdir-dialog');
        await mkdir.locator('input[name=value]').fill('../escape');
        await mkdir.getByTestId('files-mkdir-dialog-submit').click();
        await mkdir.getByTestId('files-mkdir-dialog-error').waitFor();
        await mkdir.locator('input[name=value]').fill(`made-${tag}`);
        await mkdir.getByTestId('files-mkdir-dialog-submit').click();
        await row(page, `made-${tag}`).waitFor();
        assert.ok(statSync(join(home, `made-${tag}`)).isDirectory());
        assert.equal(existsSync(join(root, 'escape')), false);

        // renamed
        await row(page, `made-${tag}`).getByTestId('files-rename').click();
        const rename = page.getByTestId('files-rename-dialog');
        await rename.locator('input[name=value]').fill(`renamed-${tag}`);
        await rename.getByTestId('files-rename-dialog-submit').click();
        await row(page, `renamed-${tag}`).waitFor();
        assert.equal(existsSync(join(home, `made-${tag}`)), false);
        assert.ok(statSync(join(home, `renamed-${tag}`)).isDirectory());

        // deleted, after the confirmation (whose cancel keeps it)
        await row(page, `renamed-${tag}`).getByTestId('files-delete').click();
        const confirm = page.getByTestId('files-delete-dialog');
        await confirm.waitFor();
        assert.match((await confirm.getByRole('heading').textContent()) ?? '', new RegExp(w.deleteTitle));
        await confirm.getByRole('button', { name: locale === 'en' ? 'Cancel' : '取消', exact: true }).click();
        await confirm.waitFor({ state: 'detached' });
        assert.ok(existsSync(join(home, `renamed-${tag}`)));
        await row(page, `renamed-${tag}`).getByTestId('files-delete').click();
        await page.getByTestId('files-delete-dialog-confirm').click();
        await row(page, `renamed-${tag}`).waitFor({ state: 'detached' });
        assert.equal(existsSync(join(home, `renamed-${tag}`)), false);

        // downloaded through the plain link: the same bytes
        const [download] = await Promise.all([page.waitForEvent('download'), row(page, 'blob.bin').getByTestId('files-download').click()]);
        assert.equal(download.suggestedFilename(), 'blob.bin');
        const saved = await download.path();
        assert.ok(readFileSync(saved).equals(blob));

        p.assertClean();
      } finally {
        await p.close();
      }
    });

    it(`${locale}: a server whose agent is not connected shows why, not a table`, async () => {
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        await page.goto(`${s.url}/admin/files/${offline}`);
        const notice = page.getByTestId('files-unavailable');
        await notice.waitFor();
        assert.match((await notice.textContent()) ?? '', w.unavailable);
        assert.equal(await page.getByTestId('files-table').count(), 0);
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }
});
