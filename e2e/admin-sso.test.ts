import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sendJson, startFakeProvider, type FakeProvider, type SeenRequest } from '../packages/server/test/helpers/oauth.ts';
import { http, type TestServer } from '../packages/server/test/helpers/server.ts';
import { launchBrowser, noBrowser, openPage } from './helpers/browser.ts';
import { startWebServer } from './helpers/web-server.ts';

// The single sign-on page, the external account card and "Sign in with GitHub", in both
// languages, against a real server whose GitHub endpoints point at a local stand-in: its
// "authorize" page is a link back to the callback, as GitHub's is after the user agrees.

const texts = {
  en: {
    missing: 'Fill in before turning sign-in on: Client secret.',
    saved: 'Saved.',
    signIn: 'Sign in with GitHub',
    notBound: 'Not bound',
    bound: 'Bound:',
    unbind: 'Unbind',
    unbindConfirm: 'Unbind: signing in this way stops working',
    unbound: 'The external account is unbound.',
    logout: 'Log out',
    issuer: 'Issuer URL',
    missingIssuer: 'Fill in before turning sign-in on: Issuer URL, Client ID.',
  },
  'zh-CN': {
    missing: '启用登录前请填写：Client secret。',
    saved: '已保存。',
    signIn: '使用 GitHub 登录',
    notBound: '未绑定',
    bound: '已绑定：',
    unbind: '解除绑定',
    unbindConfirm: '解除绑定：将无法再通过此方式登录',
    unbound: '已解除外部账户绑定。',
    logout: '退出登录',
    issuer: 'Issuer 地址',
    missingIssuer: '启用登录前请填写：Issuer 地址、Client ID。',
  },
} as const;

/** What the stand-in accepts: the OAuth app the SSO page saved and the GitHub user who signs in. */
const app = { clientId: '', clientSecret: '', userId: 0 };
const issuedCodes = new Map<string, number>();

function html(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head><title>GitHub</title></head><body>${body}</body></html>`);
}

/** GitHub's authorize page, token endpoint and user endpoint; `callback` is the app's registered callback. */
function fakeGithub(callback: () => string): Promise<FakeProvider> {
  return startFakeProvider((req: SeenRequest, res) => {
    const q = req.url.searchParams;
    if (req.method === 'GET' && req.url.pathname === '/login/oauth/authorize') {
      if (q.get('client_id') !== app.clientId || !q.get('state')) return html(res, '<p id="refused">unknown OAuth app</p>');
      const code = `code-${issuedCodes.size + 1}`;
      issuedCodes.set(code, app.userId);
      const back = `${callback()}?code=${code}&state=${encodeURIComponent(q.get('state')!)}`;
      return html(res, `<h1>Authorize komari-ts</h1><a id="authorize" href="${back}">Authorize</a>`);
    }
    if (req.method === 'POST' && req.url.pathname === '/login/oauth/access_token') {
      const user = issuedCodes.get(q.get('code') ?? '');
      issuedCodes.delete(q.get('code') ?? '');
      if (q.get('client_id') !== app.clientId || q.get('client_secret') !== app.clientSecret || user === undefined) {
        return sendJson(res, 200, { error: 'bad_verification_code' });
      }
      return sendJson(res, 200, { access_token: `token-${user}`, token_type: 'bearer' });
    }
    if (req.method === 'GET' && req.url.pathname === '/user') {
      const m = /^Bearer token-(\d+)$/.exec(req.headers.authorization ?? '');
      return m ? sendJson(res, 200, { id: Number(m[1]), login: 'octo' }) : sendJson(res, 401, { message: 'Bad credentials' });
    }
    if (req.url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    sendJson(res, 404, {});
  });
}

/** Through the stand-in's authorize page and back to the server's callback. */
async function authorizeAtGithub(page: Page, gh: FakeProvider): Promise<void> {
  await page.waitForURL((u) => u.href.startsWith(`${gh.url}/login/oauth/authorize`));
  await page.locator('#authorize').click();
}

describe('single sign-on in a real browser, with GitHub played by a local server', { skip: noBrowser }, () => {
  let s: TestServer;
  let cookie: string;
  let browser: Browser;
  let gh: FakeProvider;

  before(async () => {
    gh = await fakeGithub(() => `${s.url}/api/oauth_callback`);
    ({ s, cookie } = await startWebServer({}, { oauthEndpoints: { githubWeb: gh.url, githubApi: gh.url } }));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.dispose();
    await gh?.close();
  });

  const savedGithub = async () => JSON.parse((await http(s.url, '/api/admin/settings/oidc?provider=github', { cookie })).json.data.addition as string) as Record<string, string>;
  const settings = async () => (await http(s.url, '/api/admin/settings/', { cookie })).json.data as Record<string, unknown>;

  for (const locale of ['en', 'zh-CN'] as const) {
    const T = texts[locale];
    const clientId = `Iv1.${locale}-app`;
    const clientSecret = `${locale}-secret-0123456789abcdef`;

    it(`${locale}: the SSO page saves GitHub's client ID and secret and turns sign-in on; a reload shows them (secret masked) and the login page offers "${T.signIn}"`, async () => {
      // start from nothing: no GitHub app saved, sign-in off
      await http(s.url, '/api/admin/settings/oidc', { method: 'POST', cookie, body: { name: 'github', addition: '{}' } });
      await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { o_auth_enabled: false } });
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
      try {
        const { page } = p;
        await page.goto(`${s.url}/admin/sso`);
        const form = page.getByTestId('sso-form');
        await form.locator('select[name=o_auth_provider]').selectOption('github');
        await form.locator('input[name=client_id]').fill(clientId);
        await form.locator('input[name=o_auth_enabled]').check();
        await page.getByTestId('sso-save').click();
        await page.getByTestId('sso-error').getByText(T.missing).waitFor();
        assert.equal((await savedGithub()).client_id, '', 'a refused save stores nothing');
        assert.equal((await settings()).o_auth_enabled, false);

        await form.locator('input[name=client_secret]').fill(clientSecret);
        await page.getByTestId('sso-save').click();
        await page.getByTestId('sso-saved').getByText(T.saved).waitFor();
        assert.deepEqual(await savedGithub(), { client_id: clientId, client_secret: clientSecret });
        const stored = await settings();
        assert.equal(stored.o_auth_enabled, true);
        assert.equal(stored.o_auth_provider, 'github');
        Object.assign(app, { clientId, clientSecret });

        await page.reload();
        await form.locator('input[name=client_id]').waitFor();
        assert.equal(await form.locator('input[name=client_id]').inputValue(), clientId);
        const secret = form.locator('input[name=client_secret]');
        assert.equal(await secret.inputValue(), clientSecret);
        assert.equal(await secret.getAttribute('type'), 'password', 'the secret is masked');
        await page.getByTestId('sso-show-client_secret').click();
        assert.equal(await secret.getAttribute('type'), 'text');
        assert.equal(await form.locator('input[name=o_auth_enabled]').isChecked(), true);
        assert.equal(await form.locator('select[name=o_auth_provider]').inputValue(), 'github');
        assert.equal(await page.getByTestId('sso-callback-url').textContent(), `${s.url}/api/oauth_callback`);
        await page.getByTestId('sso-not-bound').waitFor();
        p.assertClean();
      } finally {
        await p.close();
      }

      const guest = await openPage(browser, s.url, { locale });
      try {
        await guest.page.goto(`${s.url}/admin`);
        const link = guest.page.getByTestId('login-oauth');
        await link.getByText(T.signIn, { exact: true }).waitFor();
        assert.equal(await link.getAttribute('href'), '/api/oauth');
        guest.assertClean();
      } finally {
        await guest.close();
      }
    });

    it(`${locale}: binds GitHub from the account page, signs in with GitHub after logging out, then unbinds; unbound, GitHub no longer signs in`, async () => {
      app.userId = locale === 'en' ? 583231 : 583232;
      // its own session: logging out here must not end the suite's
      const session = await s.login();
      const p = await openPage(browser, s.url, { locale, sessionCookie: session });
      const me = () => p.page.evaluate(async () => (await (await fetch('/api/me')).json()) as { logged_in: boolean; sso_id?: string });
      const ssoId = async () => (await me()).sso_id;
      try {
        const { page } = p;
        await page.goto(`${s.url}/admin/account`);
        const card = page.getByTestId('external-account-card');
        const state = page.getByTestId('external-account-state');
        await state.getByText(T.notBound).waitFor();

        await page.getByTestId('external-account-bind').click();
        await authorizeAtGithub(page, gh);
        // the server ends the bind on Komari's /admin/dashboard; the panel brings the admin back here
        await page.waitForURL(`${s.url}/admin/account`);
        await state.getByText(`github_${app.userId}`).waitFor();
        await state.getByText(T.bound).waitFor();
        assert.equal(await ssoId(), `github_${app.userId}`);

        await page.getByTestId('logout').getByText(T.logout).click();
        await page.getByTestId('login-oauth').getByText(T.signIn, { exact: true }).click();
        await authorizeAtGithub(page, gh);
        await page.waitForURL(`${s.url}/admin/nodes`);
        await page.getByTestId('logout').waitFor();
        assert.notEqual((await p.context.cookies(s.url)).find((c) => c.name === 'session_token')?.value, session, 'a new session from the OAuth login');

        await page.goto(`${s.url}/admin/account`);
        await card.getByRole('button', { name: T.unbind, exact: true }).click();
        await page.getByTestId('external-account-unbind-confirm').getByText(T.unbindConfirm).click();
        await card.getByText(T.unbound).waitFor();
        await state.getByText(T.notBound).waitFor();
        assert.equal(await ssoId(), '');

        // unbound, the same GitHub user is turned away with Komari's message
        await page.getByTestId('logout').click();
        await page.getByTestId('login-oauth').click();
        await authorizeAtGithub(page, gh);
        await page.getByText('please log in and bind your external account first.').waitFor();
        assert.equal((await me()).logged_in, false);
        p.forgetRefusals(401);
        p.assertClean();
      } finally {
        await p.close();
      }
    });

    if (locale === 'en') {
      it('en: a saved provider the server does not know shows the server\'s refusal, and nothing can be saved for it', async () => {
        await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { o_auth_provider: 'retired-provider' } });
        const p = await openPage(browser, s.url, { locale, sessionCookie: cookie });
        try {
          const { page } = p;
          await page.goto(`${s.url}/admin/sso`);
          await page.getByTestId('sso-provider').getByText('Error: Provider not found: record not found').waitFor();
          assert.equal(await page.locator('select[name=o_auth_provider]').inputValue(), 'retired-provider');
          assert.equal(await page.getByTestId('sso-save').isDisabled(), true);
          p.forgetRefusals(404);
          p.assertClean();
        } finally {
          await p.close();
          await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { o_auth_provider: 'github' } });
        }
      });
    }

    it(`${locale}: OpenID Connect's form comes from the server's field list with its defaults filled in; an edit survives switching providers; turning it on without an issuer saves nothing${locale === 'zh-CN' ? ' (on a phone, dark)' : ''}`, async () => {
      const phone = locale === 'zh-CN' ? { viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const } : {};
      const p = await openPage(browser, s.url, { locale, sessionCookie: cookie, ...phone });
      try {
        const { page } = p;
        await page.goto(`${s.url}/admin/sso`);
        const form = page.getByTestId('sso-form');
        const provider = form.locator('select[name=o_auth_provider]');
        await provider.selectOption('oidc');
        const fields = page.getByTestId('sso-fields');
        await fields.getByText(T.issuer).waitFor();
        assert.equal(await fields.locator('input[name=scope]').inputValue(), 'openid profile email');
        assert.equal(await fields.locator('input[name=user_id_field]').inputValue(), 'sub');
        assert.equal(await fields.locator('input[name=client_secret]').getAttribute('type'), 'password');

        await fields.locator('input[name=scope]').fill('openid email');
        await provider.selectOption('github');
        await fields.locator('input[name=client_id]').waitFor();
        await provider.selectOption('oidc');
        assert.equal(await fields.locator('input[name=scope]').inputValue(), 'openid email', 'the unsaved edit is kept');

        await form.locator('input[name=o_auth_enabled]').check();
        await page.getByTestId('sso-save').click();
        await page.getByTestId('sso-error').getByText(T.missingIssuer).waitFor();
        const oidc = (await http(s.url, '/api/admin/settings/oidc?provider=oidc', { cookie })).json.data.addition as string;
        assert.equal(JSON.parse(oidc || '{}').scope ?? '', '', 'nothing was saved');
        assert.notEqual((await settings()).o_auth_provider, 'oidc');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page is ${overflow}px wider than the window`);
        p.assertClean();
      } finally {
        await p.close();
      }
    });
  }
});
