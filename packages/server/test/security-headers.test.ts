import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadBootConfig } from '../src/config/boot-config.ts';
import { addNode, sampleReport } from './helpers/agent-common.ts';
import { http, startWithAdmin, type HttpResult, type TestServer } from './helpers/server.ts';

const webRoot = mkdtempSync(join(tmpdir(), 'komari-web-headers-'));
mkdirSync(join(webRoot, 'dist'), { recursive: true });
writeFileSync(join(webRoot, 'dist', 'index.html'), '<!doctype html><html lang="en"><head><title>Komari Monitor</title></head><body></body></html>');
after(() => rmSync(webRoot, { recursive: true, force: true }));

function headersOf(res: HttpResult, names: string[]): Record<string, string | null> {
  return Object.fromEntries(names.map((n) => [n, res.headers.get(n)]));
}

const names = ['x-content-type-options', 'referrer-policy', 'x-frame-options', 'content-security-policy'];
const neverFramed = { 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'" };

describe('security headers on HTML and JSON answers', () => {
  let s: TestServer;
  let cookie: string;
  before(async () => ({ s, cookie } = await startWithAdmin({ env: { KOMARI_WEB_ROOT: webRoot } })));
  after(() => s.dispose());

  it('public pages may be framed by this server only; nosniff and a referrer policy', async () => {
    for (const path of ['/', '/instance/abc']) {
      const res = await http(s.url, path);
      assert.equal(res.status, 200);
      assert.deepEqual(headersOf(res, names), {
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'strict-origin-when-cross-origin',
        'x-frame-options': 'SAMEORIGIN',
        'content-security-policy': "frame-ancestors 'self'",
      }, path);
    }
  });

  it('the admin panel and the terminal are never frameable and send no referrer to other sites', async () => {
    for (const path of ['/admin', '/admin/nodes', '/terminal?uuid=x']) {
      const res = await http(s.url, path, { cookie });
      assert.equal(res.status, 200);
      assert.deepEqual(headersOf(res, names), { 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin', ...neverFramed }, path);
    }
  });

  it('JSON answers, errors included, carry nosniff and are not frameable', async () => {
    const ok = await http(s.url, '/api/public');
    const denied = await http(s.url, '/api/admin/client/list');
    const bad = await http(s.url, '/api/login', { method: 'POST', body: '{' });
    assert.deepEqual([ok.status, denied.status, bad.status], [200, 401, 400]);
    for (const res of [ok, denied, bad]) {
      assert.deepEqual(headersOf(res, names), { 'x-content-type-options': 'nosniff', 'referrer-policy': 'strict-origin-when-cross-origin', ...neverFramed });
    }
  });

  it('an agent-facing answer keeps its exact Content-Length', async () => {
    const { token } = await addNode(s, cookie, 'headers');
    const res = await http(s.url, `/api/clients/report?token=${token}`, { method: 'POST', body: sampleReport() });
    assert.deepEqual([res.status, res.json], [200, { status: 'success' }]);
    assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(res.text)));
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });
});

describe('KOMARI_FRAME_ANCESTORS', () => {
  it('lets the listed sites frame the public pages (CSP only), never the admin panel', async () => {
    const { s, cookie } = await startWithAdmin({ env: { KOMARI_WEB_ROOT: webRoot, KOMARI_FRAME_ANCESTORS: 'https://blog.example.com, https://status.example.org' } });
    try {
      const page = await http(s.url, '/');
      assert.equal(page.headers.get('content-security-policy'), "frame-ancestors 'self' https://blog.example.com https://status.example.org");
      assert.equal(page.headers.get('x-frame-options'), null);
      assert.deepEqual(headersOf(await http(s.url, '/admin', { cookie }), ['x-frame-options', 'content-security-policy']), neverFramed);
    } finally {
      await s.dispose();
    }
  });

  it('* lets any site frame the public pages', async () => {
    const { s } = await startWithAdmin({ env: { KOMARI_WEB_ROOT: webRoot, KOMARI_FRAME_ANCESTORS: '*' } });
    try {
      assert.deepEqual(headersOf(await http(s.url, '/'), ['x-frame-options', 'content-security-policy']), { 'x-frame-options': null, 'content-security-policy': null });
    } finally {
      await s.dispose();
    }
  });

  it('a value that would inject other CSP directives is refused at start, naming the variable', () => {
    assert.throws(() => loadBootConfig({}, { KOMARI_FRAME_ANCESTORS: "https://a.example; script-src 'unsafe-inline'" }), /KOMARI_FRAME_ANCESTORS/);
  });
});
