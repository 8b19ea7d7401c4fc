import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { startWebServer } from './helpers/web-server.ts';

// The GeoIP test form in both languages against a real server, on the contract of
// GET /api/admin/test/geoip (admin-api.md §3.7): {ISOCode, Name}, or 400 "GeoIP is not enabled in
// the configuration." when lookups are off. The lookup is offline (a country database shipped
// with the server), so 8.8.8.8 is placed in the United States without any network.

const texts = {
  en: { heading: 'GeoIP', disabled: 'GeoIP lookups are turned off in the settings.' },
  'zh-CN': { heading: 'IP 归属地', disabled: '设置中已关闭 GeoIP 查询。' },
} as const;

describe('admin GeoIP page in a real browser', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;

  before(async () => {
    ({ s, cookie } = await startWebServer());
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
  });

  const setGeoip = async (enabled: boolean) => {
    const res = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { geo_ip_enabled: enabled } });
    assert.equal(res.status, 200, res.text);
  };

  for (const locale of ['en', 'zh-CN'] as const) {
    const w = texts[locale];

    it(`${locale}: looks up an address and shows its country; with lookups off, says so`, async () => {
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        await setGeoip(true);
        await page.goto(`${s.url}/admin/geoip`);
        await page.getByRole('heading', { name: w.heading, exact: true }).waitFor();
        await page.locator('input[name=ip]').fill('8.8.8.8');
        await page.getByTestId('geoip-lookup').click();
        const answer = page.getByTestId('geoip-answer');
        await answer.locator('code', { hasText: 'US' }).waitFor();
        const api = await http(s.url, '/api/admin/test/geoip?ip=8.8.8.8', { cookie });
        assert.equal(api.status, 200, api.text);
        assert.equal(api.json.data.ISOCode, 'US');
        await answer.getByText(api.json.data.Name).waitFor();
        assert.match((await answer.textContent()) ?? '', /8\.8\.8\.8/);

        await setGeoip(false);
        await page.getByTestId('geoip-lookup').click();
        await page.getByTestId('geoip-error').getByText(w.disabled).waitFor();
        assert.equal(await answer.count(), 0);
        p.forgetRefusals(400);
        p.assertClean();
      } finally {
        await setGeoip(true);
        await p.close();
      }
    });
  }
});
