import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (never a downloaded one); KOMARI_CHROMIUM overrides the path. */
export const chromiumPath = process.env.KOMARI_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Suites pass this as `skip`: without chromium the browser tests are skipped with this message
 * (`.ci/run` installs Debian's chromium, so CI always runs them).
 */
export const noBrowser: string | false = existsSync(chromiumPath)
  ? false
  : `chromium not found at ${chromiumPath}: browser tests skipped (apt-get install chromium, or set KOMARI_CHROMIUM)`;

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // The machine's closed network refuses Chromium's background connections; keep them off.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** console errors, page errors (uncaught exceptions) and failed requests, as text */
  problems: string[];
  /** fails the test if the page logged an error (a missing i18n key is one) */
  assertClean(): void;
  /**
   * Chromium logs every 4xx answer as a console error: drops those of `status` that a test
   * provoked on purpose, and fails if there was none.
   */
  forgetRefusals(status: number): void;
  close(): Promise<void>;
}

export interface PageOptions {
  /** the browser's language: `en` or `zh-CN` */
  locale?: string;
  /** a session_token cookie for the admin */
  sessionCookie?: string;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

/** A fresh context and page on `baseUrl` that records every console error and page error. */
export async function openPage(browser: Browser, baseUrl: string, o: PageOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext({
    locale: o.locale ?? 'en',
    viewport: o.viewport ?? { width: 1280, height: 900 },
    colorScheme: o.colorScheme ?? 'light',
  });
  if (o.sessionCookie) {
    await context.addCookies([{ name: 'session_token', value: o.sessionCookie, url: baseUrl }]);
  }
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return {
    page,
    context,
    problems,
    assertClean() {
      assert.deepEqual(problems, [], `the page logged errors:\n${problems.join('\n')}`);
    },
    forgetRefusals(status) {
      const refused = `the server responded with a status of ${status} `;
      const before = problems.length;
      for (let i = problems.length - 1; i >= 0; i--) if (problems[i]!.includes(refused)) problems.splice(i, 1);
      assert.ok(problems.length < before, `no ${status} answer was logged`);
    },
    close: () => context.close(),
  };
}
