import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addNode } from './helpers/agent-common.ts';
import { http, rpc, startWithAdmin, type TestServer } from './helpers/server.ts';

// The default theme of these tests (KOMARI_WEB_ROOT): its manifest declares a string with a
// default, which Komari never merges for `default`, and both selectors, which it resolves.
const defaultManifest = {
  name: 'Default',
  short: 'default',
  configuration: {
    type: 'managed',
    data: [
      { type: 'title', name: 'General' },
      { key: 'headline', type: 'string', default: 'from the manifest' },
      { key: 'pins', type: 'nodes' },
      { key: 'tasks', type: 'pingtasks' },
    ],
  },
};

function writeJson(path: string, value: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, JSON.stringify(value));
}

describe('theme settings (themes.md §7, §8.7)', () => {
  let s: TestServer;
  let cookie: string;
  let nodeA: string;
  let nodeB: string;
  let taskId: number;
  const webRoot = mkdtempSync(join(tmpdir(), 'komari-web-'));
  const installed = (short: string) => join(s.dir, 'theme', short, 'komari-theme.json');
  const install = (short: string, data: unknown[], type = 'managed') => writeJson(installed(short), { name: short, short, configuration: { type, data } });
  const save = (theme: string, body: unknown) => http(s.url, `/api/admin/theme/settings?theme=${theme}`, { method: 'POST', cookie, body });
  const saved = async (theme: string) => (await http(s.url, `/api/admin/theme/settings?theme=${theme}`, { cookie })).json.data;
  const activate = async (theme: string) => assert.equal((await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { theme } })).status, 200);
  const publicSettings = async () => (await http(s.url, '/api/public')).json.data.theme_settings;

  before(async () => {
    writeJson(join(webRoot, 'komari-theme.json'), defaultManifest);
    ({ s, cookie } = await startWithAdmin({ env: { KOMARI_WEB_ROOT: webRoot }, limits: { themeSettings: { maxSettingsBytes: 4096, maxManifestBytes: 64 * 1024 } } }));
    nodeA = (await addNode(s, cookie, 'a')).uuid;
    nodeB = (await addNode(s, cookie, 'b')).uuid;
    const add = await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name: 't', target: '1.1.1.1', type: 'icmp', interval: 60, clients: [nodeA] } });
    taskId = add.json.data.task_id;
  });
  after(async () => {
    await s.dispose();
    rmSync(webRoot, { recursive: true, force: true });
  });

  describe('GET /api/public theme_settings', () => {
    it("the spec's example: defaults merged, a deleted node filtered out, keys in Komari's order", async () => {
      install('Aurora', [
        { key: 'headline', name: 'Headline', type: 'string' },
        { key: 'selected_nodes', type: 'nodes' },
        { key: 'accent', type: 'select', options: 'blue,green' },
      ]);
      await activate('Aurora');
      assert.equal((await save('Aurora', { headline: 'Hi', selected_nodes: JSON.stringify([nodeA, 'deleted']) })).status, 200);
      const res = await http(s.url, '/api/public');
      assert.equal(JSON.stringify(res.json.data.theme_settings), JSON.stringify({ accent: 'blue', headline: 'Hi', selected_nodes: [nodeA] }));
      assert.deepEqual((await rpc(s.url, 'common:getPublicInfo')).result.theme_settings, res.json.data.theme_settings);
      assert.deepEqual((await saved('Aurora')).selected_nodes, JSON.stringify([nodeA, 'deleted']), 'what was saved is kept as sent');
    });

    it('defaults: select → its default or first option, else the default as-is, else by type', async () => {
      install('Defaults', [
        { key: 'sel_default', type: 'select', options: 'a,b', default: 'b' },
        { key: 'sel_first', type: 'select', options: '  red , blue', default: '' },
        { key: 'sel_none', type: 'select' },
        { key: 'num', type: 'number' },
        { key: 'num5', type: 'number', default: 5 },
        { key: 'sw', type: 'switch' },
        { key: 'sw_on', type: 'switch', default: true },
        { key: 'obj', type: 'string', default: { any: ['json'] } },
        { key: 'nul', type: 'number', default: null },
        { key: 'str', type: 'string' },
        { key: 'rich', type: 'richtext' },
        { key: 'pins', type: 'nodes' },
        { key: 'pins_default', type: 'nodes', default: JSON.stringify([nodeB]) },
        { key: 'tasks', type: 'pingtasks' },
        { key: 'kept', type: 'number', default: 1 },
        { type: 'textbox', name: '<b>no key, no value</b>' },
        { key: '', type: 'string', default: 'empty key' },
      ]);
      await activate('Defaults');
      await save('Defaults', { kept: 7 });
      assert.deepEqual(await publicSettings(), {
        sel_default: 'b',
        sel_first: 'red',
        sel_none: '',
        num: 0,
        num5: 5,
        sw: false,
        sw_on: true,
        obj: { any: ['json'] },
        nul: 0,
        str: '',
        rich: '',
        pins: [],
        pins_default: [nodeB],
        tasks: [],
        kept: 7,
      });
    });

    it('selectors: only a JSON-encoded list resolves; invalid JSON, an actual array or a wrongly typed element is []', async () => {
      install('Selectors', [
        { key: 'ok_nodes', type: 'nodes' },
        { key: 'ok_tasks', type: 'pingtasks' },
        { key: 'bad_json', type: 'nodes' },
        { key: 'real_array', type: 'nodes' },
        { key: 'not_list', type: 'pingtasks' },
        { key: 'mixed', type: 'nodes' },
        { key: 'fraction', type: 'pingtasks' },
        { key: 'number', type: 'nodes' },
      ]);
      await activate('Selectors');
      await save('Selectors', {
        ok_nodes: JSON.stringify([nodeB, nodeA, 'gone']),
        ok_tasks: JSON.stringify([taskId, 9999]),
        bad_json: '[not json',
        real_array: [nodeA],
        not_list: '{"a":1}',
        mixed: JSON.stringify([nodeA, 5]),
        fraction: '[1.5]',
        number: 7,
        extra: { passed: 'through' },
      });
      assert.deepEqual(await publicSettings(), {
        ok_nodes: [nodeB, nodeA],
        ok_tasks: [taskId],
        bad_json: [],
        real_array: [],
        not_list: [],
        mixed: [],
        fraction: [],
        number: [],
        extra: { passed: 'through' },
      });
    });

    it('a node deleted later drops out of the answer; a hidden node stays', async () => {
      install('Later', [{ key: 'pins', type: 'nodes' }]);
      await activate('Later');
      const doomed = (await addNode(s, cookie, 'doomed')).uuid;
      const hidden = (await addNode(s, cookie, 'hidden')).uuid;
      assert.equal((await http(s.url, `/api/admin/client/${hidden}/edit`, { method: 'POST', cookie, body: { hidden: true } })).status, 200);
      await save('Later', { pins: JSON.stringify([doomed, hidden]) });
      assert.deepEqual(await publicSettings(), { pins: [doomed, hidden] });
      assert.equal((await http(s.url, `/api/admin/client/${doomed}/remove`, { method: 'POST', cookie })).status, 200);
      assert.deepEqual(await publicSettings(), { pins: [hidden] });
    });

    it('the default theme gets no defaults but its selectors are resolved; undeclared keys pass through', async () => {
      await activate('default');
      await save('default', { tasks: JSON.stringify([taskId, 4242]), extra: 1 });
      assert.deepEqual(await publicSettings(), { extra: 1, pins: [], tasks: [taskId] });
    });

    it('a deleted active theme: the saved object is passed through, without defaults or resolution', async () => {
      install('Gone', [{ key: 'pins', type: 'nodes' }, { key: 'accent', type: 'select', options: 'x,y' }]);
      await activate('Gone');
      await save('Gone', { pins: JSON.stringify([nodeA]), a: 1 });
      assert.deepEqual(await publicSettings(), { a: 1, accent: 'x', pins: [nodeA] });
      rmSync(join(s.dir, 'theme', 'Gone'), { recursive: true });
      assert.deepEqual(await publicSettings(), { a: 1, pins: JSON.stringify([nodeA]) });
    });

    it('a theme with nothing saved, a raw theme, a manifest that is not JSON or is too large', async () => {
      install('Empty', [{ key: 'n', type: 'number', default: 3 }]);
      await activate('Empty');
      assert.deepEqual(await publicSettings(), { n: 3 });
      install('Raw', '<p>html</p>' as unknown as unknown[], 'raw');
      await activate('Raw');
      await save('Raw', { k: 'v' });
      assert.deepEqual(await publicSettings(), { k: 'v' });
      mkdirSync(join(s.dir, 'theme', 'Broken'), { recursive: true });
      writeFileSync(installed('Broken'), '{not json');
      await save('Broken', { k: 'v' });
      await activate('Broken');
      assert.deepEqual(await publicSettings(), { k: 'v' });
      install('Huge', [{ key: 'n', type: 'number', default: 3 }, { key: 'pad', type: 'string', default: 'x'.repeat(70 * 1024) }]);
      await activate('Huge');
      assert.deepEqual(await publicSettings(), {}, 'a manifest over maxManifestBytes has no items');
    });

    it('a manifest rewritten in place (a reinstall) is read again', async () => {
      install('Changing', [{ key: 'accent', type: 'select', options: 'blue,green' }]);
      await activate('Changing');
      assert.deepEqual(await publicSettings(), { accent: 'blue' });
      install('Changing', [{ key: 'accent', type: 'select', options: 'purple' }]);
      const later = new Date(Date.now() + 60_000);
      utimesSync(installed('Changing'), later, later);
      assert.deepEqual(await publicSettings(), { accent: 'purple' });
    });
  });

  describe('POST and GET /api/admin/theme/settings', () => {
    it("POST stores the whole object as sent and replaces the previous one; the answer is Komari's", async () => {
      const first = await save('Mochi', { a: 1, b: [1, 2], theme: 'not the query', nested: { deep: true } });
      assert.equal(first.status, 200);
      assert.deepEqual(first.json, { status: 'success', message: '' });
      assert.deepEqual(await saved('Mochi'), { a: 1, b: [1, 2], theme: 'not the query', nested: { deep: true } });
      await save('Mochi', { c: 3 });
      assert.deepEqual(await saved('Mochi'), { c: 3 }, 'no merge');
      await save('Mochi', {});
      assert.deepEqual(await saved('Mochi'), {});
    });

    it('GET (komari-ts) reads any theme, active or not, unmerged; {} for a theme with nothing saved', async () => {
      await save('Other', { pins: JSON.stringify([nodeA]) });
      const res = await http(s.url, '/api/admin/theme/settings?theme=Other', { cookie });
      assert.deepEqual(res.json, { status: 'success', message: '', data: { pins: JSON.stringify([nodeA]) } });
      assert.deepEqual(await saved('NeverSaved'), {});
    });

    it('a missing or empty theme name is 400 主题名称不能为空; a name no theme can have is 400 无效的主题名称', async () => {
      for (const path of ['/api/admin/theme/settings', '/api/admin/theme/settings?theme=']) {
        for (const method of ['GET', 'POST'] as const) {
          const res = await http(s.url, path, { method, cookie, ...(method === 'POST' ? { body: { a: 1 } } : {}) });
          assert.deepEqual([res.status, res.json], [400, { status: 'error', message: '主题名称不能为空' }], `${method} ${path}`);
        }
      }
      for (const theme of ['..%2Fetc', 'a%2Fb', 'x'.repeat(101), 'sp%20ace']) {
        const res = await save(theme, { a: 1 });
        assert.deepEqual([res.status, res.json.message], [400, '无效的主题名称'], theme);
        assert.equal((await http(s.url, `/api/admin/theme/settings?theme=${theme}`, { cookie })).json.message, '无效的主题名称');
      }
    });

    it('a theme named twice in the query is the first one', async () => {
      assert.equal((await http(s.url, '/api/admin/theme/settings?theme=First&theme=Second', { method: 'POST', cookie, body: { n: 1 } })).status, 200);
      assert.deepEqual([await saved('First'), await saved('Second')], [{ n: 1 }, {}]);
    });

    it('a body that is not a JSON object is 400 参数错误 and changes nothing', async () => {
      await save('Guarded', { keep: true });
      for (const body of ['[1,2]', '"text"', '42', 'null', '{not json', '']) {
        const res = await http(s.url, '/api/admin/theme/settings?theme=Guarded', { method: 'POST', cookie, body });
        assert.equal(res.status, 400, body);
        assert.match(res.json.message, /^参数错误: ./, body);
      }
      assert.deepEqual(await saved('Guarded'), { keep: true });
    });

    it('an object larger than maxSettingsBytes is a 400 naming the bound and changes nothing', async () => {
      await save('Big', { keep: true });
      const res = await save('Big', { pad: 'x'.repeat(5000) });
      assert.equal(res.status, 400);
      assert.match(res.json.message, /^参数错误: .*4096/);
      assert.deepEqual(await saved('Big'), { keep: true });
      assert.equal((await save('Big', { pad: 'x'.repeat(3000) })).status, 200, 'under the bound is fine');
    });

    it('an object nested past maxSettingsDepth (or deep enough to overflow a recursive walk) is a 400 and changes nothing', async () => {
      await save('Deep', { keep: true });
      for (const depth of [65, 200_000]) {
        const body = '{"a":' + '['.repeat(depth - 1) + ']'.repeat(depth - 1) + '}';
        const res = await http(s.url, '/api/admin/theme/settings?theme=Deep', { method: 'POST', cookie, body });
        assert.deepEqual([res.status, res.json], [400, { status: 'error', message: '参数错误: theme settings nest deeper than 64 levels' }], String(depth));
      }
      assert.deepEqual(await saved('Deep'), { keep: true });
      const ok = '{"a":' + '['.repeat(63) + ']'.repeat(63) + '}';
      assert.equal((await http(s.url, '/api/admin/theme/settings?theme=Deep', { method: 'POST', cookie, body: ok })).status, 200, 'at the bound is fine');
    });

    it('guests get 401 Unauthorized. on both and nothing is stored', async () => {
      await save('Locked', { keep: true });
      const post = await http(s.url, '/api/admin/theme/settings?theme=Locked', { method: 'POST', body: { evil: 1 } });
      assert.deepEqual([post.status, post.json], [401, { status: 'error', message: 'Unauthorized.' }]);
      const get = await http(s.url, '/api/admin/theme/settings?theme=Locked');
      assert.deepEqual([get.status, get.json], [401, { status: 'error', message: 'Unauthorized.' }]);
      assert.deepEqual(await saved('Locked'), { keep: true });
    });

    it('a save is in the audit log', async () => {
      await save('Audited', { a: 1 });
      const logs = (await http(s.url, '/api/admin/logs?limit=5&page=1', { cookie })).json.data.logs as Array<{ message: string }>;
      assert.ok(logs.some((l) => l.message === 'update theme settings: Audited'), JSON.stringify(logs));
    });
  });
});
