import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AuditEntry, AuditStore } from '../../src/store/types.ts';
import type { OpenedEngine } from './engines.ts';

type NewEntry = Omit<AuditEntry, 'id'>;

function entry(n: number, over: Partial<NewEntry> = {}): NewEntry {
  return { ip: `192.0.2.${n % 256}`, uuid: 'account-1', message: `message ${n}`, msgType: 'login', time: 1_700_000_000_000 + n, ...over };
}

const withoutId = ({ id: _id, ...rest }: AuditEntry): NewEntry => rest;

/** AuditStore: the audit log, newest first, paged, filtered by type, pruned by age. */
export function auditSuite(open: () => Promise<OpenedEngine>): void {
  async function withAudit(fn: (a: AuditStore) => Promise<void>): Promise<void> {
    const e = await open();
    try {
      await fn(e.repos.audit!);
    } finally {
      await e.close();
    }
  }

  it('starts empty', () =>
    withAudit(async (a) => {
      assert.deepEqual(await a.list({ limit: 10, offset: 0 }), []);
      assert.equal(await a.count(), 0);
      assert.equal(await a.count('login'), 0);
      assert.equal(await a.deleteBefore(Number.MAX_SAFE_INTEGER), 0);
      assert.equal(await a.has(entry(1)), false);
    }));

  it('reads back every field with a positive id, unicode included', () =>
    withAudit(async (a) => {
      const x = entry(1, { message: '登录成功 ✓ 🚀', ip: '2001:db8::1', msgType: '警告' });
      await a.add(x);
      const [got] = await a.list({ limit: 10, offset: 0 });
      assert.ok(got && got.id > 0);
      assert.deepEqual(withoutId(got), x);
    }));

  it('lists newest first; equal times newest added first', () =>
    withAudit(async (a) => {
      await a.add(entry(2, { message: 'b' }));
      await a.add(entry(1, { message: 'a' }));
      await a.add(entry(3, { message: 'c' }));
      await a.add(entry(3, { message: 'd' }));
      const got = await a.list({ limit: 10, offset: 0 });
      assert.deepEqual(got.map((e) => e.message), ['d', 'c', 'b', 'a']);
      assert.ok(got[0]!.id > got[1]!.id);
    }));

  it('pages with limit and offset; past the end is empty', () =>
    withAudit(async (a) => {
      for (let i = 0; i < 25; i++) await a.add(entry(i));
      const page = async (limit: number, offset: number) => (await a.list({ limit, offset })).map((e) => e.time - 1_700_000_000_000);
      assert.deepEqual(await page(10, 0), [24, 23, 22, 21, 20, 19, 18, 17, 16, 15]);
      assert.deepEqual(await page(10, 20), [4, 3, 2, 1, 0]);
      assert.deepEqual(await page(10, 25), []);
      assert.deepEqual(await page(0, 0), []);
      assert.equal((await page(1000, 0)).length, 25);
    }));

  it('a negative limit reads as no limit and a negative offset as 0, as SQLite reads them', () =>
    withAudit(async (a) => {
      for (let i = 0; i < 5; i++) await a.add(entry(i));
      assert.equal((await a.list({ limit: -1, offset: 0 })).length, 5);
      assert.equal((await a.list({ limit: -1, offset: 2 })).length, 3);
      assert.deepEqual((await a.list({ limit: 2, offset: -3 })).map((e) => e.message), ['message 4', 'message 3']);
    }));

  it('filters list and count by type; an empty type filters nothing', () =>
    withAudit(async (a) => {
      await a.add(entry(1, { msgType: 'login' }));
      await a.add(entry(2, { msgType: 'warn' }));
      await a.add(entry(3, { msgType: 'login' }));
      assert.deepEqual((await a.list({ limit: 10, offset: 0, msgType: 'login' })).map((e) => e.message), ['message 3', 'message 1']);
      assert.deepEqual((await a.list({ limit: 1, offset: 1, msgType: 'login' })).map((e) => e.message), ['message 1']);
      assert.equal(await a.count('login'), 2);
      assert.equal(await a.count('warn'), 1);
      assert.equal(await a.count('LOGIN'), 0);
      assert.equal(await a.count(''), 3);
      assert.equal((await a.list({ limit: 10, offset: 0, msgType: '' })).length, 3);
      assert.equal(await a.count(), 3);
    }));

  it('deleteBefore removes entries strictly older than the time and counts them', () =>
    withAudit(async (a) => {
      for (const t of [100, 200, 200, 300]) await a.add(entry(0, { time: t }));
      assert.equal(await a.deleteBefore(200), 1);
      assert.equal(await a.count(), 3);
      assert.equal(await a.deleteBefore(200), 0);
      assert.equal(await a.deleteBefore(301), 3);
      assert.equal(await a.count(), 0);
    }));

  it('has matches an entry only on every field exactly', () =>
    withAudit(async (a) => {
      const x = entry(1, { message: 'exact ✓' });
      await a.add(x);
      assert.equal(await a.has(x), true);
      for (const over of [{ ip: 'x' }, { uuid: 'x' }, { message: 'exact' }, { msgType: 'x' }, { time: x.time + 1 }]) {
        assert.equal(await a.has({ ...x, ...over }), false, JSON.stringify(over));
      }
    }));

  it('the same entry twice is two rows (has is how an import avoids that)', () =>
    withAudit(async (a) => {
      await a.add(entry(1));
      await a.add(entry(1));
      assert.equal(await a.count(), 2);
    }));

  it('takes a large page and a long message', () =>
    withAudit(async (a) => {
      const long = '长'.repeat(100_000);
      await a.add(entry(0, { message: long }));
      for (let i = 1; i < 300; i++) await a.add(entry(i));
      const all = await a.list({ limit: 10_000, offset: 0 });
      assert.equal(all.length, 300);
      assert.equal(all.at(-1)!.message, long);
    }));
}
