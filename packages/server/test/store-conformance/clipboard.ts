import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ClipboardFields, ClipboardStore } from '../../src/clipboard/store/types.ts';
import type { OpenedEngine } from './engines.ts';

const fields = (name: string, over: Partial<ClipboardFields> = {}): ClipboardFields => ({
  text: `echo ${name} && uptime`,
  name,
  weight: 1,
  remark: `about ${name}`,
  ...over,
});

/** ClipboardStore: Komari's saved commands, ids assigned by the store, a bound checked atomically. */
export function clipboardSuite(open: () => Promise<OpenedEngine>): void {
  async function withClip(fn: (c: ClipboardStore) => Promise<void>): Promise<void> {
    const e = await open();
    try {
      await fn(e.repos.clipboard!);
    } finally {
      await e.close();
    }
  }

  it('create returns the entry with a fresh id and both times; get and list read it back', () =>
    withClip(async (c) => {
      assert.deepEqual(await c.list(), []);
      const a = await c.create(fields('a', { weight: -3, remark: '' }), 1000, 10);
      assert.deepEqual(a, { id: a!.id, ...fields('a', { weight: -3, remark: '' }), createdAt: 1000, updatedAt: 1000 });
      assert.ok(Number.isSafeInteger(a!.id) && a!.id > 0);
      assert.deepEqual(await c.get(a!.id), a);
      assert.deepEqual(await c.list(), [a]);
    }));

  it('lists by id; ids are not reused after a delete', () =>
    withClip(async (c) => {
      const a = (await c.create(fields('a', { weight: 9 }), 1, 10))!;
      const b = (await c.create(fields('b', { weight: 0 }), 2, 10))!;
      assert.ok(b.id > a.id);
      assert.equal(await c.remove(b.id), true);
      const d = (await c.create(fields('d'), 3, 10))!;
      assert.ok(d.id > b.id);
      assert.deepEqual((await c.list()).map((e) => e.name), ['a', 'd']);
    }));

  it('create refuses past maxEntries (undefined) and stores nothing', () =>
    withClip(async (c) => {
      assert.ok(await c.create(fields('a'), 1, 2));
      assert.ok(await c.create(fields('b'), 1, 2));
      assert.equal(await c.create(fields('c'), 1, 2), undefined);
      assert.equal(await c.create(fields('z'), 1, 0), undefined);
      assert.deepEqual((await c.list()).map((e) => e.name), ['a', 'b']);
    }));

  it('creates at once never pass maxEntries together', () =>
    withClip(async (c) => {
      const made = await Promise.all(Array.from({ length: 12 }, (_, i) => c.create(fields(`n${i}`), 1, 5)));
      assert.equal(made.filter(Boolean).length, 5);
      assert.equal((await c.list()).length, 5);
    }));

  it('update sets the given fields and updatedAt, keeps the rest; an empty patch still stamps the time', () =>
    withClip(async (c) => {
      const a = (await c.create(fields('a'), 1000, 10))!;
      assert.equal(await c.update(a.id, { name: 'renamed', weight: 7, text: undefined }, 2000), true);
      assert.deepEqual(await c.get(a.id), { ...a, name: 'renamed', weight: 7, updatedAt: 2000 });
      assert.equal(await c.update(a.id, {}, 3000), true);
      assert.deepEqual(await c.get(a.id), { ...a, name: 'renamed', weight: 7, updatedAt: 3000 });
    }));

  it('a missing id reads as undefined and updates or removes nothing (false / 0)', () =>
    withClip(async (c) => {
      const a = (await c.create(fields('a'), 1, 10))!;
      for (const id of [a.id + 1000, 0, -1, 1.5, Number.NaN, 2 ** 60]) {
        assert.equal(await c.get(id), undefined, String(id));
        assert.equal(await c.update(id, { name: 'x' }, 5), false, String(id));
        assert.equal(await c.remove(id), false, String(id));
      }
      assert.equal(await c.removeMany([a.id + 1000, 1.5, -1]), 0);
      assert.deepEqual(await c.list(), [a]);
    }));

  it('removeMany deletes the ids that exist and counts each once', () =>
    withClip(async (c) => {
      const ids = [];
      for (const n of ['a', 'b', 'c', 'd']) ids.push((await c.create(fields(n), 1, 10))!.id);
      assert.equal(await c.removeMany([ids[0]!, ids[2]!, ids[2]!, 99_999]), 2);
      assert.equal(await c.removeMany([]), 0);
      assert.deepEqual((await c.list()).map((e) => e.name), ['b', 'd']);
    }));

  it('hostile text is stored as given', () =>
    withClip(async (c) => {
      const f = fields(`'; DELETE FROM clipboards; --`, { text: 'rm -rf / $(x) `y` "z" \\ 服务器'.repeat(1000), remark: '%_' });
      const a = (await c.create(f, 1, 10))!;
      assert.deepEqual(await c.get(a.id), { id: a.id, ...f, createdAt: 1, updatedAt: 1 });
    }));
}
