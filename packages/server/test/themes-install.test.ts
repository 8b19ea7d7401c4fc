import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from './helpers/agent-common.ts';
import { listing, patchNames, post } from './helpers/restore.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { putTheme, shaped, themeFolders, themeZip, uploadTheme } from './helpers/themes.ts';

/*
 * Installing and managing theme packages (themes.md §1, §8.1–§8.4): through the chunked upload
 * and the older PUT, listed, selected, deleted; a reinstall replaces the folder whole; entries
 * that would land outside the theme folder, and symbolic links, are skipped as Komari skips them.
 */

const aurora = {
  name: { en: 'Aurora', 'zh-CN': '极光' },
  short: 'Aurora',
  description: 'A dark dashboard theme',
  version: '2.1.0',
  author: 'Example Dev',
  url: 'https://github.com/example/komari-theme-aurora',
  preview: 'preview.png',
  unknown_field: 'dropped',
  configuration: { type: 'managed', icon: '/themes/Aurora/dist/icon.svg', name: { en: 'Aurora settings' }, data: [{ key: 'accent', type: 'select', options: 'blue,green' }] },
};
const { unknown_field: _dropped, ...auroraShape } = aurora;

describe('theme packages: install, list, set, delete', () => {
  let s: TestServer;
  let cookie: string;
  const webRoot = mkdtempSync(join(tmpdir(), 'komari-web-'));

  before(async () => {
    mkdirSync(join(webRoot, 'dist'), { recursive: true });
    writeFileSync(join(webRoot, 'dist/index.html'), '<html><head></head><body>default</body></html>');
    writeFileSync(join(webRoot, 'komari-theme.json'), JSON.stringify({ name: 'Komari', short: 'default', version: '1.0.0' }));
    ({ s, cookie } = await startWithAdmin({ env: { KOMARI_WEB_ROOT: webRoot } }));
  });
  after(async () => {
    await s.dispose();
    rmSync(webRoot, { recursive: true, force: true });
  });

  const list = async () => (await http(s.url, '/api/admin/theme/list', { cookie })).json;

  it('lists only the default theme before anything is installed', async () => {
    assert.deepEqual(await list(), { status: 'success', message: '', data: [shaped({ name: 'Komari', short: 'default', version: '1.0.0' })] });
  });

  it('installs a package through the chunked upload: the fixed manifest shape, files served, the active theme unchanged', async () => {
    const zip = await themeZip(aurora, [
      { name: 'dist/index.html', data: '<html><head></head><body>aurora</body></html>' },
      { name: 'dist/assets/app.js', data: 'console.log("aurora")', mode: 0o100755 },
      { name: 'preview.png', data: 'PNG' },
    ]);
    const res = await uploadTheme(s, cookie, zip);
    assert.deepEqual([res.status, res.json], [200, { status: 'success', message: '主题上传成功', data: shaped(auroraShape) }]);
    assert.equal(readFileSync(join(s.dir, 'theme/Aurora/dist/assets/app.js'), 'utf8'), 'console.log("aurora")');
    assert.equal(lstatSync(join(s.dir, 'theme/Aurora/dist/assets/app.js')).mode & 0o777, 0o755, 'the mode comes from the archive');
    assert.equal((await http(s.url, '/themes/Aurora/dist/assets/app.js')).text, 'console.log("aurora")');
    assert.equal((await http(s.url, '/api/public')).json.data.theme, 'default');
    assert.deepEqual(themeFolders(s), { installed: ['Aurora'], staging: [] });
  });

  it('installs through PUT /api/admin/theme/upload, and lists default first, then the rest in name order', async () => {
    const res = await putTheme(s, cookie, await themeZip({ name: 'Abc', short: 'abc-1' }, [{ name: 'dist/index.html', data: 'abc' }]));
    assert.deepEqual([res.status, res.json], [200, { status: 'success', message: '主题上传成功', data: shaped({ name: 'Abc', short: 'abc-1' }) }]);
    const shorts = (await list()).data.map((m: { short: string }) => m.short);
    assert.deepEqual(shorts, ['default', 'Aurora', 'abc-1']);
  });

  it('PUT with an empty body is refused with Komari message', async () => {
    const res = await putTheme(s, cookie, Buffer.alloc(0));
    assert.deepEqual([res.status, res.json], [400, { status: 'error', message: '请选择要上传的主题文件' }]);
  });

  it('PUT uploads at once are bounded (themes.maxConcurrentPuts): past it 429 until one ends, and nothing is written for it', async () => {
    const url = new URL(`${s.url}/api/admin/theme/upload`);
    // Two PUTs that start their body and hold it: each holds its slot (and its file on disk).
    const errors: string[] = [];
    const held = [0, 1].map(() => {
      // a connection of its own, never a kept-alive one the server may be closing
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'PUT', agent: false, headers: { cookie: `session_token=${cookie}`, 'transfer-encoding': 'chunked' } });
      req.on('error', (err) => errors.push(err.message));
      req.on('response', (res) => errors.push(`answered ${res.statusCode}`));
      req.write(Buffer.alloc(1024, 1));
      return req;
    });
    // both hold their slot once both files are on disk (a held PUT that failed says why)
    const incoming = join(s.dir, '.uploads', '.incoming');
    await eventually(() => {
      assert.deepEqual(errors, [], 'a held PUT ended');
      return existsSync(incoming) && readdirSync(incoming).length >= 2;
    }, 15_000);
    const third = await putTheme(s, cookie, Buffer.alloc(0));
    assert.deepEqual([third.status, third.json, third.headers.get('retry-after')], [429, { status: 'error', message: '同时上传的主题过多，请稍后再试' }, '10']);
    for (const req of held) req.destroy();
    let after = third;
    await eventually(async () => (after = await putTheme(s, cookie, Buffer.alloc(0))).status !== 429, 15_000);
    assert.equal(after.status, 400, 'a slot frees when a held upload ends');
  });

  it('skips a folder whose manifest is broken', async () => {
    mkdirSync(join(s.dir, 'theme/broken'), { recursive: true });
    writeFileSync(join(s.dir, 'theme/broken/komari-theme.json'), '{not json');
    mkdirSync(join(s.dir, 'theme/empty'), { recursive: true });
    assert.deepEqual((await list()).data.map((m: { short: string }) => m.short), ['default', 'Aurora', 'abc-1']);
    rmSync(join(s.dir, 'theme/broken'), { recursive: true });
    rmSync(join(s.dir, 'theme/empty'), { recursive: true });
  });

  it('a reinstall replaces the folder whole: files the new package lacks are gone', async () => {
    const res = await uploadTheme(s, cookie, await themeZip({ ...aurora, version: '3.0.0' }, [{ name: 'dist/index.html', data: 'v3' }]));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data.version, '3.0.0');
    assert.ok(!existsSync(join(s.dir, 'theme/Aurora/dist/assets/app.js')));
    assert.ok(!existsSync(join(s.dir, 'theme/Aurora/preview.png')));
    assert.equal(readFileSync(join(s.dir, 'theme/Aurora/dist/index.html'), 'utf8'), 'v3');
    assert.deepEqual(themeFolders(s).staging, []);
  });

  it('sets the active theme, and default always', async () => {
    const res = await http(s.url, '/api/admin/theme/set?theme=Aurora', { cookie });
    assert.deepEqual([res.status, res.json], [200, { status: 'success', message: '主题设置成功', data: { theme: 'Aurora' } }]);
    assert.equal((await http(s.url, '/api/public')).json.data.theme, 'Aurora');
    assert.equal((await http(s.url, '/')).text, 'v3');
    const back = await http(s.url, '/api/admin/theme/set?theme=default', { cookie });
    assert.equal(back.status, 200);
    assert.equal((await http(s.url, '/api/public')).json.data.theme, 'default');
  });

  it('set refuses an empty, malformed or missing theme and changes nothing', async () => {
    const cases: Array<[string, number, string]> = [
      ['', 400, '主题名称不能为空'],
      ['?theme=', 400, '主题名称不能为空'],
      ['?theme=..', 400, '无效的主题名称'],
      ['?theme=a%2Fb', 400, '无效的主题名称'],
      ['?theme=nothere', 404, '主题不存在'],
    ];
    for (const [query, status, message] of cases) {
      const res = await http(s.url, `/api/admin/theme/set${query}`, { cookie });
      assert.deepEqual([res.status, res.json], [status, { status: 'error', message }], query);
    }
    assert.equal((await http(s.url, '/api/public')).json.data.theme, 'default');
  });

  it('delete refuses bad bodies, default, a bad charset and a missing theme', async () => {
    const before = listing(s.dir);
    const cases: Array<[unknown, number, RegExp | string]> = [
      ['{oops', 400, /^参数错误: /],
      [{}, 400, /^参数错误: /],
      [{ short: 5 }, 400, /^参数错误: /],
      [{ short: 'default' }, 400, '默认主题不能删除'],
      [{ short: '../theme' }, 400, '无效的主题名称'],
      [{ short: 'a b' }, 400, '无效的主题名称'],
      [{ short: 'nothere' }, 404, '主题不存在'],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(s, cookie, '/api/admin/theme/delete', body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.json.status, 'error');
      if (typeof message === 'string') assert.equal(res.json.message, message);
      else assert.match(res.json.message, message);
    }
    assert.deepEqual(listing(s.dir), before);
  });

  it('deletes a theme; the active setting is kept', async () => {
    await http(s.url, '/api/admin/theme/set?theme=abc-1', { cookie });
    const res = await post(s, cookie, '/api/admin/theme/delete', { short: 'abc-1' });
    assert.deepEqual([res.status, res.json], [200, { status: 'success', message: '主题删除成功' }]);
    assert.ok(!existsSync(join(s.dir, 'theme/abc-1')));
    assert.equal((await http(s.url, '/api/public')).json.data.theme, 'abc-1');
    assert.equal((await http(s.url, '/')).text, '<html><head></head><body>default</body></html>');
    assert.deepEqual((await list()).data.map((m: { short: string }) => m.short), ['default', 'Aurora']);
  });

  it('every theme endpoint wants an admin', async () => {
    for (const [method, path] of [['GET', '/api/admin/theme/list'], ['GET', '/api/admin/theme/set?theme=default'], ['POST', '/api/admin/theme/delete'], ['PUT', '/api/admin/theme/upload']] as const) {
      const res = await http(s.url, path, { method, body: method === 'GET' ? undefined : '{}' });
      assert.deepEqual([res.status, res.json], [401, { status: 'error', message: 'Unauthorized.' }], path);
    }
  });

  it('entries that climb out, absolute names and symbolic links are skipped; the rest installs', async () => {
    const zip = await themeZip({ name: 'Slip', short: 'slip' }, [
      { name: 'dist/index.html', data: 'slip' },
      { name: 'zz/escaped-1.txt', data: 'out' },
      { name: 'zz/zz/escaped-2.txt', data: 'out' },
      { name: 'ztmp/escaped-3.txt', data: 'out' },
      { name: 'dist/link', data: '/etc/passwd', mode: 0o120777 },
      { name: 'dist/a/../inside.txt'.replace('..', 'zz'), data: 'in' },
    ]);
    let patched = patchNames(zip, 'zz/escaped-1', '../escaped-1');
    patched = patchNames(patched, 'zz/zz/escaped-2', '../../escaped-2');
    patched = patchNames(patched, 'ztmp/escaped-3', '/tmp/escaped-3');
    patched = patchNames(patched, 'dist/a/zz/inside', 'dist/a/../inside');
    const res = await uploadTheme(s, cookie, patched);
    assert.equal(res.status, 200, res.text);
    const all = listing(s.dir);
    assert.ok(!all.some((p) => p.includes('escaped')), all.join('\n'));
    assert.ok(!existsSync('/tmp/escaped-3.txt'));
    assert.ok(!existsSync(join(s.dir, 'theme/slip/dist/link')), 'a symbolic link entry was written');
    assert.equal(readFileSync(join(s.dir, 'theme/slip/dist/inside.txt'), 'utf8'), 'in');
  });
});
