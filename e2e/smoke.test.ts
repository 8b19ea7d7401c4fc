import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { startWebServer } from './helpers/web-server.ts';

describe('the built web UI in a real browser', { skip: noBrowser }, () => {
  let s: TestServer;
  let browser: Browser;
  before(async () => {
    ({ s } = await startWebServer());
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  it('loads the app at / and at a client-side route without errors', async () => {
    for (const path of ['/', '/no-such-page']) {
      const p = await openPage(browser, s.url);
      try {
        await p.page.goto(s.url + path);
        await p.page.locator('#root > *').first().waitFor();
        assert.equal(await p.page.title(), 'Komari');
        p.assertClean();
      } finally {
        await p.close();
      }
    }
  });
});
