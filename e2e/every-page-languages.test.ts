import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { addReportingNode, startWebServer, type FakeNode } from './helpers/web-server.ts';

// Every page of the UI, in both languages, as an admin: it must render in that language with no
// console error — a missing translation key is one (src/i18n/index.ts), so this fails on it.
const cjk = /[\u4e00-\u9fff]/;

/** The page's text without the language switch, whose "简体中文" shows in every language. */
const pageText = () => {
  const body = document.body.cloneNode(true) as HTMLElement;
  for (const el of body.querySelectorAll('select, script, style')) el.remove();
  return body.textContent ?? '';
};

describe('every page in English and in Simplified Chinese', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let node: FakeNode;

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    node = await addReportingNode(s, cookie, 'web-01', 20);
    const task = await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name: 'gw', type: 'tcp', target: '127.0.0.1:1', clients: [node.uuid], interval: 60 } });
    assert.equal(task.status, 200, task.text);
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  const pages = () => [
    '/', `/instance/${node.uuid}`, '/admin/nodes', '/admin/ping', '/admin/alerts', '/admin/alerts?tab=rules', '/admin/alerts?tab=quiet',
    '/admin/alerts?tab=history', '/admin/exec', '/admin/files', `/admin/files/${node.uuid}`, '/admin/clipboard', '/admin/settings', '/admin/database', '/admin/backup', '/admin/themes', '/admin/geoip',
    '/admin/sso', '/admin/sessions', '/admin/account', '/admin/logs', `/terminal?uuid=${node.uuid}`, '/no-such-page',
  ];

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`${locale}: every page renders in ${locale} without a missing key or an error`, async () => {
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        for (const path of pages()) {
          await p.page.goto(s.url + path);
          await p.page.waitForLoadState('networkidle');
          await p.page.locator('#root > *').first().waitFor();
          assert.equal(await p.page.evaluate(() => document.documentElement.lang), locale, path);
          const text = await p.page.evaluate(pageText);
          if (locale === 'zh-CN') assert.match(text, cjk, `${path} shows no Chinese`);
          else assert.doesNotMatch(text, cjk, `${path} shows Chinese in English`);
          assert.deepEqual(p.problems, [], `${path}:\n${p.problems.join('\n')}`);
        }
      } finally {
        await p.close();
      }
    });
  }

  it('the language switch changes the page at once and is remembered', async () => {
    const p = await openPage(browser, s.url, { locale: 'en' });
    try {
      await p.page.goto(s.url + '/');
      await p.page.getByTestId('language-switch').selectOption('zh-CN');
      await p.page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      assert.match(await p.page.evaluate(pageText), cjk);
      await p.page.reload();
      await p.page.locator('#root > *').first().waitFor();
      assert.equal(await p.page.evaluate(() => document.documentElement.lang), 'zh-CN');
      assert.match(await p.page.evaluate(pageText), cjk);
      p.assertClean();
    } finally {
      await p.close();
    }
  });
});
