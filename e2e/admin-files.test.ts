import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
    badMode: 'Enter the mode as 3 or 4 octal digits, such as 0644.', cancel: 'Cancel', close: 'Close',
    binary: /is not UTF-8 text/, tooLarge: /only files up to 4\.0 MiB can be edited/, cancelled: 'The upload of big.bin was cancelled; nothing was kept.',
  },
  'zh-CN': {
    heading: 'web-01 的文件', files: '文件', name: '名称', size: '大小', upload: '上传文件', mkdir: '新建文件夹', deleteTitle: '删除',
    unavailable: /未连接|不支持/,
    badMode: '请用三位或四位八进制数字输入权限，例如 0644。', cancel: '取消', close: '关闭',
    binary: /不是 UTF-8 文本/, tooLarge: /只能编辑不超过 4\.0 MiB/, cancelled: '已取消 big.bin 的上传，未保留任何内容。',
  },
} as const;

describe('the file manager in a real browser against our agent', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let agent: AgentProcess;
  let root: string;
  /** files the browser uploads from, outside the served folder */
  let scratch: string;
  const node = { uuid: '', token: '' };
  let offline = '';

  before(async () => {
    // 1 MiB chunks (the smallest allowed) so the upload and the download below take several
    ({ s, cookie } = await startWebServer({}, { limits: { files: { defaultChunkBytes: MiB } } }));
    browser = await launchBrowser();
    root = mkdtempSync(join(tmpdir(), 'komari-files-e2e-'));
    scratch = mkdtempSync(join(tmpdir(), 'komari-files-src-'));
    Object.assign(node, await addNode(s, cookie, 'web-01'));
    offline = (await addNode(s, cookie, 'web-02')).uuid;
    agent = spawnAgent([agentMain, '-e', s.url, '-t', node.token, '-i', '1', '--file-root', root]);
    await eventually(() => s.ctx.live.socketOf(node.uuid) !== undefined, 20_000);
  });
  after(async () => {
    await agent?.stop();
    await browser?.close();
    await s?.dispose();
    for (const dir of [root, scratch]) if (dir) rmSync(dir, { recursive: true, force: true });
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

    it(`${locale}: copy and chmod; the editor refuses binary and large files; the server's refusal shows; a cancelled upload leaves nothing`, async () => {
      const home = join(root, `more-${tag}`);
      mkdirSync(home);
      writeFileSync(join(home, 'a.txt'), 'alpha\n');
      writeFileSync(join(home, 'bin.dat'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0xff]));
      writeFileSync(join(home, 'large.log'), Buffer.alloc(4 * MiB + 1, 0x61));
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        await page.goto(`${s.url}/admin/files/${node.uuid}?path=${encodeURIComponent(home)}`);
        await row(page, 'a.txt').waitFor();

        await row(page, 'a.txt').getByTestId('files-copy').click();
        const copy = page.getByTestId('files-copy-dialog');
        await copy.locator('input[name=value]').fill('b.txt');
        await copy.getByTestId('files-copy-dialog-submit').click();
        await row(page, 'b.txt').waitFor();
        assert.equal(readFileSync(join(home, 'b.txt'), 'utf8'), 'alpha\n');

        await row(page, 'b.txt').getByTestId('files-chmod').click();
        const chmod = page.getByTestId('files-chmod-dialog');
        await chmod.locator('input[name=value]').fill('999');
        await chmod.getByTestId('files-chmod-dialog-submit').click();
        await chmod.getByTestId('files-chmod-dialog-error').getByText(w.badMode).waitFor();
        await chmod.locator('input[name=value]').fill('0600');
        await chmod.getByTestId('files-chmod-dialog-submit').click();
        await chmod.waitFor({ state: 'detached' });
        assert.equal(statSync(join(home, 'b.txt')).mode & 0o777, 0o600);

        // the agent's own refusal (outside the served folder) is shown in the dialog; nothing moves
        await row(page, 'a.txt').getByTestId('files-move').click();
        const move = page.getByTestId('files-move-dialog');
        await move.locator('input[name=value]').fill('../../outside.txt');
        await move.getByTestId('files-move-dialog-submit').click();
        await move.getByTestId('files-move-dialog-error').getByText(/outside the file root/).waitFor();
        assert.ok(existsSync(join(home, 'a.txt')));
        await move.getByRole('button', { name: w.cancel, exact: true }).click();

        await row(page, 'bin.dat').getByTestId('files-edit').click();
        await page.getByTestId('files-editor-refused').getByText(w.binary).waitFor();
        assert.equal(await page.getByTestId('files-editor-text').count(), 0);
        await page.getByTestId('files-editor').getByText(w.close, { exact: true }).click();
        await row(page, 'large.log').getByTestId('files-edit').click();
        await page.getByTestId('files-editor-refused').getByText(w.tooLarge).waitFor();
        await page.getByTestId('files-editor').getByText(w.close, { exact: true }).click();

        // cancelled once the first chunk is through: neither the file nor a part of it stays
        // from a file on disk: the browser reads it itself (a buffer would cross the CDP pipe as base64)
        const big = join(scratch, `big-${tag}`, 'big.bin');
        mkdirSync(join(scratch, `big-${tag}`));
        writeFileSync(big, Buffer.alloc(40 * MiB, 7));
        await page.getByTestId('files-upload-input').setInputFiles(big);
        await page.waitForFunction(() => Number(document.querySelector('[data-testid=files-upload-progress]')?.getAttribute('data-percent')) > 0);
        await page.getByTestId('files-upload-cancel').click();
        await page.getByText(w.cancelled).waitFor();
        await eventually(() => readdirSync(home).every((f) => !f.includes('big.bin')), 10_000);
        await page.getByTestId('files-refresh').click();
        await row(page, 'a.txt').waitFor();
        assert.equal(await row(page, 'big.bin').count(), 0);
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
