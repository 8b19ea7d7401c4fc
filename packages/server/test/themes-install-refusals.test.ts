import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { normaliseRedirect } from '../src/themes/install/manifest.ts';
import { listing, patchNames, zipOf, type ZipEntry } from './helpers/restore.ts';
import { startWithAdmin, type TestServer } from './helpers/server.ts';
import { putTheme, themeFolders, themeZip, uploadTheme } from './helpers/themes.ts';

/*
 * Bad theme packages (themes.md §1–§3): each is answered with Komari's message, through the
 * chunked upload and the PUT, and leaves no theme folder and no staging left-overs. The size
 * bounds are shrunk through limits overrides; the zip bombs inflate past them, one with honest
 * headers, one whose headers claim a few bytes (stopped by the bytes actually produced).
 */

const limits = { maxEntries: 20, maxFileBytes: 100_000, maxTotalBytes: 250_000, maxManifestBytes: 4096 };
const good = { name: 'Good', short: 'good' };

/** Sets the uncompressed size every central-directory record declares (a lying header). */
function lieAboutSizes(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  const sig = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let i = out.indexOf(sig); i !== -1; i = out.indexOf(sig, i + 1)) out.writeUInt32LE(size, i + 24);
  return out;
}

const files = (n: number, bytes: number): ZipEntry[] => Array.from({ length: n }, (_, i) => ({ name: `dist/f${i}.bin`, data: Buffer.alloc(bytes, i) }));
const redirect = (data: unknown) => themeZip({ ...good, configuration: { type: 'redirect', data } });

const cases: Array<[string, () => Promise<Buffer>, string | RegExp]> = [
  ['not a zip', async () => Buffer.from('this is not a zip file at all'), /^无法打开ZIP文件: ./],
  ['no manifest', () => zipOf([{ name: 'dist/index.html', data: 'x' }]), '主题配置文件 komari-theme.json 不存在'],
  ['the manifest in a wrapping folder', () => zipOf([{ name: 'good/komari-theme.json', data: JSON.stringify(good) }]), '主题配置文件 komari-theme.json 不存在'],
  ['a manifest over the bound', () => themeZip({ ...good, description: 'x'.repeat(5000) }), '主题配置文件超过 4096 字节限制'],
  ['a manifest whose header lies about its size', async () => lieAboutSizes(await themeZip({ ...good, description: 'x'.repeat(50_000) }), 100), '主题配置文件超过 4096 字节限制'],
  ['a manifest that is not JSON', () => themeZip('{"name": "x",'), /^主题配置格式错误: ./],
  ['a manifest that is an array', () => themeZip([good]), /^主题配置格式错误: json: cannot unmarshal array/],
  ['a short that is a number', () => themeZip({ name: 'x', short: 5 }), /^主题配置格式错误: json: cannot unmarshal number into Go struct field Theme\.short/],
  ['no name', () => themeZip({ short: 'good' }), '主题配置缺少必填字段（name、short）'],
  ['a blank name', () => themeZip({ name: '  ', short: 'good' }), '主题配置缺少必填字段（name、short）'],
  ['a name map without text', () => themeZip({ name: { en: ' ', fr: 3 }, short: 'good' }), '主题配置缺少必填字段（name、short）'],
  ['no short', () => themeZip({ name: 'x' }), '主题配置缺少必填字段（name、short）'],
  ['a short with a slash', () => themeZip({ name: 'x', short: 'a/b' }), '主题short字段格式无效，只允许字母、数字、下划线和连字符'],
  ['a short with dots', () => themeZip({ name: 'x', short: '..' }), '主题short字段格式无效，只允许字母、数字、下划线和连字符'],
  ['the short default', () => themeZip({ name: 'x', short: 'default' }), '主题short字段格式无效，只允许字母、数字、下划线和连字符'],
  ['raw without HTML', () => themeZip({ ...good, configuration: { type: 'raw', data: '  ' } }), 'raw 类型主题需要在 configuration.data 中提供 HTML 字符串'],
  ['raw with an array', () => themeZip({ ...good, configuration: { type: ' RAW ', data: [] } }), 'raw 类型主题需要在 configuration.data 中提供 HTML 字符串'],
  ...['/../admin', 'nodes/../admin', '//example.com', 'https://example.com', '', 'a\\b', '..'].map(
    (target): [string, () => Promise<Buffer>, string] => [`redirect to ${JSON.stringify(target)}`, () => redirect(target), 'redirect 类型主题需要在 configuration.data 中提供站内相对路径'],
  ),
  ['redirect with a number', () => redirect(5), 'redirect 类型主题需要在 configuration.data 中提供站内相对路径'],
  ['an unknown type', () => themeZip({ ...good, configuration: { type: 'Iframe', data: 'x' } }), '不支持的主题类型: Iframe'],
  ['too many entries', () => themeZip(good, files(20, 1)), '主题压缩包文件数量超过 20 个限制'],
  ['a file over the per-file bound', () => themeZip(good, [{ name: 'dist/big.bin', data: Buffer.alloc(100_001) }]), '主题文件 dist/big.bin 超过 100000 字节限制'],
  ['files over the total bound', () => themeZip(good, files(3, 90_000)), '主题解压后总大小超过 250000 字节限制'],
  ['a zip bomb whose headers lie about one file', async () => lieAboutSizes(await themeZip(good, [{ name: 'dist/bomb.bin', data: Buffer.alloc(5_000_000) }]), 50), '主题文件 dist/bomb.bin 超过 100000 字节限制'],
  ['a zip bomb whose headers lie about the total', async () => lieAboutSizes(await themeZip(good, files(5, 90_000)), 50), '主题解压后总大小超过 250000 字节限制'],
  ['an entry twice', () => themeZip(good, [{ name: 'dist/a.js', data: '1' }, { name: 'dist/a.js', data: '2' }]), '主题压缩包中的文件 dist/a.js 重复出现'],
  ['the manifest twice', () => themeZip(good, [{ name: 'komari-theme.json', data: JSON.stringify({ name: 'Evil', short: 'evil' }) }]), '主题压缩包中的文件 komari-theme.json 重复出现'],
  ['a file where a folder is needed', () => themeZip(good, [{ name: 'dist', data: '1' }, { name: 'dist/a.js', data: '2' }]), '主题压缩包中的 dist 既是文件又是目录'],
  [
    'a name that climbs back onto the manifest',
    async () => patchNames(await themeZip(good, [{ name: 'd/zz/komari-theme.json', data: JSON.stringify({ name: 'Evil', short: 'evil' }) }]), 'd/zz/komari', 'd/../komari'),
    '主题压缩包中的文件 komari-theme.json 重复出现',
  ],
];

describe('bad theme packages are refused with Komari messages and write nothing', () => {
  let s: TestServer;
  let cookie: string;
  let baseline: string[];

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ limits: { themes: limits } }));
    await uploadTheme(s, cookie, Buffer.from('warm-up: the upload folders exist in the baseline'));
    baseline = listing(s.dir);
  });
  after(() => s.dispose());

  for (const [what, build, message] of cases) {
    it(`${what}: refused through the chunked upload and the PUT`, async () => {
      const zip = await build();
      for (const [how, send] of [['chunked', uploadTheme], ['PUT', putTheme]] as const) {
        const res = await send(s, cookie, zip);
        assert.equal(res.status, 400, `${how}: ${res.text}`);
        assert.equal(res.json.status, 'error');
        if (typeof message === 'string') assert.equal(res.json.message, message, how);
        else assert.match(res.json.message, message, how);
        assert.deepEqual(themeFolders(s), { installed: [], staging: [] }, how);
        assert.deepEqual(listing(s.dir), baseline, how);
      }
    });
  }

  it('a package just inside every bound installs (the bounds are not off by one)', async () => {
    const zip = await themeZip({ ...good, description: 'x'.repeat(4096 - JSON.stringify({ ...good, description: '' }).length) }, [
      { name: 'dist/a.bin', data: randomBytes(100_000) },
      { name: 'dist/b.bin', data: Buffer.alloc(100_000) },
      { name: 'dist/c.bin', data: Buffer.alloc(45_000) },
      ...files(16, 0),
    ]);
    const res = await uploadTheme(s, cookie, zip);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(themeFolders(s), { installed: ['good'], staging: [] });
  });

  it('redirect targets are normalised as Komari does', async () => {
    const ok: Array<[string, string]> = [
      ['nodes', '/nodes'],
      ['/nodes', '/nodes'],
      ['../settings', '/settings'],
      ['../../settings/site', '/settings/site'],
      ['nodes?id=1#cpu', '/nodes?id=1#cpu'],
      ['a/./b//c', '/a/b/c'],
    ];
    for (const [target, want] of ok) assert.equal(normaliseRedirect(target), want, target);
    for (const target of ['/../admin', 'nodes/../admin', '//example.com', 'https://example.com', 'mailto:x', ' ', 'a\\b']) assert.equal(normaliseRedirect(target), undefined, target);
    const res = await uploadTheme(s, cookie, await redirect('../../settings/site'));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.data.configuration, { type: 'redirect', icon: '', name: null, data: '../../settings/site' }, 'the manifest keeps the original target');
  });
});
