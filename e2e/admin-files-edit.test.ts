import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { spawnAgent, type AgentProcess } from '../packages/agent/test/helpers/agent-process.ts';
import { generateTotpSecret, totpCode } from '../packages/server/src/auth/totp.ts';
import { addNode, eventually } from '../packages/server/test/helpers/agent-common.ts';
import type { TestServer } from '../packages/server/test/helpers/server.ts';
import { wrongCode } from '../packages/server/test/helpers/totp.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { startWebServer } from './helpers/web-server.ts';

// The editor past the 1 MiB RPC body limit (a ~3 MiB text file read and saved whole, checked on
// disk), and the files gate's 2FA prompt, in both languages, against our real agent.

const MiB = 1024 * 1024;
const agentMain = fileURLToPath(new URL('../packages/agent/src/main.ts', import.meta.url));

const texts = {
  en: { saved: (n: string) => `${n} saved.`, codeTitle: 'Two-factor code', submit: 'Continue', invalid: 'The two-factor code is wrong or has expired.' },
  'zh-CN': { saved: (n: string) => `已保存 ${n}。`, codeTitle: '两步验证码', submit: '继续', invalid: '两步验证码错误或已过期。' },
} as const;

/** About 3 MiB of text, with a line in Chinese so the bytes are UTF-8, not ASCII. */
function bigText(tag: string): string {
  const lines: string[] = [];
  for (let i = 0, bytes = 0; bytes < 3 * MiB; i++) {
    const line = `${tag} line ${String(i).padStart(7, '0')} 你好 ${'x'.repeat(60)}\n`;
    lines.push(line);
    bytes += Buffer.byteLength(line);
  }
  return lines.join('');
}

describe('the file editor past 1 MiB, and the 2FA prompt of the files gate', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  const agents: AgentProcess[] = [];
  let root: string;
  /** one node per locale: a 2FA grant is per (user, node), so each locale meets the prompt */
  const nodes: Record<string, { uuid: string; token: string }> = {};

  before(async () => {
    // 1 MiB chunks: the save takes several
    ({ s, cookie } = await startWebServer({}, { limits: { files: { defaultChunkBytes: MiB } } }));
    browser = await launchBrowser();
    root = mkdtempSync(join(tmpdir(), 'komari-files-edit-e2e-'));
    for (const locale of ['en', 'zh-CN']) {
      nodes[locale] = await addNode(s, cookie, `edit-${locale}`);
      const dir = join(root, locale);
      mkdirSync(dir);
      agents.push(spawnAgent([agentMain, '-e', s.url, '-t', nodes[locale]!.token, '-i', '1', '--file-root', dir]));
    }
    await eventually(() => Object.values(nodes).every((n) => s.ctx.live.socketOf(n.uuid) !== undefined), 20_000);
  });
  after(async () => {
    for (const a of agents) await a.stop();
    await browser?.close();
    await s?.dispose();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const row = (page: Page, name: string) => page.locator(`[data-testid=files-row][data-name="${name}"]`);

  for (const locale of ['en', 'zh-CN'] as const) {
    const w = texts[locale];

    it(`${locale}: a ~3 MiB text file opens in the editor and saves whole (through the upload route), checked on disk`, async () => {
      const dir = join(root, locale);
      const before = bigText(locale);
      writeFileSync(join(dir, 'big.txt'), before);
      assert.ok(Buffer.byteLength(before) > 3 * MiB && Buffer.byteLength(before) < 4 * MiB);
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        await page.goto(`${s.url}/admin/files/${nodes[locale]!.uuid}`);
        await row(page, 'big.txt').getByTestId('files-edit').click();
        const text = page.getByTestId('files-editor-text');
        await text.waitFor({ timeout: 30_000 });
        assert.equal(await text.inputValue(), before);
        // typed at both ends (filling 3 MiB through the browser's input takes minutes)
        await text.focus();
        await text.press('Control+Home');
        await page.keyboard.type('edited 你好 ');
        await text.press('Control+End');
        await page.keyboard.type('the end');
        const after = `edited 你好 ${before}the end`;
        await page.getByTestId('files-editor-save').click();
        await page.getByTestId('files-done').filter({ hasText: w.saved('big.txt') }).waitFor({ timeout: 30_000 });
        assert.equal(readFileSync(join(dir, 'big.txt'), 'utf8'), after);
        assert.equal(s.ctx.files.uploads.size, 0, 'no upload session is left');
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }

  // Last: the admin gets 2FA, and keeps it.
  for (const locale of ['en', 'zh-CN'] as const) {
    const w = texts[locale];

    it(`${locale}: an account with 2FA is asked for its code on opening the files; a wrong one is refused, the right one shows the listing`, async () => {
      const account = (await s.ctx.store.accounts.first())!;
      let secret = account.twoFactor;
      if (secret === '') {
        secret = generateTotpSecret();
        await s.ctx.store.accounts.update(account.uuid, { twoFactor: secret }, Date.now());
      }
      writeFileSync(join(root, locale, `gated-${locale}.txt`), 'gated');
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        await page.goto(`${s.url}/admin/files/${nodes[locale]!.uuid}`);
        const dialog = page.getByTestId('files-code');
        await dialog.getByRole('heading', { name: w.codeTitle, exact: true }).waitFor();
        assert.equal(await row(page, `gated-${locale}.txt`).count(), 0, 'no listing before the code');
        await dialog.locator('input[name="2fa_code"]').fill(wrongCode(secret));
        await dialog.getByRole('button', { name: w.submit, exact: true }).click();
        await dialog.getByRole('alert').filter({ hasText: w.invalid }).waitFor();
        // a step past the one the other locale's test claimed (codes are single use)
        const code = totpCode(secret, Date.now() + (locale === 'en' ? 0 : 30_000));
        await dialog.locator('input[name="2fa_code"]').fill(code);
        await dialog.getByRole('button', { name: w.submit, exact: true }).click();
        await row(page, `gated-${locale}.txt`).waitFor();
        await dialog.waitFor({ state: 'detached' });
        // the grant holds: a reload lists without asking
        await page.reload();
        await row(page, `gated-${locale}.txt`).waitFor();
        assert.equal(await page.getByTestId('files-code').count(), 0);
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }
});
