import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';

// A default theme of our own (KOMARI_WEB_ROOT): the built-in UI's index and its hashed assets.
const builtInIndex = `<!doctype html><html lang="en"><head><title>Komari Monitor</title>
<script type="module" src="/assets/index-BuiltIn1.js"></script></head><body><div id="root">built-in</div></body></html>`;

function write(root: string, rel: string, text: string | Buffer): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
}

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('rest of a png')]);
const sw = { 'service-worker': 'script' };

async function putFavicon(s: TestServer, cookie: string, body: Buffer): Promise<{ status: number; json: unknown }> {
  const res = await fetch(s.url + '/api/admin/update/favicon', { method: 'PUT', headers: { cookie: `session_token=${cookie}`, 'content-type': 'application/octet-stream' }, body });
  return { status: res.status, json: await res.json() };
}

describe('a theme never takes over the built-in UI (themes.md §4.4, §6)', () => {
  let s: TestServer;
  let cookie: string;
  const webRoot = mkdtempSync(join(tmpdir(), 'komari-web-iso-'));
  before(async () => {
    write(webRoot, 'dist/index.html', builtInIndex);
    write(webRoot, 'dist/assets/index-BuiltIn1.js', 'console.log("built-in")');
    write(webRoot, 'dist/favicon.ico', 'DEFAULT-ICO');
    ({ s, cookie } = await startWithAdmin({ env: { KOMARI_WEB_ROOT: webRoot }, limits: { themeServing: { maxFaviconBytes: 1024 * 1024, maxServiceWorkerScriptBytes: 1000, maxGuardAssetPaths: 100 } } }));
    const root = join(s.dir, 'theme', 'Pwa');
    write(root, 'komari-theme.json', '{"name":"Pwa","short":"Pwa"}');
    write(root, 'dist/index.html', '<html><head><title>Komari Monitor</title></head><body>pwa home</body></html>');
    write(root, 'dist/sw.js', 'self.addEventListener("fetch", (e) => e.respondWith(new Response("HIJACKED")));');
    write(root, 'dist/big-sw.js', '//' + 'x'.repeat(2000));
    write(root, 'dist/notes.txt', 'alert(1)');
    // A theme that tries to answer in the built-in UI's place.
    write(root, 'dist/administrator', 'THEME ADMIN');
    write(root, 'dist/admin/x.html', 'THEME ADMIN PAGE');
    write(root, 'dist/terminal.js', 'THEME TERMINAL');
    write(root, 'dist/assets/index-BuiltIn1.js', 'console.log("replaced by the theme")');
    assert.equal((await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { theme: 'Pwa' } })).status, 200);
  });
  after(async () => {
    await s.dispose();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('serves the active theme at / and its files with nosniff', async () => {
    assert.match((await http(s.url, '/')).text, /pwa home/);
    const txt = await http(s.url, '/notes.txt');
    assert.equal(txt.text, 'alert(1)');
    assert.equal(txt.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await http(s.url, '/themes/Pwa/dist/notes.txt')).headers.get('x-content-type-options'), 'nosniff');
  });

  it('answers /admin*, /terminal* and the built-in assets from the default theme, whatever the theme ships', async () => {
    for (const path of ['/admin', '/administrator', '/admin/x.html', '/terminal.js', '/terminal?uuid=1']) {
      const res = await http(s.url, path, { cookie });
      assert.equal(res.status, 200, path);
      assert.match(res.text, /built-in/, path);
      assert.doesNotMatch(res.text, /THEME/, path);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(res.headers.get('content-security-policy'), "frame-ancestors 'none'", path);
    }
    assert.equal((await http(s.url, '/assets/index-BuiltIn1.js')).text, 'console.log("built-in")');
  });

  it('puts the guard in front of a script fetched as a service worker, and only then', async () => {
    const plain = await http(s.url, '/sw.js');
    assert.equal(plain.text, 'self.addEventListener("fetch", (e) => e.respondWith(new Response("HIJACKED")));');
    const guarded = await http(s.url, '/sw.js', { headers: sw });
    assert.equal(guarded.status, 200);
    assert.match(guarded.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.ok(guarded.text.endsWith(plain.text));
    const guard = guarded.text.slice(0, -plain.text.length);
    assert.match(guard, /stopImmediatePropagation/);
    assert.match(guard, /"\/assets\/index-BuiltIn1\.js"/, 'the built-in assets are listed into the guard');
    assert.ok((await http(s.url, '/themes/Pwa/dist/sw.js', { headers: sw })).text.startsWith(guard));
    // A module worker's imports come without Service-Worker but as its destination: guarded too.
    assert.equal((await http(s.url, '/sw.js', { headers: { 'sec-fetch-dest': 'serviceworker' } })).text, guarded.text);
    assert.equal((await http(s.url, '/sw.js', { headers: { 'sec-fetch-dest': 'script' } })).text, plain.text);
    // Not a script: left alone (the browser refuses it as a worker anyway).
    assert.equal((await http(s.url, '/notes.txt', { headers: sw })).text, 'alert(1)');
  });

  it('refuses a worker script too large to guard rather than send it unguarded', async () => {
    const res = await http(s.url, '/big-sw.js', { headers: sw });
    assert.equal(res.status, 403);
    assert.doesNotMatch(res.text, /xxxx/);
    assert.equal((await http(s.url, '/big-sw.js')).status, 200);
  });
});

describe('the uploaded favicon (admin-api.md §3.7, themes.md §4.2)', () => {
  let s: TestServer;
  let cookie: string;
  const webRoot = mkdtempSync(join(tmpdir(), 'komari-web-ico-'));
  before(async () => {
    write(webRoot, 'dist/index.html', builtInIndex);
    write(webRoot, 'dist/favicon.ico', 'DEFAULT-ICO');
    ({ s, cookie } = await startWithAdmin({ env: { KOMARI_WEB_ROOT: webRoot }, limits: { themeServing: { maxFaviconBytes: 1024 * 1024, maxServiceWorkerScriptBytes: 1000, maxGuardAssetPaths: 100 } } }));
  });
  after(async () => {
    await s.dispose();
    rmSync(webRoot, { recursive: true, force: true });
  });
  it('needs the admin', async () => {
    const res = await fetch(s.url + '/api/admin/update/favicon', { method: 'PUT', body: png });
    assert.equal(res.status, 401);
    assert.equal((await http(s.url, '/api/admin/update/favicon', { method: 'POST' })).status, 401);
    assert.equal(existsSync(join(s.dir, 'favicon.ico')), false);
  });

  it('refuses what is not an image (text, SVG, empty) and what is too large, changing nothing', async () => {
    const notImages = [Buffer.from('hello'), Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), Buffer.alloc(0), Buffer.from('<html>')];
    for (const body of notImages) {
      const res = await putFavicon(s, cookie, body);
      assert.deepEqual(res, { status: 400, json: { status: 'error', message: 'Invalid image file: expected ICO, PNG, GIF, JPEG, WebP or BMP' } }, body.toString());
    }
    const big = await putFavicon(s, cookie, Buffer.concat([png, Buffer.alloc(1024 * 1024)]));
    assert.deepEqual(big, { status: 413, json: { status: 'error', message: 'File too large. Maximum size is 1MB' } });
    assert.equal(existsSync(join(s.dir, 'favicon.ico')), false);
    assert.equal((await http(s.url, '/favicon.ico')).text, 'DEFAULT-ICO');
  });

  it('serves an uploaded icon ahead of the theme\'s, with Last-Modified and 304, and deletes it', async () => {
    assert.deepEqual(await putFavicon(s, cookie, png), { status: 200, json: { status: 'success', message: '' } });
    assert.deepEqual(readFileSync(join(s.dir, 'favicon.ico')), png, 'kept where backup and restore take it');
    const res = await fetch(s.url + '/favicon.ico');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), png);
    const lastModified = res.headers.get('last-modified');
    assert.ok(lastModified);
    const again = await fetch(s.url + '/favicon.ico', { headers: { 'if-modified-since': lastModified } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    const older = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    assert.equal((await fetch(s.url + '/favicon.ico', { headers: { 'if-modified-since': older } })).status, 200);
    assert.equal((await fetch(s.url + '/favicon.ico', { headers: { 'if-modified-since': 'garbage' } })).status, 200);

    const del = await http(s.url, '/api/admin/update/favicon', { method: 'POST', cookie });
    assert.deepEqual([del.status, del.json], [200, { status: 'success', message: '' }]);
    assert.equal((await http(s.url, '/favicon.ico')).text, 'DEFAULT-ICO');
    const gone = await http(s.url, '/api/admin/update/favicon', { method: 'POST', cookie });
    assert.deepEqual([gone.status, gone.json], [404, { status: 'error', message: 'Favicon not found' }]);

    const logs = JSON.stringify((await http(s.url, '/api/admin/logs?limit=50&page=1', { cookie })).json);
    assert.ok(logs.includes('Favicon uploaded'));
    assert.ok(logs.includes('Favicon deleted'));
  });
});
