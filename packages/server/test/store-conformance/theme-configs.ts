import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ThemeConfigStore } from '../../src/themes/settings/store/types.ts';
import type { OpenedEngine } from './engines.ts';

/** ThemeConfigStore: one JSON object per theme short name, replaced whole. */
export function themeConfigsSuite(open: () => Promise<OpenedEngine>): void {
  async function withThemes(fn: (t: ThemeConfigStore) => Promise<void>): Promise<void> {
    const e = await open();
    try {
      await fn(e.repos.themeConfigs!);
    } finally {
      await e.close();
    }
  }

  it('a theme without a row reads as undefined; all() is empty', () =>
    withThemes(async (t) => {
      assert.equal(await t.get('default'), undefined);
      assert.deepEqual(await t.all(), new Map());
    }));

  it('reads back the object as set, nested values and unicode included', () =>
    withThemes(async (t) => {
      const data = { color: '#fff', n: 1.5, on: false, none: null, list: [1, 'двa', { x: [] }], deep: { a: { b: { c: '服务器 ✓ 🎉' } } }, '': '' };
      await t.set('purcarte', data);
      assert.deepEqual(await t.get('purcarte'), data);
      assert.deepEqual(await t.set('empty', {}), undefined);
      assert.deepEqual(await t.get('empty'), {});
    }));

  it('set replaces the whole object (no merge) and leaves other themes', () =>
    withThemes(async (t) => {
      await t.set('a', { x: 1, y: 2 });
      await t.set('b', { keep: true });
      await t.set('a', { z: 3 });
      assert.deepEqual(await t.get('a'), { z: 3 });
      assert.deepEqual(await t.get('b'), { keep: true });
    }));

  it('all() has every theme, ordered by short name byte by byte', () =>
    withThemes(async (t) => {
      for (const short of ['b', 'a', 'B', 'a-b', 'a_b', 'é', 'Z']) await t.set(short, { short });
      const all = await t.all();
      assert.deepEqual([...all.keys()], ['B', 'Z', 'a', 'a-b', 'a_b', 'b', 'é']);
      assert.deepEqual(all.get('é'), { short: 'é' });
    }));

  it('short names are exact: case, spaces and quotes make different themes', () =>
    withThemes(async (t) => {
      await t.set('Theme', { v: 1 });
      await t.set("the'me", { v: 2 });
      assert.equal(await t.get('theme'), undefined);
      assert.equal(await t.get('Theme '), undefined);
      assert.deepEqual(await t.get("the'me"), { v: 2 });
    }));
}
