import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { answerJson, startCaptureServer, type CaptureServer } from './helpers/capture-server.ts';
import { post, zipOf } from './helpers/restore.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';

/**
 * Installing themes from a URL (themes.md §8.5, §8.6) against local servers standing in for the
 * internet and for GitHub's API. The server is given the test-only allowance for the stand-in's
 * port alone; every other loopback port stays refused.
 */

const manifest = (short: string, version: string, url = '') => ({ name: { en: `Theme ${short}` }, short, version, author: 'Dev', url });
const themeZip = (m: object, extra = 'v') =>
  zipOf([
    { name: 'komari-theme.json', data: JSON.stringify(m) },
    { name: 'dist/index.html', data: `<!doctype html><title>${extra}</title>` },
  ]);

describe('theme import and update from a URL', () => {
  let s: TestServer;
  let cookie: string;
  let net: CaptureServer;
  let other: CaptureServer;
  /** path → zip bytes the stand-in serves */
  const served = new Map<string, Buffer>();
  /** `owner/repo` → the release GitHub's stand-in answers (absent: 404) */
  const releases = new Map<string, unknown>();
  /** downloads the stand-in keeps open until the test lets them go */
  const held: ServerResponse[] = [];
  let heldChanged = (): void => {};
  const themeDir = (short: string) => join(s.dir, 'theme', short);
  const downloadsLeft = () => (existsSync(join(s.dir, '.theme-downloads')) ? readdirSync(join(s.dir, '.theme-downloads')) : []);

  before(async () => {
    other = await startCaptureServer((_req, res) => res.end('not reached'));
    net = await startCaptureServer((req, res) => {
      const p = req.url.pathname;
      const rel = /^\/repos\/([^/]+)\/([^/]+)\/releases\/latest$/.exec(p);
      if (rel) {
        const r = releases.get(`${rel[1]}/${rel[2]}`);
        return r === undefined ? answerJson(res, 404, { message: 'Not Found' }) : answerJson(res, 200, r);
      }
      if (p === '/redirect-out') return void res.writeHead(302, { location: `${other.url}/pkg.zip` }).end();
      if (p === '/empty.zip') return void res.writeHead(200).end();
      if (p === '/hold.zip') {
        held.push(res);
        res.writeHead(200, { 'content-length': 1000 }).write('PK');
        return heldChanged();
      }
      const zip = served.get(p);
      if (zip) return void res.writeHead(200, { 'content-type': 'application/zip' }).end(zip);
      res.writeHead(404).end('no');
    });
    const port = Number(new URL(net.url).port);
    ({ s, cookie } = await startWithAdmin({ outboundForTests: { loopbackPorts: [port], githubApiBase: net.url }, limits: { themeDownload: { maxBytes: 256 * 1024 } } }));
    served.set('/aurora-1.zip', await themeZip(manifest('Aurora', '1.0.0', `${net.url}/aurora-2.zip`), 'one'));
    served.set('/aurora-2.zip', await themeZip(manifest('Aurora', '2.0.0'), 'two'));
    served.set('/nova.zip', await themeZip(manifest('Nova', '1.0.0', 'https://github.com/example/komari-theme-nova'), 'nova-1'));
    served.set('/nova-release.zip', await themeZip(manifest('Nova', '1.5.0', 'https://github.com/example/komari-theme-nova'), 'nova-release'));
    served.set('/not-a-theme.zip', await zipOf([{ name: 'readme.txt', data: 'hi' }]));
    served.set('/not-a-zip.zip', Buffer.from('<html>a web page</html>'));
    served.set('/big.zip', Buffer.alloc(300 * 1024, 1));
    releases.set('example/komari-theme-nova', { tag_name: 'v1.5.0', assets: [{ browser_download_url: `${net.url}/nova-release.zip` }, { browser_download_url: `${net.url}/nope` }] });
    releases.set('example/no-assets', { tag_name: 'v0', assets: [] });
    releases.set('example/private-asset', { assets: [{ browser_download_url: 'http://169.254.169.254/latest/meta-data/' }] });
  });
  after(async () => {
    await s.dispose();
    await net.close();
    await other.close();
  });
  beforeEach(() => assert.deepEqual(downloadsLeft(), [], 'no download is left behind'));

  const importUrl = (url: unknown, preview = false) => post(s, cookie, `/api/admin/theme/import${preview ? '?preview=true' : ''}`, { url });
  const update = (body: object) => post(s, cookie, '/api/admin/theme/update', body);

  it('preview downloads and checks the package, installs nothing, and says whether the short exists', async () => {
    const res = await importUrl(`${net.url}/aurora-1.zip`, true);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'success');
    assert.equal(res.json.data.exists, false);
    assert.equal(res.json.data.theme.short, 'Aurora');
    assert.equal(res.json.data.theme.version, '1.0.0');
    assert.deepEqual(res.json.data.theme.configuration, { type: '', icon: '', name: null, data: null });
    assert.equal(existsSync(themeDir('Aurora')), false);
    assert.deepEqual(readdirSync(join(s.dir, '.theme-staging')), [], 'the preview extraction is gone');
  });

  it('import installs with 主题导入成功, then a second preview says exists and a second import says it replaced', async () => {
    const first = await importUrl(`${net.url}/aurora-1.zip`);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.message, '主题导入成功');
    assert.equal(first.json.data.short, 'Aurora');
    assert.match(readFileSync(join(themeDir('Aurora'), 'dist/index.html'), 'utf8'), /one/);
    assert.equal((await http(s.url, '/themes/Aurora/dist/index.html')).status, 200);

    const preview = await importUrl(`${net.url}/aurora-1.zip`, true);
    assert.equal(preview.json.data.exists, true);

    const again = await importUrl(`${net.url}/aurora-1.zip`);
    assert.equal(again.json.message, '主题导入成功（已覆盖同名主题）');
  });

  it('a GitHub repository URL imports the first asset of the latest release', async () => {
    for (const url of ['https://github.com/example/komari-theme-nova', 'https://www.github.com/example/komari-theme-nova.git']) {
      const before = net.seen.length;
      const res = await importUrl(url, true);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.data.theme.version, '1.5.0');
      assert.deepEqual(net.seen.slice(before).map((r) => r.url.pathname), ['/repos/example/komari-theme-nova/releases/latest', '/nova-release.zip']);
    }
  });

  it('a GitHub failure is 从GitHub获取下载链接失败, a refused asset is 下载主题失败', async () => {
    const missing = await importUrl('https://github.com/example/gone');
    assert.equal(missing.status, 400);
    assert.equal(missing.json.message, '从GitHub获取下载链接失败: unexpected HTTP status 404');
    const empty = await importUrl('https://github.com/example/no-assets');
    assert.equal(empty.json.message, '从GitHub获取下载链接失败: no downloadable assets in GitHub release');
    const bad = await importUrl('https://github.com/ex%2F..%2Fample/x');
    assert.equal(bad.json.message, '从GitHub获取下载链接失败: invalid GitHub repository owner or name');
    const metadata = await importUrl('https://github.com/example/private-asset');
    assert.equal(metadata.status, 400);
    assert.match(metadata.json.message, /^下载主题失败: refusing to connect to 169\.254\.169\.254/);
  });

  it('refused targets answer 下载主题失败 with the reason and install nothing', async () => {
    const cases: Array<[string, RegExp]> = [
      [`${other.url}/pkg.zip`, /not a public address/],
      [`http://localhost:${new URL(net.url).port}/aurora-1.zip`, /localhost .*not a public address/],
      ['http://10.0.0.8/t.zip', /10\.0\.0\.8.*not a public address/],
      ['http://192.168.1.1/t.zip', /not a public address/],
      ['http://[::1]/t.zip', /not a public address/],
      ['http://[fe80::1]/t.zip', /not a public address/],
      [`${net.url}/redirect-out`, /not a public address/],
      ['ftp://example.com/t.zip', /unsupported URL scheme ftp:/],
      ['file:///etc/passwd', /unsupported URL scheme file:/],
      [`http://user:hunter2@127.0.0.1:${new URL(net.url).port}/aurora-1.zip`, /credentials in the URL are not allowed$/],
      [`${net.url}/big.zip`, /larger than 262144 bytes/],
      [`${net.url}/empty.zip`, /downloaded theme file is empty/],
      [`${net.url}/missing.zip`, /unexpected HTTP status 404/],
    ];
    const seen = other.seen.length;
    for (const [url, reason] of cases) {
      const res = await importUrl(url);
      assert.equal(res.status, 400, url);
      assert.match(res.json.message, /^下载主题失败: /, url);
      assert.match(res.json.message, reason, url);
      assert.doesNotMatch(res.json.message, /hunter2/);
    }
    assert.equal(other.seen.length, seen, 'no refused hop was contacted');
    assert.deepEqual(readdirSync(join(s.dir, 'theme')), ['Aurora'], 'nothing else was installed');
  });

  it('a downloaded file that is not a theme gets the package messages (preview wording for preview)', async () => {
    const noManifest = await importUrl(`${net.url}/not-a-theme.zip`, true);
    assert.equal(noManifest.status, 400);
    assert.equal(noManifest.json.message, '主题配置文件 komari-theme.json 不存在，不是合法的主题包');
    const installNoManifest = await importUrl(`${net.url}/not-a-theme.zip`);
    assert.equal(installNoManifest.json.message, '主题配置文件 komari-theme.json 不存在');
    const notZip = await importUrl(`${net.url}/not-a-zip.zip`);
    assert.equal(notZip.status, 400);
    assert.match(notZip.json.message, /^无法打开ZIP文件: /);
  });

  it('bad bodies are 参数错误 and download nothing', async () => {
    const before = net.seen.length;
    for (const body of ['not json', '[]', '{}', '{"url":""}', '{"url":42}']) {
      const res = await http(s.url, '/api/admin/theme/import', { method: 'POST', cookie, body });
      assert.equal(res.status, 400, body);
      assert.match(res.json.message, /^参数错误: /, body);
    }
    assert.equal(net.seen.length, before);
  });

  it('two downloads at once at most: a third is 429 until one ends', async () => {
    const bothHeld = new Promise<void>((resolve) => (heldChanged = () => held.length === 2 && resolve()));
    const slow = [importUrl(`${net.url}/hold.zip`), importUrl(`${net.url}/hold.zip`)];
    await bothHeld;
    const third = await importUrl(`${net.url}/aurora-2.zip`);
    assert.equal(third.status, 429);
    assert.equal(third.headers.get('retry-after'), '10');
    for (const res of held.splice(0)) res.destroy();
    for (const res of await Promise.all(slow)) {
      assert.equal(res.status, 400);
      assert.match(res.json.message, /^下载主题失败: the connection closed before the file was complete$/);
    }
    assert.equal((await importUrl(`${net.url}/aurora-2.zip`, true)).status, 200);
  });

  it('needs an admin', async () => {
    const res = await http(s.url, '/api/admin/theme/import', { method: 'POST', body: { url: `${net.url}/aurora-1.zip` } });
    assert.equal(res.status, 401);
    assert.equal((await http(s.url, '/api/admin/theme/update', { method: 'POST', body: { short: 'Aurora' } })).status, 401);
  });

  it('update follows the installed manifest’s url first', async () => {
    await importUrl(`${net.url}/aurora-1.zip`);
    const res = await update({ short: 'Aurora', url: `${net.url}/nova.zip` });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.message, '主题更新成功');
    assert.equal(res.json.data.version, '2.0.0', 'aurora-1’s manifest names aurora-2.zip');
    assert.match(readFileSync(join(themeDir('Aurora'), 'dist/index.html'), 'utf8'), /two/);
    assert.equal(existsSync(themeDir('Nova')), false, 'the request’s url was not needed');
  });

  it('update with a manifest url naming a GitHub repository takes its latest release', async () => {
    await importUrl(`${net.url}/nova.zip`);
    const res = await update({ short: 'Nova' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data.version, '1.5.0');
  });

  it('update falls back to git_owner + git_repo, then to a new url; each fails with its own words', async () => {
    // aurora-2 names no url: the installed manifest gives nothing to try
    const byRepo = await update({ short: 'Aurora', git_owner: 'example', git_repo: 'komari-theme-nova' });
    assert.equal(byRepo.status, 200, byRepo.text);
    assert.equal(byRepo.json.data.short, 'Nova', 'the package’s own short decides where it goes');
    await importUrl(`${net.url}/aurora-2.zip`);

    const byUrl = await update({ short: 'Aurora', url: `${net.url}/aurora-2.zip` });
    assert.equal(byUrl.json.message, '主题更新成功');
    const byGithubUrl = await update({ short: 'Aurora', url: 'https://github.com/example/komari-theme-nova' });
    assert.equal(byGithubUrl.json.data.version, '1.5.0');

    const noRelease = await update({ short: 'Aurora', git_owner: 'example', git_repo: 'gone', url: `${net.url}/aurora-2.zip` });
    assert.equal(noRelease.json.message, '从GitHub获取下载链接失败: unexpected HTTP status 404', 'git_owner/git_repo win over url');
    const refusedAsset = await update({ short: 'Aurora', git_owner: 'example', git_repo: 'private-asset' });
    assert.match(refusedAsset.json.message, /^从GitHub下载主题失败: refusing to connect to 169\.254\.169\.254/);
    const refusedUrl = await update({ short: 'Aurora', url: 'http://10.1.1.1/x.zip' });
    assert.match(refusedUrl.json.message, /^从新URL下载主题失败: refusing to connect to 10\.1\.1\.1/);
  });

  it('update with nothing downloadable is 无法下载主题，请提供有效的URL或GitHub仓库信息', async () => {
    await importUrl(`${net.url}/aurora-2.zip`);
    for (const body of [{ short: 'Aurora' }, { short: 'Aurora', git_owner: 'example' }, { short: 'Aurora', git_repo: 'x' }]) {
      const res = await update(body);
      assert.equal(res.status, 400);
      assert.equal(res.json.message, '无法下载主题，请提供有效的URL或GitHub仓库信息');
    }
  });

  it('update refuses bad and unknown shorts', async () => {
    assert.equal((await update({})).json.message, '参数错误: short is required');
    assert.equal((await update({ short: 7 })).json.message, '参数错误: short must be a string');
    const bad = await update({ short: '../theme' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.message, '无效的主题名称');
    const gone = await update({ short: 'Nobody', url: `${net.url}/aurora-2.zip` });
    assert.equal(gone.status, 404);
    assert.equal(gone.json.message, '主题不存在');
  });
});
