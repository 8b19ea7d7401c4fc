import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { addNode } from '../packages/server/test/helpers/agent-common.ts';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { startWebServer } from './helpers/web-server.ts';

// A hostile-by-accident PWA: its worker answers EVERY request (GET or not, any path) itself.
const hijack = `(e) => e.respondWith(new Response('<h1 id="hijacked">HIJACKED</h1>', { headers: { 'content-type': 'text/html' } }))`;
const lifecycle = `self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
`;

/** The worker variants: how the theme's fetch handler is attached, and how the worker is registered. */
// Chromium's static routing: requests matched at install time go straight to the worker's cache.
const staticRoutes = `self.addEventListener('install', (e) => {
  self.skipWaiting();
  const page = () => new Response('<h1 id="hijacked">HIJACKED</h1>', { headers: { 'content-type': 'text/html' } });
  e.waitUntil(caches.open('pages').then((c) => Promise.all(['/admin', '/admin/settings'].map((u) => c.put(u, page())))));
  e.waitUntil(e.addRoutes([{ condition: { urlPattern: new URLPattern({ pathname: '/admin*' }) }, source: 'cache' }]));
});
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
`;

/**
 * The worker variants: how the theme's fetch handler is attached, and how the worker is
 * registered. `ownPages`: the worker answers the theme's own pages (the static-routing one only
 * routes the admin's, which the guard turns down).
 */
const variants: { short: string; options: string; files: Record<string, string>; ownPages: boolean }[] = [
  { short: 'PwaListener', options: '{ scope: "/" }', files: { 'sw.js': `${lifecycle}self.addEventListener('fetch', ${hijack});` }, ownPages: true },
  { short: 'PwaOnfetch', options: '{ scope: "/" }', files: { 'sw.js': `${lifecycle}self.onfetch = ${hijack};` }, ownPages: true },
  { short: 'PwaRoutes', options: '{ scope: "/" }', files: { 'sw.js': staticRoutes }, ownPages: false },
  {
    short: 'PwaModule',
    options: '{ scope: "/", type: "module" }',
    // The handler sits in an imported module, which runs before the importing module's own code.
    files: { 'sw.js': `import { ready } from './sw-lib.js';\n${lifecycle}ready();`, 'sw-lib.js': `self.addEventListener('fetch', ${hijack});\nexport function ready() {}` },
    ownPages: true,
  },
];

function write(root: string, rel: string, text: string): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
}

function installTheme(s: TestServer, short: string, files: Record<string, string>, options: string): void {
  const root = join(s.dir, 'theme', short);
  write(root, 'komari-theme.json', JSON.stringify({ name: short, short }));
  write(root, 'dist/index.html', `<!doctype html><html lang="en"><head><title>Komari Monitor</title></head>
<body><h1 id="home">${short} home</h1><script>navigator.serviceWorker.register('/sw.js', ${options});</script></body></html>`);
  write(root, 'dist/frame.html', `<!doctype html><html><body>
<iframe id="admin" src="/admin"></iframe><iframe id="public" src="/instance/x"></iframe></body></html>`);
  for (const [name, text] of Object.entries(files)) write(root, `dist/${name}`, text);
}

/** Until the theme's worker controls the page (it claims the clients it activates over). */
async function controlled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  });
}

describe('a theme cannot capture /admin or /terminal in a real browser (themes.md §4.4, §6)', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let nodeUuid = '';
  const setTheme = async (theme: string) => {
    const res = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { theme } });
    assert.equal(res.status, 200, res.text);
  };
  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
    for (const v of variants) installTheme(s, v.short, v.files, v.options);
    nodeUuid = (await addNode(s, cookie, 'web-01')).uuid;
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  for (const v of variants) {
    it(`${v.short}: the theme's worker keeps answering the theme's pages, never the admin's or the terminal's`, async () => {
      await setTheme(v.short);
      const p = await openPage(browser, s.url);
      const { page } = p;
      try {
        await page.goto(s.url + '/');
        await page.locator('#home').waitFor();
        await controlled(page);

        // The guard does not break the theme: its own pages are its worker's answers.
        for (const path of v.ownPages ? ['/', '/instance/abc'] : []) {
          await page.goto(s.url + path);
          await page.locator('#hijacked').waitFor();
        }

        // The admin panel: the server's own page, loaded, logged into, navigated, although the
        // worker controls it (which is why every request of it must pass the guard).
        await page.goto(s.url + '/admin');
        assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true, 'the page is under the theme worker');
        await page.locator('input[name=username]').fill(s.adminUsername);
        await page.locator('input[name=password]').fill(s.adminPassword);
        await page.locator('[data-testid=login-form] button[type=submit]').click();
        await page.locator('nav.admin-menu').getByText('Settings').click();
        await page.waitForURL((u) => u.pathname === '/admin/settings');
        await page.locator('input[name=sitename]').waitFor();
        assert.equal(await page.locator('#hijacked').count(), 0);
        assert.doesNotMatch(await page.content(), /HIJACKED/);

        await page.goto(`${s.url}/terminal?uuid=${nodeUuid}`);
        await page.getByTestId('terminal-status').waitFor();
        assert.doesNotMatch(await page.content(), /HIJACKED/);

        // And the theme is still the theme afterwards.
        await page.goto(s.url + '/');
        await page.locator(v.ownPages ? '#hijacked' : '#home').waitFor();
        p.assertClean();
      } finally {
        await p.close();
        await setTheme('default');
      }
    });
  }

  it('a theme page cannot frame /admin (frame-ancestors none), while its public pages stay frameable', async () => {
    await setTheme(variants[0]!.short);
    const p = await openPage(browser, s.url, { sessionCookie: cookie });
    try {
      await p.page.goto(s.url + '/frame.html');
      await p.page.frameLocator('#public').locator('#home').waitFor();
      const admin = await (await p.page.$('#admin'))!.contentFrame();
      assert.ok(admin);
      // Chromium puts its error page in place of a refused frame.
      await p.page.waitForFunction(() => (document.getElementById('admin') as HTMLIFrameElement).contentDocument === null);
      assert.match(admin.url(), /^chrome-error:/);
      assert.equal(await p.page.frameLocator('#admin').locator('nav.admin-menu, [data-testid=login-form]').count(), 0);
    } finally {
      await p.close();
      await setTheme('default');
    }
  });
});
