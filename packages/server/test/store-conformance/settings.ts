import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { SettingsStore } from '../../src/store/types.ts';
import type { OpenedEngine } from './engines.ts';

/** SettingsStore: what every engine must do with Komari's JSON-valued settings. */
export function settingsSuite(open: () => Promise<OpenedEngine>): void {
  async function withSettings(fn: (s: SettingsStore) => Promise<void>): Promise<void> {
    const e = await open();
    try {
      await fn(e.repos.settings!);
    } finally {
      await e.close();
    }
  }

  it('starts empty and reads back what was set, values as JSON', () =>
    withSettings(async (s) => {
      assert.deepEqual(await s.all(), {});
      const values = { sitename: 'Komari', n: 42, f: 1.5, on: true, none: null, list: [1, 'a'], obj: { 'zh-CN': '服务器 ✓' }, empty: '' };
      await s.setMany(values);
      assert.deepEqual(await s.all(), values);
    }));

  it('setMany replaces existing keys and leaves the others', () =>
    withSettings(async (s) => {
      await s.setMany({ a: 1, b: 2 });
      await s.setMany({ b: 'two', c: 3 });
      assert.deepEqual(await s.all(), { a: 1, b: 'two', c: 3 });
    }));

  it('insertMissing adds only the keys that are not there', () =>
    withSettings(async (s) => {
      await s.setMany({ a: 'kept' });
      await s.insertMissing({ a: 'default', b: 'default' });
      assert.deepEqual(await s.all(), { a: 'kept', b: 'default' });
    }));

  it('an undefined value is stored as null; an empty call writes nothing', () =>
    withSettings(async (s) => {
      await s.setMany({ u: undefined });
      await s.setMany({});
      await s.insertMissing({});
      assert.deepEqual(await s.all(), { u: null });
    }));

  it('a call that fails part-way writes none of its keys', () =>
    withSettings(async (s) => {
      await s.setMany({ a: 'before' });
      // A BigInt cannot be JSON: the whole call fails, the first key included.
      await assert.rejects(s.setMany({ a: 'after', b: 10n }));
      assert.deepEqual(await s.all(), { a: 'before' });
    }));

  it('takes a thousand keys in one call', () =>
    withSettings(async (s) => {
      const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]));
      await s.setMany(many);
      assert.deepEqual(await s.all(), many);
    }));
}
