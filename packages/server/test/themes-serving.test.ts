import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';

// A default theme of our own (KOMARI_WEB_ROOT), so these tests do not depend on the web build.
const template = `<!doctype html>
<html lang="en">
<head><meta name="description" content="A simple server monitor tool." /><title>Komari Monitor</title></head>
<body><div id="root"></div></body>
</html>`;

function write(root: string, rel: string, text: string): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
}

/** A GET whose path is sent exactly as written (fetch would straighten out `/../`). */
function rawGet(base: string, path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(base + '/', { path }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the web UI as the default theme (themes.md §4)', () => {
  let s: TestServer;
  let cookie: string;
  const webRoot = mkdtempSync(join(tmpdir(), 'komari-web-'));
  before(async () => {
    write(webRoot, 'dist/index.html', template);
    write(webRoot, 'dist/assets/app.js', 'console.log(1)');
    write(webRoot, 'dist/favicon.ico', 'ICO');
    write(webRoot, 'komari-theme.json', '{"name":"Default","short":"default"}');
    write(webRoot, 'package.json', '{"name":"@komari-ts/web","private":true}');
    write(webRoot, 'src/main.tsx', 'source code');
    ({ s, cookie } = await startWithAdmin({ env: { KOMARI_WEB_ROOT: webRoot } }));
  });
  after(async () => {
    await s.dispose();
    rmSync(webRoot, { recursive: true, force: true });
  });
  const settings = (body: Record<string, unknown>) => http(s.url, '/api/admin/settings', { method: 'POST', cookie, body });

  it('serves the index for client-side routes, unknown /api GETs included', async () => {
    for (const path of ['/', '/instance/abc', '/admin/nodes', '/terminal?uuid=x', '/api/nothing-here', '/assets/missing.js']) {
      const res = await http(s.url, path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/, path);
      assert.match(res.text, /<div id="root">/, path);
    }
  });

  it('serves built assets as files with their content type', async () => {
    const js = await http(s.url, '/assets/app.js');
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.equal(js.text, 'console.log(1)');
    const ico = await http(s.url, '/favicon.ico');
    assert.equal(ico.text, 'ICO');
    assert.equal((await http(s.url, '/themes/default/komari-theme.json')).status, 200);
    assert.equal((await http(s.url, '/themes/default/nope.txt')).status, 404);
  });

  it('puts the site settings into the public index, verbatim, but not into /admin', async () => {
    const r = await settings({ sitename: 'Fleet <b>', description: 'Our servers', custom_head: '<meta name="x-head" content="1">', custom_body: '<script>window.x=1</script>' });
    assert.equal(r.status, 200, r.text);
    const page = (await http(s.url, '/instance/1')).text;
    assert.match(page, /<title>Fleet <b><\/title>/);
    assert.match(page, /content="Our servers"/);
    assert.match(page, /<meta name="x-head" content="1"><\/head>/);
    assert.match(page, /<script>window.x=1<\/script><\/body>/);
    const admin = (await http(s.url, '/admin')).text;
    assert.match(admin, /<title>Komari Monitor<\/title>/);
    assert.doesNotMatch(admin, /x-head/);
  });

  it('sets <html lang> from the language cookie, and ignores a malformed one', async () => {
    const zh = await http(s.url, '/', { headers: { cookie: 'language=zh_CN' } });
    assert.match(zh.text, /<html lang="zh-CN">/);
    const bad = await http(s.url, '/', { headers: { cookie: 'language=<x>' } });
    assert.match(bad.text, /<html lang="en">/);
  });

  it('answers unmatched non-GET requests 404 with an empty body, and rejects climbing out', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await http(s.url, '/instance/abc', { method });
      assert.equal(res.status, 404);
      assert.equal(res.text, '');
    }
    const climb = await http(s.url, '/themes/default/..%2f..%2fetc%2fpasswd');
    assert.equal(climb.status, 404);
    const climbSpa = await http(s.url, '/..%2f..%2fpackage.json');
    assert.doesNotMatch(climbSpa.text, /"name"/);
  });

  it('serves only dist/, the manifest and the manifest\'s preview: sources, climbs, backslashes and outward symlinks are 404', async () => {
    const root = join(s.dir, 'theme', 'Leaky');
    write(root, 'komari-theme.json', '{"name":"Leaky","short":"Leaky","preview":"preview.png"}');
    write(root, 'preview.png', 'PNG');
    write(root, 'package.json', '{"name":"leaky-source"}');
    write(root, 'secret.txt', 'theme secret');
    write(root, 'dist/index.html', '<html><body>leaky</body></html>');
    symlinkSync(join(root, 'secret.txt'), join(root, 'dist', 'inner-link.txt'));
    symlinkSync(join(webRoot, 'package.json'), join(root, 'dist', 'outer-link.json'));
    const refused = [
      '/themes/default/package.json', '/themes/default/src/main.tsx', '/..%2fpackage.json', '/themes/default/../package.json',
      '/themes/default/dist/../package.json', '/themes/default/dist/%2e%2e/package.json', '/%2e%2e/package.json',
      '/themes/default/dist%5c..%5cpackage.json', '/..%5cpackage.json', '/themes/Leaky/package.json', '/themes/Leaky/secret.txt',
      '/themes/Leaky/dist/inner-link.txt', '/themes/Leaky/dist/outer-link.json',
    ];
    for (const path of refused) {
      const res = await rawGet(s.url, path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(res.text, /"name"|secret|source/, path);
    }
    assert.equal((await http(s.url, '/themes/default/dist/assets/app.js')).text, 'console.log(1)');
    assert.equal((await http(s.url, '/themes/default/komari-theme.json')).json.short, 'default');
    assert.equal((await http(s.url, '/themes/Leaky/komari-theme.json')).json.short, 'Leaky');
    assert.equal((await http(s.url, '/themes/Leaky/preview.png')).text, 'PNG');
    assert.match((await http(s.url, '/themes/Leaky/dist/index.html')).text, /leaky/);
  });

  it('an installed theme serves its own files and inherits the rest from the default', async () => {
    const root = join(s.dir, 'theme', 'Aurora');
    write(root, 'komari-theme.json', '{"name":"Aurora","short":"Aurora"}');
    write(root, 'dist/index.html', '<html><head><title>Komari Monitor</title></head><body>aurora</body></html>');
    await settings({ theme: 'Aurora' });
    try {
      const page = await http(s.url, '/', { headers: { cookie: 'language=de' } });
      assert.match(page.text, /aurora/);
      assert.match(page.text, /<html lang="de">/);
      assert.equal((await http(s.url, '/assets/app.js')).text, 'console.log(1)');
      assert.match((await http(s.url, '/admin')).text, /<div id="root">/, '/admin stays the default theme');
      assert.equal((await http(s.url, '/themes/Aurora/komari-theme.json')).json.short, 'Aurora');
      assert.equal((await http(s.url, '/themes/..%2fAurora/komari-theme.json')).status, 404);
    } finally {
      await settings({ theme: 'default' });
    }
  });

  it('hands out the share cookie for a valid temp_key and nothing for a wrong one', async () => {
    await settings({ tempory_share_token: 'share-token-1', tempory_share_token_expire_at: Math.floor(Date.now() / 1000) + 600 });
    const ok = await http(s.url, '/?temp_key=share-token-1');
    assert.match(ok.headers.get('set-cookie') ?? '', /^temp_key=share-token-1; Path=\/; Max-Age=\d+/);
    const wrong = await http(s.url, '/?temp_key=other');
    assert.equal(wrong.headers.get('set-cookie'), null);
  });
});

describe('a server whose web UI is not built', () => {
  it('says which index file is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'komari-web-empty-'));
    const { s } = await startWithAdmin({ env: { KOMARI_WEB_ROOT: empty } });
    try {
      const res = await http(s.url, '/');
      assert.equal(res.status, 404);
      assert.equal(res.text, 'Index file missing (checked default/dist/index.html and default).');
    } finally {
      await s.dispose();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
