import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedFixtureDir as fixtureDir, sharedFixture as fixture } from '../packages/server/test/helpers/komari-fixture.ts';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage, type WatchedPage } from './helpers/browser.ts';
import { addReportingNode, startWebServer } from './helpers/web-server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

// The backup page in both languages against a real server: download, and the live restore
// (chunked upload → merge answers {path, kind, applied: "live", report?} → the server rebuilds
// itself → GET /api/admin/backup/status reports the outcome).


const texts = {
  en: { heading: 'Backup and restore', none: 'No backup has been restored on this server.', restored: 'Backup restored.', ownKind: 'komari-ts backup', notZipName: 'A backup is a .zip file.' },
  'zh-CN': { heading: '备份与恢复', none: '本服务器尚未恢复过备份。', restored: '备份已恢复。', komariKind: 'Komari 备份（已导入）', notice: '备份已恢复，当前会话未保留' },
} as const;

/** Chromium's console line for each poll refused while the server rebuilds itself. */
const refusedWhileRebuilding = /ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE/;

/** Records every data-phase the restore's progress block shows, in order, without repeats. */
async function watchPhases(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as any).restorePhases = seen;
    const note = () => {
      const phase = document.querySelector('[data-testid=backup-progress]')?.getAttribute('data-phase');
      if (phase && seen.at(-1) !== phase) seen.push(phase);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase'] });
  });
}

describe('admin backup page in a real browser', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    await addReportingNode(s, cookie, 'kept-node');
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  const nodeNames = async (c: string): Promise<string[]> => {
    const res = await http(s.url, '/api/admin/client/list', { cookie: c });
    assert.equal(res.status, 200, res.text);
    return res.json.map((n: any) => n.name).sort();
  };
  const open = async (p: WatchedPage, heading: string) => {
    await p.page.goto(`${s.url}/admin/backup`);
    await p.page.getByRole('heading', { name: heading, exact: true }).waitFor();
  };

  for (const locale of ['en', 'zh-CN'] as const) {
    const w = texts[locale];

    it(`${locale}: the page renders and its download button saves a zip backup (PK, with Komari's marker)`, async () => {
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        await open(p, w.heading);
        const [download] = await Promise.all([p.page.waitForEvent('download'), p.page.getByTestId('backup-download-link').click()]);
        assert.match(download.suggestedFilename(), /^backup-\d{8}-\d{6}\.\d{6}\.zip$/);
        const path = await download.path();
        const bytes = readFileSync(path);
        assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
        // the central directory names its entries in plain text
        assert.ok(bytes.includes('komari-backup-markup'), 'the zip holds the marker');
        assert.ok(bytes.includes('komari.db'), 'the zip holds the database');
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }

  it('en: a file that is not a .zip is refused on the page, before any upload', async () => {
    const p = await openPage(browser, s.url, { locale: 'en', sessionCookie: cookie });
    try {
      await open(p, texts.en.heading);
      const file = join(s.dir, 'notes.txt');
      writeFileSync(file, 'not a backup');
      await p.page.getByTestId('backup-file').setInputFiles(file);
      await p.page.getByTestId('backup-restore-start').click();
      await p.page.getByTestId('backup-restore-problem').getByText(texts.en.notZipName).waitFor();
      assert.equal(await p.page.getByTestId('backup-confirm').count(), 0);
      assert.equal(await p.page.getByTestId('backup-progress').count(), 0, 'no upload started');
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  // ---- the tests below need the restore routes (upload/init|chunk|merge|cancel, backup/status) ----

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`${locale}: says no backup has been restored yet`, async () => {
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        await open(p, texts[locale].heading);
        await p.page.getByTestId('backup-last').getByText(texts[locale].none).waitFor();
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }

  it('en: an archive the server refuses shows its reason and changes nothing', async () => {
    const before = await nodeNames(cookie);
    const p = await openPage(browser, s.url, { locale: 'en', sessionCookie: cookie });
    try {
      await open(p, texts.en.heading);
      const file = join(s.dir, 'broken.zip');
      writeFileSync(file, 'this is not a zip archive at all');
      await p.page.getByTestId('backup-file').setInputFiles(file);
      await p.page.getByTestId('backup-restore-start').click();
      await p.page.getByTestId('backup-confirm-confirm').click();
      await p.page.getByTestId('backup-restore-error').waitFor();
      assert.deepEqual(await nodeNames(cookie), before);
      p.forgetRefusals(400);
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('en: restores its own backup after a confirmation: progress, rebuild, outcome; data made after the backup is gone', async () => {
    const res = await fetch(`${s.url}/api/admin/download/backup`, { headers: { cookie: `session_token=${cookie}`, connection: 'close' } });
    assert.equal(res.status, 200);
    const file = join(s.dir, 'own-backup.zip');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    await addReportingNode(s, cookie, 'made-after-backup');
    assert.deepEqual(await nodeNames(cookie), ['kept-node', 'made-after-backup']);

    const p = await openPage(browser, s.url, { locale: 'en', sessionCookie: cookie });
    try {
      const { page } = p;
      await open(p, texts.en.heading);
      await watchPhases(page);
      await page.getByTestId('backup-file').setInputFiles(file);
      await page.getByTestId('backup-restore-start').click();
      await page.getByTestId('backup-confirm').waitFor();
      await page.getByTestId('backup-confirm-confirm').click();
      const outcome = page.getByTestId('backup-progress').getByTestId('backup-outcome');
      await outcome.getByText(texts.en.restored).waitFor({ timeout: 60_000 });
      assert.equal(await outcome.getAttribute('data-ok'), 'true');
      await outcome.getByText(texts.en.ownKind).waitFor();
      const phases: string[] = await page.evaluate(() => (window as any).restorePhases);
      assert.deepEqual(phases.filter((x) => x !== 'checking'), ['uploading', 'restarting', 'done'], phases.join(' → '));

      // the session was in the backup: still logged in, and the data is the backup's
      assert.deepEqual(await nodeNames(cookie), ['kept-node']);
      await page.reload();
      await page.getByTestId('backup-last').getByTestId('backup-outcome').getByText(texts.en.restored).waitFor();
      for (let i = p.problems.length - 1; i >= 0; i--) if (refusedWhileRebuilding.test(p.problems[i]!)) p.problems.splice(i, 1);
      p.assertClean();
    } finally {
      await p.close();
    }
  });

  it('zh-CN: restores the real Komari 1.4.3 backup: the lost session leads to the login page, then the import report', async () => {
    const p = await openPage(browser, s.url, { locale: 'zh-CN', sessionCookie: cookie });
    try {
      const { page } = p;
      await open(p, texts['zh-CN'].heading);
      await page.getByTestId('backup-file').setInputFiles(join(fixtureDir, 'backup.zip'));
      await page.getByTestId('backup-restore-start').click();
      await page.getByTestId('backup-confirm-confirm').click();

      // Komari's accounts replaced ours: the status answers 401 and the login page says why
      await page.getByTestId('login-notice').getByText(texts['zh-CN'].notice).waitFor({ timeout: 60_000 });
      assert.equal(new URL(page.url()).pathname, '/admin');
      await page.locator('input[name=username]').fill(fixture.admin.username);
      await page.locator('input[name=password]').fill(fixture.admin.password);
      await page.getByTestId('login-form').locator('button[type=submit]').click();
      await page.waitForURL(`${s.url}/admin/backup`);

      const last = page.getByTestId('backup-last').getByTestId('backup-outcome');
      await last.getByText(texts['zh-CN'].restored).waitFor();
      await last.getByText(texts['zh-CN'].komariKind).waitFor();
      const report = last.getByTestId('import-report');
      await report.getByTestId('import-report-source').getByText('Komari').waitFor();
      assert.ok((await report.getByTestId('import-report-counts').locator('tbody tr').count()) > 0, 'the report counts what came over');
      const status = await http(s.url, '/api/admin/backup/status', { headers: { authorization: `Bearer ${fixture.api_key}` } });
      assert.equal(status.status, 200, status.text);
      assert.equal(status.json.data.last.kind, 'komari');
      const shown = await report.getByTestId('import-report-counts').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
      assert.deepEqual(shown, Object.keys(status.json.data.last.report.imported));
      assert.equal(await report.getByTestId('import-report-skipped-total').textContent(), String(status.json.data.last.report.skippedTotal));

      const names = (await http(s.url, '/api/admin/client/list', { headers: { authorization: `Bearer ${fixture.api_key}` } })).json.map((n: any) => n.name).sort();
      assert.deepEqual(names, fixture.nodes.map((n: any) => n.name).sort());
      for (let i = p.problems.length - 1; i >= 0; i--) if (refusedWhileRebuilding.test(p.problems[i]!)) p.problems.splice(i, 1);
      p.forgetRefusals(401);
      p.assertClean();
    } finally {
      await p.close();
    }
  });
});
