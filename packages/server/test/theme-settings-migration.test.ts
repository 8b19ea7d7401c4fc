import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { migrate, migrations } from '../src/store/sqlite/migrations.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';

const migrationId = '2026-12-21-theme-configurations';

/**
 * A database of before the theme_configurations table, with its theme settings kept as settings
 * (the `theme_settings` object, the Komari import's `theme_configurations` map), then opened.
 */
async function migrated(settings: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'komari-theme-mig-'));
  const path = join(dir, 'komari.db');
  const db = new DatabaseSync(path);
  const before = migrations.slice(0, migrations.findIndex((m) => m.id === migrationId));
  migrate(db, before);
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
  for (const [k, v] of Object.entries(settings)) put.run(k, JSON.stringify(v));
  db.close();
  const store = openSqliteStore(path);
  const rows = Object.fromEntries(await store.themeConfigs.all());
  const left = await store.settings.all();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { rows, left };
}

describe('migration of theme settings kept as settings into theme_configurations', () => {
  it('the imported map becomes rows and theme_settings becomes the active theme\'s row (it wins over the import)', async () => {
    const { rows, left } = await migrated({
      theme: 'Aurora',
      theme_settings: { edited: 'after the import' },
      theme_configurations: { Aurora: { headline: 'old' }, other: { x: 1 }, notObject: 5, list: [1], '': { empty: true } },
      sitename: 'kept',
    });
    assert.deepEqual(rows, { Aurora: { edited: 'after the import' }, other: { x: 1 } });
    assert.equal(Object.hasOwn(left, 'theme_settings'), false);
    assert.equal(Object.hasOwn(left, 'theme_configurations'), false);
    assert.equal(left.sitename, 'kept');
    assert.equal(left.theme, 'Aurora');
  });

  it('without a theme setting the object is the default theme\'s; an empty object makes no row', async () => {
    assert.deepEqual((await migrated({ theme_settings: { a: 1 } })).rows, { default: { a: 1 } });
    assert.deepEqual((await migrated({ theme: 'Mochi', theme_settings: {} })).rows, {});
    assert.deepEqual((await migrated({ theme: '', theme_settings: { b: 2 } })).rows, { default: { b: 2 } });
  });

  it('values that are not objects are dropped, not carried', async () => {
    const { rows, left } = await migrated({ theme: 'X', theme_settings: 'text', theme_configurations: [1, 2] });
    assert.deepEqual(rows, {});
    assert.equal(Object.hasOwn(left, 'theme_settings'), false);
  });
});

describe('theme_configurations rows the store cannot read as an object', () => {
  it('a row whose text is not a JSON object reads as missing (themes.md §7: bad JSON → {})', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'komari-theme-rows-'));
    const path = join(dir, 'komari.db');
    try {
      const store = openSqliteStore(path);
      await store.themeConfigs.set('good', { a: 1 });
      const db = new DatabaseSync(path);
      const put = db.prepare('INSERT INTO theme_configurations (short, data) VALUES (?, ?)');
      put.run('broken', '{not json');
      put.run('list', '[1,2]');
      put.run('text', '"x"');
      db.close();
      for (const short of ['broken', 'list', 'text', 'absent']) assert.equal(await store.themeConfigs.get(short), undefined, short);
      assert.deepEqual(Object.fromEntries(await store.themeConfigs.all()), { good: { a: 1 } });
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
